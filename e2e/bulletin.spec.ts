import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { createAccount, enroll, FIXTURE_PASSWORD, makeAssignment, makeCourse, makeMeeting, makeReflection, makeUser, userIdOf } from './fixtures';
import { expectAccessible, openDb, signIn, stateFile, watchConsole } from './support';

// One journey: an organizer compiles a 简报 from approved reflections, exports it to Word and
// publishes it; a member of the course reads it under /my/bulletins; a cadre of another course
// gets 404 for the same page and the same download.
test.describe.configure({ mode: 'serial' });

const COURSE = '2026年滨江街道党组织书记读书班';
let courseId = 0;
let bulletinId = 0;

test('fixtures: a course run by e2e-organizer, e2e-cadre a member, approved reflections', async () => {
  await createAccount({ username: 'bulletin-outsider', name: '钱外人', role: 'cadre', password: FIXTURE_PASSWORD, title: '社区党委书记' });
  const cadreId = await userIdOf('e2e-cadre');
  courseId = await makeCourse({
    name: COURSE,
    columnName: '书记读书班',
    publisher: '中共滨江街道工作委员会',
    startsOn: '2026-11-01',
    organizerIds: [await userIdOf('e2e-organizer')],
  });
  const other = await makeUser('cadre', { username: 'bulletin-c2', name: '宋明远', title: '滨江社区党总支书记' });
  await enroll(courseId, [cadreId, other]);
  const meetingId = await makeMeeting(courseId, { title: '第三次集中学习', startsAt: null });
  const assignmentId = await makeAssignment(meetingId, { courseId, title: '第三次集中学习心得', prompt: '', dueAt: new Date(0) });
  await makeReflection({
    assignmentId,
    courseId,
    authorId: cadreId,
    status: 'approved',
    title: '把服务送到楼道里',
    body: '一是把网格建在楼道里，把服务送到家门口。\n二是把群众的小事当作自己的大事。',
    submittedAt: new Date(0),
  });
  await makeReflection({
    assignmentId,
    courseId,
    authorId: other,
    status: 'approved',
    title: '三方共治拧成一股绳',
    body: '物业、业委会和居委会要拧成一股绳，共同解决停车难。',
    submittedAt: new Date(0),
  });
});

test('an organizer compiles, exports to Word and publishes', async ({ browser }) => {
  const context = await browser.newContext({ storageState: stateFile('organizer') });
  const page = await context.newPage();
  const errors = watchConsole(page);
  await page.goto(`/bulletins?courseId=${courseId}`);
  await page.getByRole('button', { name: /新建简报/u }).click();
  await expect(page).toHaveURL(/\/bulletins\/\d+$/u);
  bulletinId = Number(/\/bulletins\/(\d+)/u.exec(page.url())?.[1]);

  await expect(page.getByLabel('期号', { exact: true })).toHaveValue('1');
  await expect(page.getByLabel('标题', { exact: true })).toHaveValue(`【书记读书班】${COURSE}简报（第1期）`);
  await page.getByLabel('编辑', { exact: true }).fill('林编辑');
  await page.getByLabel('日期', { exact: true }).fill('2026-11-20');
  await expect(page.getByLabel('编印单位', { exact: true })).toHaveValue('中共滨江街道工作委员会');
  await page.getByLabel('导语', { exact: true }).fill('11月20日上午，读书班举行第三次集中学习，围绕基层治理交流研讨。');
  await page.getByLabel('小结', { exact: true }).fill('大家一致认为，要把学习成果转化为为民服务的实际行动。');
  await expect(page.getByLabel('过渡语', { exact: true })).toHaveValue('现将学员讨论发言情况整理如下：');
  await page.getByLabel('报', { exact: true }).fill('街道党工委');
  await page.getByLabel('送', { exact: true }).fill('区委组织部');
  await page.getByLabel('发', { exact: true }).fill('各居民区党组织');
  await page.getByLabel('共印份数', { exact: true }).fill('30');

  await page.getByLabel('集中学习', { exact: true }).selectOption({ label: '第三次集中学习' });
  await page.getByRole('checkbox', { name: '邵学员 把服务送到楼道里' }).check();
  await page.getByRole('checkbox', { name: '宋明远 三方共治拧成一股绳' }).check();
  await page.getByRole('button', { name: '加入简报' }).click();
  await expect(page.getByText('第 2 条', { exact: true })).toBeVisible();
  // Keyboard reordering: the second item moves up with Alt+↑, and 下移 moves it back.
  const nameOf = async (n: number) => ((await page.getByRole('listitem', { name: new RegExp(`^第 ${n} 条`, 'u') }).getAttribute('aria-label')) ?? '').replace(/^第 \d 条：/u, '');
  const [one, two] = [await nameOf(1), await nameOf(2)];
  expect(new Set([one, two])).toEqual(new Set(['社区党组织书记 邵学员', '滨江社区党总支书记 宋明远']));
  await page.getByRole('listitem', { name: /^第 2 条/u }).focus();
  await page.keyboard.press('Alt+ArrowUp');
  await expect(page.getByRole('listitem', { name: `第 1 条：${two}` })).toBeVisible();
  await page.getByRole('button', { name: '下移 第 1 条' }).click();
  await expect(page.getByRole('listitem', { name: `第 1 条：${one}` })).toBeVisible();

  await expectAccessible(page);
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('status').filter({ hasText: /^已保存（/u })).toBeVisible();
  const stored = openDb();
  const saved = stored
    .prepare('select b.editor, (select count(*) from bulletin_items i where i.bulletin_id = b.id) as items from bulletins b where b.id = ?')
    .get(bulletinId);
  stored.close();
  expect(saved).toEqual({ editor: '林编辑', items: 2 });

  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: '导出Word' }).first().click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/\.docx$/u);
  const bytes = fs.readFileSync(await file.path());
  expect(bytes.subarray(0, 2).toString()).toBe('PK');

  await page.getByRole('link', { name: '预览' }).click();
  await expect(page.getByRole('heading', { name: '社区党组织书记 邵学员' })).toBeVisible();
  await page.goto(`/bulletins/${bulletinId}/print`);
  await expect(page.getByText('书记读书班简报', { exact: true })).toBeVisible();
  await expect(page.getByText('2026年11月20日', { exact: true })).toBeVisible();

  await page.goto(`/bulletins/${bulletinId}`);
  await page.getByRole('button', { name: '发布', exact: true }).click();
  const check = page.getByRole('dialog', { name: /发布前检查/u });
  await expect(check.getByText('没有发现缺少或可能有误的地方。确认发布吗？')).toBeVisible();
  await check.getByRole('button', { name: '确认发布' }).click();
  await expect(page.getByText('已发布，学员已收到通知')).toBeVisible();
  const db = openDb();
  const row = db.prepare('select status, published_revision as rev from bulletins where id = ?').get(bulletinId) as { status: string; rev: number };
  db.close();
  expect(row).toEqual({ status: 'published', rev: 1 });
  expect(errors).toEqual([]);
  await context.close();
});

test('a member reads it under /my/bulletins; someone outside the course gets 404', async ({ browser }) => {
  const context = await browser.newContext({ storageState: stateFile('cadre') });
  const page = await context.newPage();
  await page.goto('/my/bulletins');
  await page.getByRole('link', { name: `【书记读书班】${COURSE}简报（第1期）` }).click();
  await expect(page).toHaveURL(new RegExp(`/my/bulletins/${bulletinId}$`, 'u'));
  await expect(page.getByText('一是把网格建在楼道里，把服务送到家门口。')).toBeVisible();
  await context.close();

  const outsider = await browser.newContext();
  const other = await outsider.newPage();
  await signIn(other, 'bulletin-outsider', FIXTURE_PASSWORD);
  await expect(other).toHaveURL(/\/my$/u);
  const res = await other.goto(`/my/bulletins/${bulletinId}`);
  expect(res?.status()).toBe(404);
  const api = await other.request.get(`/api/bulletins/${bulletinId}/export?format=docx`);
  expect(api.status()).toBe(404);
  expect(await api.json()).toMatchObject({ ok: false, code: 'not_found' });
  await outsider.close();
});

test('the bulletin import refuses a file over 5 MB before sending it, with the message on the form', async ({ browser }, testInfo) => {
  const context = await browser.newContext({ storageState: stateFile('organizer') });
  const page = await context.newPage();
  const errors = watchConsole(page);
  await page.goto(`/bulletins/import?courseId=${courseId}`);
  const posts: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST') posts.push(r.url());
  });
  await page.getByLabel(/上传简报文件/u).setInputFiles({ name: '旧简报.docx', mimeType: 'application/octet-stream', buffer: Buffer.alloc(6 * 1024 * 1024, 0x61) });
  await page.getByRole('button', { name: '解析' }).click();
  await expect(page.getByRole('main').getByRole('alert')).toHaveText('文件“旧简报.docx”超过 5 MB，请只保留简报正文后再上传');
  expect(posts).toEqual([]);
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: testInfo.outputPath(`import-too-large-${width}.png`), fullPage: true });
  }
  expect(errors).toEqual([]);
  await context.close();
});
