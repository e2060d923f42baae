import ExcelJS from 'exceljs';
import { expect, test } from '@playwright/test';
import { enroll, makeAssignment, makeCourse, makeMeeting, makeReflection, makeUser, userIdOf } from './fixtures';
import { openDb, stateFile, watchConsole } from './support';

// 搜索心得 and 交稿情况, as an organizer meets them: a word found inside a reflection's body and
// shown highlighted, another course's reflection never listed, and the tracker's .xlsx download
// naming the cadre who has not handed in. Fixtures come from the shared factories, which index
// handed-in reflections with the application's own indexer, as the submit path would.
test.describe.configure({ mode: 'serial' });

const COURSE = '2026年望湖街道基层治理专题读书班';
const OTHER = '2026年别处读书班';
const TASK = '基层治理专题学习心得';
const BODY = '通过这次专题学习,我认识到推进基层治理现代化,关键在于坚持党建引领,把群众的事办好。';
let assignmentId = 0;

test.beforeAll(async () => {
  const cadre = async (name: string, username: string) => await makeUser('cadre', { username, name, title: '社区党组织书记' });
  const writer = await cadre('林思远', 'search-writer');
  const missing = await cadre('程未交', 'search-missing');
  const stranger = await cadre('外班学员', 'search-stranger');

  const mine = await makeCourse({ name: COURSE, columnName: '读书班', startsOn: null, organizerIds: [await userIdOf('e2e-organizer')] });
  const other = await makeCourse({ name: OTHER, columnName: '读书班', startsOn: null });
  const dueAt = new Date(Date.now() + 7 * 86400_000);
  const task = async (courseId: number) =>
    await makeAssignment(await makeMeeting(courseId, { title: '第三次集中学习', startsAt: null }), { courseId, title: TASK, prompt: '', dueAt });
  assignmentId = await task(mine);
  const otherTask = await task(other);
  await enroll(mine, [writer, missing]);
  await enroll(other, [stranger]);

  await makeReflection({ assignmentId, courseId: mine, authorId: writer, status: 'submitted', title: '把群众的事办好', body: BODY });
  await makeReflection({ assignmentId: otherTask, courseId: other, authorId: stranger, status: 'submitted', title: '别处的体会', body: '别的读书班也在谈社会治理。' });
});

test.use({ storageState: stateFile('organizer') });

test('search finds 治理 inside a body and shows it highlighted, never another course', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/review/search');
  await page.getByRole('searchbox', { name: '搜索心得' }).fill('治理');
  await page.getByRole('button', { name: '搜索', exact: true }).click();
  await expect(page).toHaveURL(/\/review\/search\?q=/u);
  const result = page.getByRole('listitem').filter({ hasText: '把群众的事办好' });
  await expect(result).toBeVisible();
  await expect(result.locator('mark').first()).toHaveText('治理');
  await expect(result).toContainText('推进基层治理现代化');
  await expect(page.getByText('别处的体会')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('the tracker lists the missing cadre and its export downloads as an .xlsx naming them', async ({ page }) => {
  await page.goto('/review/tracker');
  await page.getByRole('link', { name: TASK }).first().click();
  await expect(page).toHaveURL(new RegExp(`/review/tracker/${assignmentId}$`, 'u'));
  await expect(page.getByRole('row').filter({ hasText: '程未交' })).toContainText('未交');

  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: '导出Excel' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^交稿情况-.*\.xlsx$/u);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(await file.path());
  const list = wb.getWorksheet('名单');
  const rows: string[][] = [];
  list?.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
  expect(rows.find((r) => r[0] === '程未交')?.[4]).toBe('未交');
  expect(rows.find((r) => r[0] === '林思远')?.[4]).toBe('按时提交');
  expect(rows.some((r) => r[0] === '外班学员')).toBe(false);

  // 提醒未交学员 asks first, saying how many will be reminded.
  await page.getByRole('button', { name: '提醒未交学员' }).click();
  await expect(page.getByRole('group', { name: '请确认' })).toContainText('将提醒 1 人');
  await page.getByRole('button', { name: '确认提醒' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已提醒 1 人' })).toBeVisible();
  const db = openDb();
  const reminded = db
    .prepare("select u.username from notifications n join users u on u.id = n.user_id where n.kind = 'reminder' and n.link = ?")
    .all(`/my/assignments/${assignmentId}`);
  db.close();
  expect(reminded).toEqual([{ username: 'search-missing' }]);
});

test('the export answers 401 without a sign-in and 404 for another course', async ({ browser, request }) => {
  const anonymous = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const signedOut = await anonymous.request.get(`/api/review/tracker/${assignmentId}/export`);
  expect(signedOut.status()).toBe(401);
  await anonymous.close();
  const db = openDb();
  const other = db.prepare('select a.id from assignments a join courses c on c.id = a.course_id where c.name = ?').get(OTHER) as { id: number };
  db.close();
  const notMine = await request.get(`/api/review/tracker/${other.id}/export`);
  expect(notMine.status()).toBe(404);
  expect(((await notMine.json()) as { message: string }).message).toContain('找不到');
});
