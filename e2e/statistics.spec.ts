import { inOrder } from '@/lib/in-order';
import http from 'node:http';
import { expect, test } from '@playwright/test';
import { enroll, makeAssignment, makeComment, makeCourse, makeGroup, makeMeeting, makeReflection, makeUnit, makeUser, userIdOf } from './fixtures';
import { expectAccessible, stateFile, watchConsole } from './support';

// 统计 and 催交 as an organizer and an admin meet them: the course's figures and charts (looked
// at at 1280 and 390 px), the 催交名单 copied to the clipboard with @姓名, the group robot set by
// an admin and 发送提醒 arriving at a robot this test runs, and a cadre's printed 学习档案.
test.describe.configure({ mode: 'serial' });

const COURSE = '2026年江岸街道社区书记读书班';
const TASK = '第二次集中学习心得';
const ROBOT_PORT = Number(process.env.E2E_PORT) + 1000;
const SHOTS = '.tmp/screens';
let courseId = 0;
let assignmentId = 0;
let writerId = 0;
const received: string[] = [];
let robot: http.Server;

test.beforeAll(async () => {
  robot = http.createServer((request, response) => {
    let body = '';
    request.on('data', (c: Buffer) => (body += c.toString('utf8')));
    request.on('end', () => {
      received.push(body);
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end('{"errcode":0,"errmsg":"ok"}');
    });
  });
  await new Promise<void>((resolve) => robot.listen(ROBOT_PORT, '127.0.0.1', resolve));

  const street = await makeUnit('江岸街道');
  const community = await makeUnit('江岸第一社区', street);
  courseId = await makeCourse({ name: COURSE, columnName: '书记读书班', startsOn: '2026-03-01', organizerIds: [await userIdOf('e2e-organizer')] });
  const g1 = await makeGroup(courseId, { name: '第一小组', sortOrder: 1 });
  const g2 = await makeGroup(courseId, { name: '第二小组', sortOrder: 2 });
  const cadre = async (name: string, username: string, unitId: number, phone: string | null = null) =>
    await makeUser('cadre', { username, name, title: '社区党组织书记', unitId, phone });
  writerId = await userIdOf('e2e-cadre');
  const people = [
    writerId,
    await cadre('林思远', 'stats-lin', street),
    await cadre('程未交', 'stats-cheng', community, '13907101234'),
    await cadre('马晓燕', 'stats-ma', community, '13907105678'),
  ];
  const start = new Date('2026-03-01T01:00:00Z');
  await enroll(courseId, people.slice(0, 2), { groupId: g1, enrolledAt: start });
  await enroll(courseId, people.slice(2), { groupId: g2, enrolledAt: start });
  const first = await makeMeeting(courseId, { title: '第一次集中学习', startsAt: new Date('2026-03-02T01:00:00Z') });
  const firstTask = await makeAssignment(first, { courseId, title: '第一次集中学习心得', prompt: '', dueAt: new Date('2026-03-09T10:00:00Z') });
  const second = await makeMeeting(courseId, { title: '第二次集中学习', startsAt: new Date('2026-03-16T01:00:00Z') });
  assignmentId = await makeAssignment(second, { courseId, title: TASK, prompt: '', dueAt: new Date(Date.now() + 7 * 86400_000) });
  const body = '通过这次学习，我更加深刻地认识到坚持党建引领基层治理的重要意义。一是……二是……三是……';
  await inOrder(people, async (authorId, i) => {
    const id = await makeReflection({
      assignmentId: firstTask,
      courseId,
      authorId,
      status: i === 3 ? 'returned' : 'approved',
      excellent: i === 0,
      late: i === 2,
      title: '学习体会',
      body,
      versions: [{ submittedAt: new Date(`2026-03-0${5 + i}T02:00:00Z`) }],
    });
    await makeComment(id, { authorId: await userIdOf('e2e-organizer'), decision: i === 3 ? 'return' : 'approve', body: i === 3 ? '请结合社区实际补充举措。' : '联系实际，举措具体。', version: 1 });
  });
  await makeReflection({ assignmentId, courseId, authorId: people[0] as number, status: 'submitted', title: '再谈基层治理', body, versions: [{ submittedAt: new Date('2026-03-18T02:00:00Z') }] });
  await makeReflection({ assignmentId, courseId, authorId: people[1] as number, status: 'submitted', title: '学习心得', body });
});

test.afterAll(async () => {
  robot.closeAllConnections();
  await new Promise<void>((resolve) => robot.close(() => resolve()));
});

test.describe('organizer', () => {
  test.use({ storageState: stateFile('organizer') });

  test('the statistics page shows the figures, each a link, charts as SVG, and reads at 390 px', async ({ page }) => {
    const errors = watchConsole(page);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`/courses/${courseId}`);
    await page.getByRole('link', { name: '统计', exact: true }).click();
    await expect(page.getByRole('heading', { name: `统计：${COURSE}` })).toBeVisible();
    // 8 expected (4 members × 2 assignments), 6 handed in, 2 missing, 1 excellent.
    await expect(page.getByRole('link', { name: '应交心得 8', exact: true })).toBeVisible();
    await expect(page.getByRole('link', { name: '已交心得 6', exact: true })).toBeVisible();
    await expect(page.getByRole('link', { name: '优秀心得 1', exact: true })).toBeVisible();
    const summary = page.locator('#summary-text');
    await expect(summary).toContainText('截至目前，');
    await expect(summary).toContainText('形成学习心得6篇');
    await expect(summary).toContainText('其中优秀心得1篇');
    // The 街道 counts its 社区: 林思远 in the 街道 itself and the two in 江岸第一社区 (邵学员 has no 单位).
    const unitTable = page.getByRole('table', { name: '按单位（含下级单位）' });
    await expect(unitTable.getByRole('link', { name: '江岸街道学员 3', exact: true })).toBeVisible();
    await expect(page.locator('figure svg').first()).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/statistics-1280.png`, fullPage: true });
    await expectAccessible(page);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: `${SHOTS}/statistics-390.png`, fullPage: true });
    await expectAccessible(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);

    // A figure leads to its list: 未交 of the group → the people missing.
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole('table', { name: '按讨论小组' }).getByRole('link', { name: '第二小组未交 2', exact: true }).click();
    await expect(page.getByRole('heading', { name: '未交名单（2 篇）' })).toBeVisible();
    await expect(page.getByRole('row').filter({ hasText: '程未交' })).toBeVisible();
    await page.goBack();
    await page.getByRole('link', { name: '全班合计逾期 1', exact: true }).first().click();
    await expect(page).toHaveURL(/late=1/u);
    await expect(page.getByText('只看逾期')).toBeVisible();
    expect(errors).toEqual([]);
  });

  test('the tracker shows the phone of those missing and copies the 催交名单 with @姓名', async ({ page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.goto(`/review/tracker/${assignmentId}`);
    const row = page.getByRole('row').filter({ hasText: '程未交' });
    await expect(row.getByRole('link', { name: '13907101234' })).toBeVisible();
    await page.getByRole('button', { name: '复制催交名单' }).click();
    await expect(page.getByText('催交名单已复制，可以粘贴了。')).toBeVisible();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain(`“${TASK}”截止时间为`);
    expect(copied).toContain('@程未交 @马晓燕');
    expect(copied).not.toContain('@林思远');
    // No robot yet: no 发送提醒.
    await expect(page.getByRole('button', { name: /发送提醒/u })).toHaveCount(0);
  });
});

test.describe('admin and robot', () => {
  test.use({ storageState: stateFile('admin') });

  test('an admin sets the 企业微信 robot, shown masked; 发送提醒 arrives at the robot', async ({ page }) => {
    await page.goto(`/courses/${courseId}`);
    await page.getByRole('link', { name: '群机器人提醒' }).click();
    await page.getByLabel('机器人类型').selectOption('wecom');
    await page.getByLabel('机器人地址（Webhook）').fill('http://10.0.0.8/cgi-bin/webhook/send?key=x');
    await page.getByRole('button', { name: '保存' }).click();
    await expect(page.getByText('机器人地址必须以 https:// 开头', { exact: true })).toBeVisible();
    await page.getByLabel('机器人地址（Webhook）').fill(`http://127.0.0.1:${ROBOT_PORT}/cgi-bin/webhook/send?key=e2e-secret-7788`);
    await page.getByRole('button', { name: '保存' }).click();
    await expect(page.getByText('群机器人已保存')).toBeVisible();
    await expect(page.getByText(`http://127.0.0.1:${ROBOT_PORT}/cgi-bin/webhook/send?key=••••••7788`)).toBeVisible();
    await expect(page.getByText('e2e-secret')).toHaveCount(0);

    await page.goto(`/review/tracker/${assignmentId}`);
    await page.getByRole('button', { name: '发送提醒（企业微信群）' }).click();
    await expect(page.getByText('已通过企业微信群机器人催交 2 人')).toBeVisible();
    expect(received).toHaveLength(1);
    const msg = JSON.parse(received[0] as string) as { msgtype: string; text: { content: string } };
    expect(msg.msgtype).toBe('text');
    expect(msg.text.content).toContain('@程未交 @马晓燕');
  });
});

test.describe('cadre', () => {
  test.use({ storageState: stateFile('cadre') });

  test('the cadre prints their 学习档案', async ({ page }) => {
    await page.goto('/my');
    await page.getByRole('link', { name: '我的学习档案' }).click();
    await expect(page.getByRole('heading', { name: /^学习档案：/u })).toBeVisible();
    await expect(page.getByText('联系实际，举措具体。')).toBeVisible();
    await expect(page.getByRole('heading', { level: 2 }).getByText('优秀', { exact: true })).toBeVisible();
    await expectAccessible(page);
    await page.emulateMedia({ media: 'print' });
    await expect(page.getByRole('navigation', { name: '主导航' })).toBeHidden();
    await page.setViewportSize({ width: 794, height: 1123 });
    await page.screenshot({ path: `${SHOTS}/archive-print.png`, fullPage: true });
    await page.pdf({ path: `${SHOTS}/archive.pdf`, format: 'A4' });
    // Another cadre's archive is refused.
    await page.emulateMedia({ media: 'screen' });
    const other = await page.goto(`/archive/${await userIdOf('stats-lin')}`);
    expect(other?.status()).toBe(404);
  });
});
