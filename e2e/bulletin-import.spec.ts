import { expect, test } from '@playwright/test';
import { enroll, makeCourse, makeUser, userIdOf } from './fixtures';
import { openDb, stateFile, watchConsole } from './support';

// Importing an old 简报: /bulletins/import without a course asks which one; a pasted bulletin
// whose date has no year takes the course's year, its 小结 is split from the transition sentence,
// and 生成草稿 creates the draft. A bulletin without any date is not saved until a date is given.
test.describe.configure({ mode: 'serial' });

const COURSE = '2025年临江区党组织书记读书班';
let courseId = 0;

const WITH_DATE = [
  '读书班第二次集中学习侧记',
  '5月9日',
  '5月9日上午，读书班举行第二次集中学习，区委组织部副部长作辅导讲话。',
  '大家一致认为，要把学习成果转化为推动基层治理的实际行动。现将学员讨论发言情况整理如下：',
  '东湖街道党工委副书记 宋佳学',
  '通过学习，我深刻体会到三方共治的重要意义。',
  '清河镇党委书记 欧阳明远',
  '一是要把群众的小事当作自己的大事。二是要把网格建在楼道里。',
].join('\n');

const WITHOUT_DATE = ['读书班交流发言摘编', '近日，读书班举行集中学习。', '东湖街道党工委副书记 宋佳学', '要把学习成效体现在为民办实事上。'].join('\n');

test('fixtures: a course run by e2e-organizer with one member', async () => {
  courseId = await makeCourse({
    name: COURSE,
    columnName: '书记读书班',
    publisher: '中共临江区委组织部',
    startsOn: '2025-03-01',
    organizerIds: [await userIdOf('e2e-organizer')],
  });
  await enroll(courseId, [await makeUser('cadre', { username: 'import-c1', name: '宋佳学', title: '东湖街道党工委副书记' })]);
});

test('without a course the import page asks which; a pasted bulletin becomes a draft', async ({ browser }) => {
  const context = await browser.newContext({ storageState: stateFile('organizer') });
  const page = await context.newPage();
  const errors = watchConsole(page);
  await page.goto('/bulletins/import');
  await expect(page.getByRole('heading', { name: '导入旧简报' })).toBeVisible();
  await page.getByLabel('读书班', { exact: true }).selectOption({ label: COURSE });
  await page.setViewportSize({ width: 390, height: 800 });
  await page.screenshot({ path: '.tmp/shots/import-course-390.png', fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByRole('button', { name: '下一步' }).click();
  await expect(page).toHaveURL(new RegExp(`/bulletins/import\\?courseId=${courseId}$`, 'u'));

  await page.getByLabel('粘贴简报全文').fill(WITH_DATE);
  await page.getByRole('button', { name: '解析' }).click();
  await expect(page.getByRole('heading', { name: '核对识别结果' })).toBeVisible();
  await expect(page.getByLabel('日期', { exact: true })).toHaveValue('2025-05-09');
  await expect(page.getByLabel('导语', { exact: true })).toHaveValue('5月9日上午，读书班举行第二次集中学习，区委组织部副部长作辅导讲话。');
  await expect(page.getByLabel('小结', { exact: true })).toHaveValue('大家一致认为，要把学习成果转化为推动基层治理的实际行动。');
  await expect(page.getByLabel('过渡语', { exact: true })).toHaveValue('现将学员讨论发言情况整理如下：');
  await expect(page.getByText('发言 2 条，1 条未匹配')).toBeVisible();
  await page.screenshot({ path: '.tmp/shots/import-review-1280.png', fullPage: true });
  await page.setViewportSize({ width: 390, height: 800 });
  await page.screenshot({ path: '.tmp/shots/import-review-390.png', fullPage: true });

  await page.getByRole('button', { name: '生成草稿' }).click();
  await expect(page).toHaveURL(/\/bulletins\/\d+\?imported=1$/u);
  const id = Number(/\/bulletins\/(\d+)/u.exec(page.url())?.[1]);
  await expect(page.getByLabel('小结', { exact: true })).toHaveValue('大家一致认为，要把学习成果转化为推动基层治理的实际行动。');
  const db = openDb();
  const row = db.prepare('select issued_on as issuedOn, summary, transition, imported from bulletins where id = ?').get(id);
  const items = db.prepare('select heading from bulletin_items where bulletin_id = ? order by position').all(id);
  db.close();
  expect(row).toEqual({ issuedOn: '2025-05-09', summary: '大家一致认为，要把学习成果转化为推动基层治理的实际行动。', transition: '现将学员讨论发言情况整理如下：', imported: 1 });
  expect(items).toEqual([{ heading: '东湖街道党工委副书记 宋佳学' }, { heading: '清河镇党委书记 欧阳明远' }]);

  // The print view: the red 报头 with 第N期, the article headline under it (not the 报头 again).
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`/bulletins/${id}/print`);
  await expect(page.getByText('书记读书班简报', { exact: true })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: '读书班第二次集中学习侧记' })).toBeVisible();
  await expect(page.getByText('2025年5月9日', { exact: true })).toBeVisible();
  await page.screenshot({ path: '.tmp/shots/print-1280.png', fullPage: true });
  await page.setViewportSize({ width: 390, height: 800 });
  await page.screenshot({ path: '.tmp/shots/print-390.png', fullPage: true });
  expect(errors).toEqual([]);
  await context.close();
});

test('a bulletin without a date is not saved until the date is filled in', async ({ browser }) => {
  const context = await browser.newContext({ storageState: stateFile('organizer') });
  const page = await context.newPage();
  await page.goto(`/bulletins/import?courseId=${courseId}`);
  await page.getByLabel('粘贴简报全文').fill(WITHOUT_DATE);
  await page.getByRole('button', { name: '解析' }).click();
  const date = page.getByLabel('日期', { exact: true });
  await expect(date).toHaveValue('');
  await expect(page.getByText('没有识别出日期，请填写')).toBeVisible();
  await page.getByRole('button', { name: '生成草稿' }).click();
  await expect(page.getByText('没有识别出简报日期，请填写日期后再生成草稿。')).toBeVisible();
  const db = openDb();
  const count = () => (db.prepare('select count(*) as n from bulletins where course_id = ?').get(courseId) as { n: number }).n;
  expect(count()).toBe(1);
  await date.fill('2025-06-01');
  await page.getByRole('button', { name: '生成草稿' }).click();
  await expect(page).toHaveURL(/\/bulletins\/\d+\?imported=1$/u);
  expect(count()).toBe(2);
  db.close();
  await context.close();
});
