import ExcelJS from 'exceljs';
import { expect, test } from '@playwright/test';
import { segmentForIndex } from '../lib/search/segment';
import { openDb, stateFile, watchConsole } from './support';

// 搜索心得 and 交稿情况, as an organizer meets them: a word found inside a reflection's body and
// shown highlighted, another course's reflection never listed, and the tracker's .xlsx download
// naming the cadre who has not handed in. Fixtures are inserted straight into the database; the
// search index row is written with the application's own segmenter, as the submit path would.
test.describe.configure({ mode: 'serial' });

const COURSE = '2026年望湖街道基层治理专题读书班';
const OTHER = '2026年别处读书班';
const TASK = '基层治理专题学习心得';
const BODY = '通过这次专题学习,我认识到推进基层治理现代化,关键在于坚持党建引领,把群众的事办好。';
let assignmentId = 0;

test.beforeAll(() => {
  const db = openDb();
  try {
    const organizer = db.prepare("select id from users where username = 'e2e-organizer'").get() as { id: number };
    const cadre = (name: string, username: string) =>
      (db
        .prepare(`insert into users (username, name, title, role, password_hash, must_change_password) values (?, ?, '社区党组织书记', 'cadre', 'x', 0) returning id`)
        .get(username, name) as { id: number }).id;
    const writer = cadre('林思远', 'search-writer');
    const missing = cadre('程未交', 'search-missing');
    const stranger = cadre('外班学员', 'search-stranger');

    const course = (name: string) => (db.prepare('insert into courses (name, column_name) values (?, ?) returning id').get(name, '读书班') as { id: number }).id;
    const mine = course(COURSE);
    const other = course(OTHER);
    db.prepare('insert into course_organizers (course_id, user_id) values (?, ?)').run(mine, organizer.id);
    const due = Date.now() + 7 * 86400_000;
    const task = (courseId: number) => {
      const meeting = (db.prepare("insert into meetings (course_id, title) values (?, '第三次集中学习') returning id").get(courseId) as { id: number }).id;
      return (db.prepare('insert into assignments (meeting_id, course_id, title, due_at) values (?, ?, ?, ?) returning id').get(meeting, courseId, TASK, due) as { id: number }).id;
    };
    assignmentId = task(mine);
    const otherTask = task(other);
    const member = db.prepare('insert into course_members (course_id, user_id) values (?, ?)');
    member.run(mine, writer);
    member.run(mine, missing);
    member.run(other, stranger);

    const reflect = (a: number, courseId: number, author: string, authorId: number, title: string, body: string) => {
      const id = (db
        .prepare(
          `insert into reflections (assignment_id, course_id, author_id, title, body, char_count, status, version_count, submitted_at)
           values (?, ?, ?, ?, ?, ?, 'submitted', 1, ?) returning id`,
        )
        .get(a, courseId, authorId, title, body, body.length, Date.now()) as { id: number }).id;
      db.prepare('insert into reflections_fts (rowid, title, body, author) values (?, ?, ?, ?)').run(
        id,
        segmentForIndex(title),
        segmentForIndex(body),
        `${author} ${segmentForIndex(author)}`,
      );
    };
    reflect(assignmentId, mine, '林思远', writer, '把群众的事办好', BODY);
    reflect(otherTask, other, '外班学员', stranger, '别处的体会', '别的读书班也在谈社会治理。');
  } finally {
    db.close();
  }
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
