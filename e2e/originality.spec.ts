import { inOrder } from '@/lib/in-order';
import { expect, test } from '@playwright/test';
import {
  enroll,
  makeAssignment,
  makeBulletin,
  makeCourse,
  makeMeeting,
  makeReading,
  makeReadingText,
  makeReflection,
  makeUser,
  userIdOf,
} from './fixtures';
import { expectAccessible, openDb, stateFile, watchConsole } from './support';

// 查重 and 规范提法 as the organizer meets them: the queue filtered by 疑似雷同, the side-by-side
// passages in the review detail, and the publish preflight listing a wording problem in an item.
test.describe.configure({ mode: 'serial' });

const COURSE = '2026年临港街道查重演示读书班';
const P1 = '基层治理是国家治理的基石，社区是服务群众的最后一公里。我们街道坚持党建引领，把支部建在网格上，让党员亮身份、作表率，群众有事找得到人、办得成事。';
const P2 = '通过这次读书班的学习，我深刻认识到作风建设永远在路上，必须把纪律挺在前面，从小事小节抓起，防微杜渐，以钉钉子精神抓好各项任务的落实。';
const OWN = '作为分管城市管理的干部，我将把学习成果转化为解决停车难、加装电梯等民生实事的具体举措，向群众交出满意答卷。';
const MINE = '读了原文，我体会最深的是下面这段话，对照检查自己，在抓落实上还有差距，今后要在社区工作中把这些要求落到实处。';
const READING = '全面从严治党永远在路上，党的自我革命永远在路上，决不能有松劲歇脚、疲劳厌战的情绪，必须持之以恒、善作善成。';
let courseId = 0;
let bulletinId = 0;

test('fixtures: a course where one cadre copied two paragraphs of another’s, one quoted the reading, one wrote 习总书记', async () => {
  courseId = await makeCourse({ name: COURSE, columnName: '查重读书班', startsOn: '2026-10-01', organizerIds: [await userIdOf('e2e-organizer')] });
  const readingId = await makeReading('《论党的自我革命》（查重演示）');
  await makeReadingText(readingId, [READING]);
  const assignmentId = await makeAssignment(await makeMeeting(courseId, { title: '第二次集中学习', startsAt: null }), { courseId, title: '第二次集中学习心得', readingIds: [readingId], dueAt: new Date(0) });
  const [a, b, c] = await inOrder(['原创甲', '抄写乙', '引用丙'], async (name, i) => await makeUser('cadre', { username: `orig-c${i}`, name, title: '社区党委书记' }));
  await enroll(courseId, [a!, b!, c!]);
  const at = (m: number) => new Date(Date.UTC(2026, 9, 10, 1, m));
  const original = await makeReflection({ assignmentId, courseId, authorId: a!, status: 'approved', title: '党建引领基层治理', body: `${P1}\n${P2}\n学习习总书记重要讲话，我们要落实到位。`, submittedAt: at(0), originality: true });
  await makeReflection({
    assignmentId,
    courseId,
    authorId: b!,
    status: 'submitted',
    title: '我的学习体会',
    body: `${P1.replace('最后一公里', '最后一米')}\n${P2.replace('永远在路上', '始终在路上')}\n${OWN}`,
    submittedAt: at(1),
    originality: true,
  });
  await makeReflection({ assignmentId, courseId, authorId: c!, status: 'submitted', title: '对照原文找差距', body: `${MINE}\n${READING}`, submittedAt: at(2), originality: true });
  bulletinId = await makeBulletin(courseId, { reflectionIds: [original], reportTo: '区委组织部', sendTo: '区委宣传部', issueTo: '各社区党组织', copies: 30, lead: '10月10日，读书班举行第二次集中学习。' });
});

test('the organizer filters the queue by 疑似雷同 and opens the side-by-side view', async ({ browser }) => {
  const context = await browser.newContext({ storageState: stateFile('organizer') });
  const page = await context.newPage();
  const errors = watchConsole(page);
  await page.goto(`/review?course=${courseId}&state=all`);
  await expect(page.getByRole('link', { name: '对照原文找差距' })).toBeVisible();
  await page.getByRole('checkbox', { name: '疑似雷同' }).check();
  await page.getByRole('button', { name: '筛选' }).click();
  await expect(page).toHaveURL(/similar=1/u);
  await expect(page.getByRole('link', { name: '对照原文找差距' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: '党建引领基层治理' })).toHaveCount(0);
  const row = page.getByRole('row').filter({ hasText: '抄写乙' });
  await expect(row.getByText('疑似雷同')).toBeVisible();
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: 'test-results/originality-queue-1280.png', fullPage: true });
  await row.getByRole('link', { name: '我的学习体会' }).click();

  const panel = page.getByRole('region', { name: '查重' });
  await expect(panel.getByText('疑似雷同')).toBeVisible();
  await expect(panel.getByRole('link', { name: /原创甲《党建引领基层治理》/u })).toBeVisible();
  const pairs = panel.getByRole('list', { name: /与“原创甲/u }).getByRole('listitem');
  await expect(pairs).toHaveCount(2);
  await expect(pairs.first().locator('mark').first()).toContainText('最后一米');
  await expect(pairs.first().locator('mark').nth(1)).toContainText('最后一公里');
  await page.screenshot({ path: 'test-results/originality-detail-1280.png', fullPage: true });
  await expectAccessible(page);
  await page.setViewportSize({ width: 390, height: 844 });
  await panel.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/originality-detail-390.png', fullPage: true });
  await expectAccessible(page);
  expect(errors).toEqual([]);
  await context.close();
});

test('the publish preflight lists a wording problem in an item; kept with a reason, it is audited', async ({ browser }) => {
  const context = await browser.newContext({ storageState: stateFile('organizer') });
  const page = await context.newPage();
  await page.goto(`/bulletins/${bulletinId}`);
  await page.getByRole('button', { name: '发布', exact: true }).click();
  const check = page.getByRole('dialog', { name: /发布前检查/u });
  const wording = check.getByRole('list', { name: '规范提法与标点' });
  await expect(wording.getByText('“习总书记”应为“习近平总书记”。')).toBeVisible();
  await expect(wording.getByText(/第 1 条（原创甲）/u)).toBeVisible();
  await expect(check.getByRole('button', { name: /^(仍然发布|确认发布)$/u })).toBeDisabled();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: 'test-results/originality-preflight-390.png', fullPage: true });
  await wording.getByRole('button', { name: '保留' }).click();
  await wording.getByLabel('保留理由').fill('原文引用，保持原样');
  await check.getByRole('button', { name: /^(仍然发布|确认发布)$/u }).click();
  await expect(page.getByText('已发布，学员已收到通知')).toBeVisible();
  const db = openDb();
  const audit = db.prepare("select detail from audit_log where action = 'bulletin.wordingKept' and target_id = ?").get(String(bulletinId)) as { detail: string } | undefined;
  db.close();
  expect(audit?.detail).toContain('原文引用，保持原样');
  expect(audit?.detail).toContain('习总书记');
  await context.close();
});

test('a cadre’s editor marks a non-standard wording and fixes it in one click; submitting is never blocked', async ({ browser }) => {
  const assignmentId = await makeAssignment(await makeMeeting(courseId, { title: '第三次集中学习', startsAt: null }), { courseId, title: '第三次集中学习心得', dueAt: new Date(Date.now() + 7 * 86_400_000) });
  await enroll(courseId, [await userIdOf('e2e-cadre')]);
  const context = await browser.newContext({ storageState: stateFile('cadre'), viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto(`/my/assignments/${assignmentId}`);
  await page.getByLabel('正文').fill('认真学习习总书记重要讲话,把要求落到实处。');
  const advice = page.getByRole('list', { name: '规范提法与标点建议' });
  await expect(advice.getByText('“习总书记”应为“习近平总书记”。')).toBeVisible();
  await expect(advice.getByText('中文里应使用全角“，”，不用半角“,”。')).toBeVisible();
  await page.screenshot({ path: 'test-results/originality-editor-390.png', fullPage: true });
  await advice.getByRole('button', { name: '改为“习近平总书记”' }).click();
  await expect(page.getByLabel('正文')).toHaveValue('认真学习习近平总书记重要讲话,把要求落到实处。');
  await expect(page.getByRole('button', { name: '提交' })).toBeEnabled();
  await context.close();
});

test('an admin disables a bundled rule and sees it marked', async ({ browser }) => {
  const context = await browser.newContext({ storageState: stateFile('admin') });
  const page = await context.newPage();
  await page.goto('/admin/wording');
  const row = page.getByRole('row').filter({ hasText: 'd-bh' });
  await row.getByRole('button', { name: '停用 北韩' }).click();
  await expect(row.getByText('已停用')).toBeVisible();
  await page.screenshot({ path: 'test-results/originality-admin-rules-1280.png' });
  await row.getByRole('button', { name: '启用 北韩' }).click();
  await expect(row.getByRole('button', { name: '停用 北韩' })).toBeVisible();
  await context.close();
});
