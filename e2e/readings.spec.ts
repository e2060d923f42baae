import path from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { hashPassword } from '@/lib/auth/password';
import { createAccount, enroll, FIXTURE_PASSWORD, makeAssignment, makeCourse, makeMeeting, makeReading, makeUser, unitPath, userIdOf } from './fixtures';
import { expectAccessible, openDb, signIn, stateFile, watchConsole } from './support';

// Readings with their text (issue 11): an organizer enters the text of a reading (《党的自我革命重要论述选读》) and
// searches it; a cadre on a 390 px phone opens it from the assignment, enlarges the text, quotes
// a passage into the reflection and submits, and the version records the quoted passage; the
// same cadre imports a .doc and a .wps whose title and byline are recognised.
test.describe.configure({ mode: 'serial' });

// Its own title: reflection.spec.ts adds 《论党的自我革命》 to the same library and expects it once.
const READING = '《党的自我革命重要论述选读》';
const TASK = '读原文谈体会';
const TEXT = [
  '第一章　勇于自我革命',
  '勇于自我革命是我们党最鲜明的品格，也是我们党最大的优势。',
  '全面从严治党永远在路上，党的自我革命永远在路上。',
  '第二章　跳出历史周期率',
  '我们党找到了自我革命这一跳出治乱兴衰历史周期率的第二个答案。',
].join('\n');
const PASSAGE = '勇于自我革命是我们党最鲜明的品格';
const PHONE = { width: 390, height: 844 };
const FIXTURES = path.join(process.cwd(), 'test/fixtures');

let readingId = 0;
let assignmentId = 0;
let importAssignmentId = 0;

function one<T>(query: string, ...params: unknown[]): T {
  const db = openDb();
  try {
    return db.prepare(query).get(...params) as T;
  } finally {
    db.close();
  }
}

async function phonePage(browser: Browser, username: string): Promise<Page> {
  const context = await browser.newContext({ viewport: PHONE, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  await signIn(page, username, FIXTURE_PASSWORD);
  await expect(page).toHaveURL(/\/my$/u);
  return page;
}

test('an organizer enters a reading’s text, split into chapters, and searches it', async ({ browser }) => {
  const unit = await unitPath(['望江街道']);
  await makeUser('cadre', { username: 'reader-cadre', name: '孙卫东', title: '望江街道党工委副书记', unitId: unit, passwordHash: await hashPassword(FIXTURE_PASSWORD) });
  await createAccount({ username: 'other-reader', name: '何晓明', role: 'cadre', password: FIXTURE_PASSWORD });
  const organizerId = await userIdOf('e2e-organizer');
  readingId = await makeReading({ title: READING, createdBy: organizerId });
  const courseId = await makeCourse({ name: '2026年望江街道读书班', organizerIds: [organizerId] });
  const meetingId = await makeMeeting(courseId, { title: '第一次集中学习', readingIds: [readingId] });
  assignmentId = await makeAssignment(meetingId, { title: TASK, readingIds: [readingId], minChars: 0, dueAt: new Date('2030-12-31T10:00:00Z') });
  importAssignmentId = await makeAssignment(meetingId, { title: '导入心得', minChars: 0, dueAt: new Date('2030-12-31T10:00:00Z') });
  await enroll(courseId, [await userIdOf('reader-cadre')]);
  const otherCourse = await makeCourse({ name: '2026年其他读书班' });
  await enroll(otherCourse, [await userIdOf('other-reader')]);

  const context = await browser.newContext({ storageState: stateFile('organizer') });
  const page = await context.newPage();
  const errors = watchConsole(page);
  await page.goto('/courses/readings');
  await page.getByRole('link', { name: /^原文\s*《党的自我革命重要论述选读》$/u }).click();
  await expect(page.getByRole('heading', { name: READING })).toBeVisible();
  await page.getByLabel('出处').fill('中央文献出版社');
  await page.getByLabel('原文', { exact: true }).fill(TEXT);
  await expect(page.getByText('将保存为 2 个章节')).toBeVisible();
  await page.getByRole('button', { name: '保存原文' }).click();
  await expect(page.getByRole('status').filter({ hasText: '原文已保存，共 2 个章节' })).toBeVisible();
  await expect(page.getByText('已录入原文：2 个章节')).toBeVisible();
  const stored = one<{ n: number }>('select count(*) n from reading_sections where reading_id = ?', readingId);
  expect(stored.n).toBe(2);
  await page.screenshot({ path: 'test-results/screens/reading-text-desktop.png', fullPage: true });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: 'test-results/screens/reading-text-phone.png', fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });

  await page.goto('/courses/readings/search');
  await page.getByLabel('原文关键词').fill('历史周期率');
  await page.getByRole('button', { name: '搜索' }).click();
  await expect(page.getByText('找到 1 个章节')).toBeVisible();
  await expect(page.locator('mark').filter({ hasText: '历史周期率' })).toBeVisible();
  await expectAccessible(page);
  await page.screenshot({ path: 'test-results/screens/reading-search-desktop.png', fullPage: true });
  expect(errors).toEqual([]);
  await context.close();
});

test('on a phone a cadre reads the assigned text, enlarges it, quotes a passage and submits; the version records the quote', async ({ browser }) => {
  const page = await phonePage(browser, 'reader-cadre');
  const errors = watchConsole(page);
  await page.goto(`/my/assignments/${assignmentId}`);
  await page.getByRole('link', { name: /^阅读原文\s*《党的自我革命重要论述选读》$/u }).click();
  await expect(page.getByRole('heading', { name: READING, level: 1 })).toBeVisible();
  await expect(page.getByRole('navigation', { name: '章节目录' }).getByRole('link', { name: '第二章　跳出历史周期率' })).toBeVisible();

  const paragraph = page.getByText(PASSAGE, { exact: false }).first();
  const sizeOf = () => paragraph.evaluate((el) => ({ font: parseFloat(getComputedStyle(el).fontSize), line: parseFloat(getComputedStyle(el).lineHeight) }));
  const before = await sizeOf();
  expect(before.line / before.font).toBeGreaterThanOrEqual(1.5);
  await page.getByRole('button', { name: '特大' }).click();
  await expect(page.getByRole('button', { name: /特大/u })).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(async () => (await sizeOf()).font).toBeGreaterThan(before.font);
  await expect.poll(() => one<{ s: number }>("select reader_text_size s from users where username = 'reader-cadre'").s).toBe(2);
  await page.reload();
  await expect(page.getByRole('button', { name: /特大/u })).toHaveAttribute('aria-pressed', 'true');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expectAccessible(page);
  await page.screenshot({ path: 'test-results/screens/reader-phone.png', fullPage: true });

  // Select the passage as a finger would, then 引用到心得.
  await paragraph.evaluate((el, passage) => {
    const node = el.firstChild as Text;
    const range = document.createRange();
    const start = node.data.indexOf(passage);
    range.setStart(node, start);
    range.setEnd(node, start + passage.length);
    const sel = document.getSelection();
    sel?.removeAllRanges();
    sel?.addRange(range);
  }, PASSAGE);
  await expect(page.getByRole('region', { name: '引用所选文字' })).toContainText(PASSAGE);
  await page.screenshot({ path: 'test-results/screens/reader-quote-phone.png' });
  await page.getByRole('button', { name: '引用到心得' }).click();
  await expect(page).toHaveURL(new RegExp(`/my/assignments/${assignmentId}$`, 'u'));
  const quote = `“${PASSAGE}”（${READING}）`;
  await expect(page.getByLabel('正文')).toHaveValue(quote);
  await expect(page.getByText('已把 1 段引文加到正文末尾')).toBeVisible();

  await page.getByLabel('标题').fill('刀刃向内，从我做起');
  await page.getByLabel('正文').press('End');
  await page.getByLabel('正文').pressSequentially('\n学习这句话，我体会到要把自己摆进去，把工作摆进去。', { delay: 5 });
  await expect(page.getByText(/已保存 /u)).toBeVisible({ timeout: 15_000 });
  await page.getByLabel('本人承诺所交心得为本人撰写').check();
  await page.getByRole('button', { name: '提交' }).click();
  await expect(page.getByText(/已提交.第 1 版/u).first()).toBeVisible();

  const recorded = one<{ passage: string; title: string; heading: string }>(
    `select q.passage, r.title, s.heading from reflection_quotes q
     join reflection_versions v on v.id = q.version_id join reflections f on f.id = v.reflection_id
     join readings r on r.id = q.reading_id left join reading_sections s on s.id = q.section_id
     where f.assignment_id = ? and v.version = 1`,
    assignmentId,
  );
  expect(recorded).toEqual({ passage: PASSAGE, title: READING, heading: '第一章　勇于自我革命' });
  await page.goto(`/my/assignments/${assignmentId}/versions/1`);
  await expect(page.getByText(quote)).toBeVisible();
  await expect(page.getByRole('region', { name: '引用的原文' })).toContainText(`${PASSAGE}”（${READING}，第一章　勇于自我革命）`);
  expect(errors).toEqual([]);
  await page.context().close();
});

test('the reader at desktop width, and a cadre of another course is refused', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await signIn(page, 'reader-cadre', FIXTURE_PASSWORD);
  await expect(page).toHaveURL(/\/my$/u);
  await page.goto(`/my/assignments/${assignmentId}/readings/${readingId}`);
  await expect(page.getByRole('button', { name: /特大/u })).toHaveAttribute('aria-pressed', 'true');
  await page.getByRole('button', { name: '标准' }).click();
  await expect(page.getByRole('button', { name: /标准/u })).toHaveAttribute('aria-pressed', 'true');
  await page.screenshot({ path: 'test-results/screens/reader-desktop.png', fullPage: true });
  await context.clearCookies();
  await signIn(page, 'other-reader', FIXTURE_PASSWORD);
  await expect(page).toHaveURL(/\/my$/u);
  const res = await page.goto(`/my/assignments/${assignmentId}/readings/${readingId}`);
  expect(res?.status()).toBe(404);
  await expect(page.getByText(PASSAGE)).toHaveCount(0);
  await context.close();
});

test('a .doc and a .wps import with the title recognised and the byline dropped, shown and undoable', async ({ browser }) => {
  const page = await phonePage(browser, 'reader-cadre');
  await page.goto(`/my/assignments/${importAssignmentId}`);
  const importer = page.getByLabel('导入文件（Word / WPS / .txt）');
  await importer.setInputFiles(path.join(FIXTURES, 'reflection-title-byline.doc'));
  await expect(page.getByLabel('标题')).toHaveValue('以自我革命精神推动基层治理');
  await expect(page.getByText('署名“望江街道 孙卫东”已从正文中去掉')).toBeVisible();
  await expect(page.getByLabel('正文')).not.toHaveValue(/孙卫东/u);
  await expect(page.getByLabel('正文')).toHaveValue(/^通过这次集中学习/u);
  await page.screenshot({ path: 'test-results/screens/import-heading-phone.png' });
  await page.getByRole('button', { name: '撤销，保留原样' }).click();
  await expect(page.getByLabel('标题')).toHaveValue('');
  await expect(page.getByLabel('正文')).toHaveValue(/^以自我革命精神推动基层治理\n望江街道 孙卫东\n/u);

  await importer.setInputFiles(path.join(FIXTURES, 'reflection-name-byline.wps'));
  await page.getByRole('button', { name: '替换正文' }).click();
  await expect(page.getByLabel('标题')).toHaveValue('把学习成效体现在为民服务上');
  await expect(page.getByText('署名“孙卫东”已从正文中去掉')).toBeVisible();
  await expect(page.getByLabel('正文')).toHaveValue(/^这次读书班让我/u);
  await expect(page.getByText(/已保存 /u)).toBeVisible({ timeout: 15_000 });
  const saved = one<{ title: string; body: string }>(
    "select r.title, r.body from reflections r join users u on u.id = r.author_id where u.username = 'reader-cadre' and r.assignment_id = ?",
    importAssignmentId,
  );
  expect(saved.title).toBe('把学习成效体现在为民服务上');
  expect(saved.body.startsWith('这次读书班让我')).toBe(true);
  await page.context().close();
});
