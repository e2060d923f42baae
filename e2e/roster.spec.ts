import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { expect, test } from '@playwright/test';
import { makeAssignment, makeCourse, makeGroup, makeMeeting, makeUser, unitPath } from './fixtures';
import { expectAccessible, openDb, signIn, watchConsole } from './support';
import { signInAdmin } from './two-factor-helper';

// The roster journey: an admin uploads the organization department's sheet, the preview shows
// its errors, the fixed sheet is imported, the one-time password sheet is downloaded once, and a
// new cadre signs in with it, must change it, and lands on /my inside the course from the sheet.

const HEADER = ['账号', '姓名', '职务', '单位', '角色', '手机', '读书班', '小组'];
const COURSE = '2021年樊城区党组织书记读书班(花名册)';

async function writeXlsx(file: string, rows: (string | number)[][]): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('花名册');
  for (const r of rows) ws.addRow(r);
  await wb.xlsx.writeFile(file);
}

async function sheetRows(file: string): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const rows: string[][] = [];
  (wb.worksheets[0] as ExcelJS.Worksheet).eachRow((row) => {
    rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? '')));
  });
  return rows;
}

test('import a roster: errors shown, fixed, committed, password sheet once, new cadre signs in to the course', async ({ page, browser }) => {
  const errors = watchConsole(page);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'xuesi-roster-e2e-'));
  const suffix = Date.now().toString(36);
  const cadre = { username: `xdy${suffix}`, name: '夏定阳' };

  // A course with a group and one assignment, so that /my has something to show for it. Other
  // specs may have made the units already; unitPath reuses them.
  await unitPath(['樊城区', '牛首镇']);
  const courseId = await makeCourse({ name: COURSE, columnName: '书记读书班', startsOn: null });
  await makeGroup(courseId, { name: '第一组' });
  const meetingId = await makeMeeting(courseId, { title: '第一次集中学习', startsAt: new Date() });
  await makeAssignment(meetingId, { courseId, title: '第一次集中学习心得', prompt: '', dueAt: new Date(Date.now() + 7 * 24 * 60 * 60 * 1000) });

  const bad = path.join(tmp, '樊城区花名册.xlsx');
  await writeXlsx(bad, [
    HEADER,
    [cadre.username, cadre.name, '牛首镇委书记、长寿岛国家湿地公园党委书记', '樊城区/牛首镇', '学员', 13907101234, COURSE, '第一组'],
    [`zjh${suffix}`, '', '太平店镇党委副书记、镇长', '樊城区', '学员', '1390710', COURSE, ''],
  ]);

  await signInAdmin(page);
  await expect(page).toHaveURL(/\/admin$/u);
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '花名册' }).click();
  await expect(page.getByRole('heading', { name: '花名册', level: 1 })).toBeVisible();

  await page.getByLabel('花名册文件（.xlsx / .csv）').setInputFiles(bad);
  await page.getByRole('button', { name: '上传并预览' }).click();
  const errorTable = page.getByRole('table', { name: /错误/u });
  await expect(errorTable).toBeVisible();
  await expect(errorTable.getByRole('row').filter({ hasText: '缺少姓名' })).toContainText('3');
  await expect(errorTable.getByRole('row').filter({ hasText: '手机号“1390710”格式不正确' })).toContainText('手机');
  await expectAccessible(page);
  await expect(page.getByRole('button', { name: '确认导入' })).toBeDisabled();

  // Nothing was written by the preview.
  const check = openDb();
  expect(check.prepare('select count(*) n from users where username = ?').get(cadre.username)).toEqual({ n: 0 });
  check.close();

  const good = path.join(tmp, '樊城区花名册-改.xlsx');
  await writeXlsx(good, [
    HEADER,
    [cadre.username, cadre.name, '牛首镇委书记、长寿岛国家湿地公园党委书记', '樊城区/牛首镇', '学员', 13907101234, COURSE, '第一组'],
    [`zjh${suffix}`, '曾建辉', '太平店镇党委副书记、镇长', '樊城区', '学员', '13907105678', COURSE, ''],
  ]);
  await page.getByLabel('花名册文件（.xlsx / .csv）').setInputFiles(good);
  await page.getByRole('button', { name: '上传并预览' }).click();
  // The first preview's tables are still on the page until the second one lands: wait for what
  // only the fixed sheet gives (no error table, 曾建辉 among the new accounts).
  await expect(page.getByRole('table', { name: /错误/u })).toHaveCount(0);
  const addTable = page.getByRole('table', { name: /新增/u });
  await expect(addTable.getByRole('row').filter({ hasText: '曾建辉' })).toBeVisible();
  await expect(addTable.getByRole('row').filter({ hasText: cadre.username })).toContainText(`${COURSE} / 第一组`);
  await page.getByRole('button', { name: '确认导入' }).click();
  await expect(page.getByRole('heading', { name: '导入完成' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText('新增 2 人')).toBeVisible();

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '下载初始密码表' }).click()]);
  const sheetFile = path.join(tmp, 'passwords.xlsx');
  await download.saveAs(sheetFile);
  await expect(page.getByText('初始密码表已下载，服务器上已删除。')).toBeVisible();
  await expect(page.getByRole('link', { name: '下载初始密码表' })).toHaveCount(0);
  const rows = await sheetRows(sheetFile);
  expect(rows[0]).toEqual(['账号', '姓名', '初始密码', '有效期至']);
  const row = rows.find((r) => r[0] === cadre.username);
  const otp = row?.[2] ?? '';
  expect(otp).toMatch(/^\S{12}$/u);

  // The sheet was handed out once: the same address now answers 404.
  const again = await page.request.get(new URL(download.url(), page.url()).toString());
  expect(again.status()).toBe(404);

  const stored = openDb();
  const user = stored.prepare('select id, must_change_password mcp, phone, password_hash h from users where username = ?').get(cadre.username) as
    | { id: number; mcp: number; phone: string; h: string }
    | undefined;
  expect(user).toMatchObject({ mcp: 1, phone: '13907101234' });
  expect(user?.h).not.toContain(otp);
  expect(stored.prepare('select count(*) n from course_members where user_id = ?').get(user?.id)).toEqual({ n: 1 });
  // Other specs import rosters too: count this file's import.
  expect(
    stored.prepare("select count(*) n from audit_log where action = 'roster.import' and json_extract(detail, '$.file') = ?").get('樊城区花名册-改.xlsx'),
  ).toEqual({ n: 1 });
  stored.close();

  const cadreContext = await browser.newContext();
  const me = await cadreContext.newPage();
  const cadreErrors = watchConsole(me);
  await signIn(me, cadre.username, otp);
  await expect(me).toHaveURL(/\/change-password$/u);
  const chosen = '长寿岛湿地春来早-2026';
  await me.getByLabel('当前密码').fill(otp);
  await me.getByLabel('新密码', { exact: true }).fill(chosen);
  await me.getByLabel('确认新密码').fill(chosen);
  await me.getByRole('button', { name: '修改密码' }).click();
  await expect(me).toHaveURL(/\/my\?passwordChanged=1$/u);
  await expect(me.getByRole('heading', { name: '我的学习' })).toBeVisible();
  await expect(me.getByRole('heading', { name: COURSE })).toBeVisible();
  await expect(me.getByText('第一次集中学习心得').first()).toBeVisible();

  expect(cadreErrors).toEqual([]);
  expect(errors).toEqual([]);
  await cadreContext.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('bulk actions on the account list ask first and say how many people they affect', async ({ page }) => {
  const suffix = Date.now().toString(36);
  await makeUser('cadre', { username: `bulka${suffix}`, name: '王建华' });
  await makeUser('cadre', { username: `bulkb${suffix}`, name: '李晓梅' });
  await signInAdmin(page);
  await expect(page).toHaveURL(/\/admin$/u);
  await page.goto(`/admin?q=${suffix}`);
  await page.getByRole('checkbox', { name: '全选本页' }).check();
  await expect(page.getByRole('checkbox', { name: /王建华/u })).toBeChecked();
  await expect(page.getByText('已选 2 人')).toBeVisible();
  await page.getByRole('button', { name: '批量停用' }).click();
  await expect(page.getByRole('alertdialog')).toContainText('将影响 2 人');
  await page.getByRole('button', { name: '确认', exact: true }).click();
  await expect(page.getByText('已停用 2 人')).toBeVisible();
  const check = openDb();
  const mine = `bulk%${suffix}`;
  expect(check.prepare('select count(*) n from users where username like ? and active = 0').get(mine)).toEqual({ n: 2 });
  expect(
    check
      .prepare("select count(*) n from audit_log where action = 'user.deactivate' and target_id in (select cast(id as text) from users where username like ?)")
      .get(mine),
  ).toEqual({ n: 2 });
  check.close();
});
