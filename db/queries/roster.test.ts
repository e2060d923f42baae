import fs from 'node:fs';
import path from 'node:path';
import { asc, eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { detached, getDb, getWriteSqlite } from '@/db';
import { isPostgres } from '@/db/dialect';
import { setFaultAfterRunForTests } from '@/db/mutation';
import { commitRosterImport, prepareRosterCommit } from '@/db/queries/roster/commit';
import { exportAuditLog, exportRoster } from '@/db/queries/roster/export';
import { listPendingPasswordSheets, takeRosterPasswordSheet } from '@/db/queries/roster/passwords';
import { STALE_MESSAGE } from '@/db/queries/roster/plan';
import {
  cancelRosterImport,
  previewRosterImport,
  previewStoredImport,
  type RosterPreviewDto,
} from '@/db/queries/roster/preview';
import { auditLog, courseGroups, courseMembers, courseOrganizers, courses, units, users } from '@/db/schema';
import type { Viewer } from '@/lib/auth/viewer-type';
import { verifyPassword } from '@/lib/auth/password';
import { csvOf, generatedRoster, xlsxOf, xlsxSkeleton, zipOf, type CellInput } from '@/lib/roster/fixtures/build';
import { MAX_FILE_BYTES, MESSAGES } from '@/lib/roster/limits';
import { importsDir } from '@/lib/roster/store';
import { rosterDatabasePerTest } from '@/test/roster-db';
import { makeAuditEntries } from '@/db/factories';
import { FORBIDDEN, makeUser, signedIn } from '@/test/db';

const REQ = { ip: '10.0.0.8', userAgent: 'vitest' };
const HEADER = ['账号', '姓名', '职务', '单位', '角色', '手机', '读书班', '小组'];
const COURSE = '2020年全区党组织书记读书班';
const DAY = 24 * 60 * 60 * 1000;

async function addUnit(name: string, parentId: number | null = null): Promise<number> {
  return (await getDb().insert(units).values({ name, parentId }).returning({ id: units.id }).get()).id;
}

interface World {
  admin: Viewer;
  fancheng: number;
  niushou: number;
  taiping: number;
  courseId: number;
  group1: number;
  group2: number;
}

async function world(): Promise<World> {
  const admin = await signedIn('admin', { username: 'wangxl', name: '王晓丽' });
  const fancheng = await addUnit('樊城区');
  const niushou = await addUnit('牛首镇', fancheng);
  const taiping = await addUnit('太平店镇', fancheng);
  const db = getDb();
  const courseId = (await db.insert(courses).values({ name: COURSE, columnName: '书记读书班' }).returning({ id: courses.id }).get()).id;
  const group1 = (await db.insert(courseGroups).values({ courseId, name: '第一组' }).returning({ id: courseGroups.id }).get()).id;
  const group2 = (await db.insert(courseGroups).values({ courseId, name: '第二组' }).returning({ id: courseGroups.id }).get()).id;
  return { admin, fancheng, niushou, taiping, courseId, group1, group2 };
}

const GOOD: string[][] = [
  HEADER,
  ['xiadingyang', '夏定阳', '牛首镇委书记、长寿岛国家湿地公园党委书记', '樊城区/牛首镇', '学员', '13907101234', COURSE, '第一组'],
  ['zengjianhui', '曾建辉', '太平店镇党委副书记、镇长', '樊城区/太平店镇', '学员', '139 0710 5678', COURSE, '第二组'],
  ['shaoxy', '邵晓燕', '街道党工委副书记', '太平店镇', 'cadre', '', COURSE, ''],
  ['zhouzz', '周组织', '区委组织部干部', '樊城区', '组织者', '', COURSE, ''],
];

async function state() {
  const db = getDb();
  return {
    users: await db.select().from(users).orderBy(asc(users.id)).all(),
    units: await db.select().from(units).orderBy(asc(units.id)).all(),
    members: await db.select().from(courseMembers).orderBy(asc(courseMembers.userId)).all(),
    organizers: await db.select().from(courseOrganizers).all(),
    audit: await db.select().from(auditLog).orderBy(asc(auditLog.id)).all(),
  };
}

function storedFiles(): string[] {
  return fs.readdirSync(importsDir()).sort();
}

async function preview(viewer: Viewer, bytes: Uint8Array, fileName = '名单.xlsx', allowCreateUnits = false): Promise<RosterPreviewDto> {
  const r = await previewRosterImport(viewer, { fileName, bytes, allowCreateUnits });
  if (!r.ok) throw new Error(`preview refused: ${r.message}`);
  return r.preview;
}

async function commit(viewer: Viewer, p: RosterPreviewDto) {
  const r = await commitRosterImport(viewer, { importId: p.importId, digest: p.digest }, REQ);
  if (!r.ok) throw new Error(`commit refused: ${r.message}`);
  return r.result;
}

async function readSheet(bytes: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  const rows: string[][] = [];
  (wb.worksheets[0] as ExcelJS.Worksheet).eachRow((row) => {
    rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? '')));
  });
  return rows;
}

describe('roster import: a good file', () => {
  rosterDatabasePerTest();

  it('previews, commits all rows, enrolls, issues one-time passwords and audits the counts', async () => {
    const w = await world();
    const p = await preview(w.admin, await xlsxOf(GOOD));
    expect(p.counts).toMatchObject({ rows: 4, add: 4, change: 0, unchanged: 0, errors: 0 });
    expect(p.columns).toEqual(HEADER);
    expect(p.add[1]).toMatchObject({ row: 3, username: 'zengjianhui', unitPath: '樊城区/太平店镇', role: '学员', phone: '13907105678', course: `${COURSE} / 第二组` });
    // 太平店镇 alone is found as 樊城区/太平店镇.
    expect(p.add[2]).toMatchObject({ unitPath: '樊城区/太平店镇', course: COURSE });
    expect(p.add[3]).toMatchObject({ role: '组织者', course: `${COURSE}（组织者）` });
    // The upload waits beside the database, readable only by its owner.
    // (Beside it, while the one-time passwords are hashed, a mark saying which process hashes them
    // and how far it is, for a commit reaching another process: no password in it.)
    const mark = path.join(importsDir(), `${p.importId}.hashing`);
    if (fs.existsSync(mark)) expect(Object.keys(JSON.parse(fs.readFileSync(mark, 'utf8')) as object).sort()).toEqual(['at', 'done', 'ownerId', 'pid', 'total']);
    const stored = storedFiles().filter((f) => f !== `${p.importId}.hashing`);
    expect(stored).toEqual([`${p.importId}.bin`, `${p.importId}.json`]);
    expect(fs.statSync(path.join(importsDir(), `${p.importId}.bin`)).mode & 0o777).toBe(0o600);
    expect(await getDb().select().from(users).all()).toHaveLength(1);

    const before = Date.now();
    const result = await commit(w.admin, p);
    expect(result.counts).toEqual({ rows: 4, added: 4, changed: 0, unchanged: 0, unitsCreated: 0, coursesCreated: 0, groupsCreated: 0, enrolled: 4 });
    expect(result.passwordCount).toBe(4);
    expect(storedFiles()).toEqual([`${result.passwordToken}.pw`, `${result.passwordToken}.pw.json`]);

    const s = await state();
    const byName = new Map(s.users.map((u) => [u.username, u]));
    expect(byName.get('xiadingyang')).toMatchObject({
      name: '夏定阳',
      title: '牛首镇委书记、长寿岛国家湿地公园党委书记',
      unitId: w.niushou,
      role: 'cadre',
      phone: '13907101234',
      active: true,
      mustChangePassword: true,
    });
    expect(byName.get('shaoxy')).toMatchObject({ unitId: w.taiping, role: 'cadre', phone: null });
    expect(byName.get('zhouzz')).toMatchObject({ unitId: w.fancheng, role: 'organizer' });
    const expires = byName.get('xiadingyang')?.passwordExpiresAt?.getTime() ?? 0;
    expect(expires).toBeGreaterThanOrEqual(before + 14 * DAY - 1000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 14 * DAY);
    expect(s.members.map((m) => [m.userId, m.groupId])).toEqual([
      [byName.get('xiadingyang')?.id, w.group1],
      [byName.get('zengjianhui')?.id, w.group2],
      [byName.get('shaoxy')?.id, null],
    ]);
    expect(s.organizers).toEqual([expect.objectContaining({ courseId: w.courseId, userId: byName.get('zhouzz')?.id })]);

    const importRow = s.audit.find((a) => a.action === 'roster.import');
    expect(JSON.parse(importRow?.detail ?? '{}')).toMatchObject({ file: '名单.xlsx', rows: 4, added: 4, changed: 0, unchanged: 0, enrolled: 4 });
    expect(importRow).toMatchObject({ actorId: w.admin.id, ip: '10.0.0.8' });
    expect(s.audit.filter((a) => a.action === 'user.create')).toHaveLength(4);

    // The sheet: once, for this admin only, and the passwords in it are the ones stored (as hashes).
    const other = await signedIn('admin');
    expect(takeRosterPasswordSheet(other, { token: result.passwordToken as string })).toMatchObject({ ok: false, code: 'not_found' });
    expect(listPendingPasswordSheets(w.admin)).toHaveLength(1);
    const sheet = takeRosterPasswordSheet(w.admin, { token: result.passwordToken as string });
    if (!sheet.ok) throw new Error(sheet.message);
    expect(takeRosterPasswordSheet(w.admin, { token: result.passwordToken as string })).toMatchObject({ ok: false, code: 'not_found' });
    expect(storedFiles()).toEqual([]);
    const rows = await readSheet(sheet.bytes);
    expect(rows[0]).toEqual(['账号', '姓名', '初始密码', '有效期至']);
    expect(rows).toHaveLength(5);
    const xia = rows.find((r) => r[0] === 'xiadingyang') as string[];
    expect(xia[3]).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日/u);
    expect(await verifyPassword(byName.get('xiadingyang')?.passwordHash ?? null, xia[2] as string)).toBe(true);
    // Never in the database or the audit log.
    const everything = JSON.stringify(await state());
    for (const r of rows.slice(1)) expect(everything).not.toContain(r[2]);
  });

  it('changes nothing when the same file is imported a second time', async () => {
    const w = await world();
    const file = await xlsxOf(GOOD);
    await commit(w.admin, await preview(w.admin, file));
    const after = await state();

    const again = await preview(w.admin, file);
    expect(again.counts).toMatchObject({ rows: 4, add: 0, change: 0, unchanged: 4, errors: 0 });
    const result = await commit(w.admin, again);
    expect(result).toMatchObject({ passwordToken: null, passwordCount: 0, counts: { added: 0, changed: 0, unchanged: 4, enrolled: 0 } });
    const now = await state();
    expect(now.users).toEqual(after.users);
    expect(now.units).toEqual(after.units);
    expect(now.members).toEqual(after.members);
    // Only the import itself is recorded.
    expect(now.audit.slice(after.audit.length).map((a) => a.action)).toEqual(['roster.import']);
  });

  it('reads GBK and BOM CSV the same as .xlsx', async () => {
    const w = await world();
    for (const encoding of ['gbk', 'utf8-bom'] as const) {
      const p = await preview(w.admin, csvOf(GOOD, encoding), `名单-${encoding}.csv`);
      expect(p.encoding).toBe(encoding === 'gbk' ? 'GB18030' : 'UTF-8 (BOM)');
      expect(p.add.map((a) => a.name)).toEqual(['夏定阳', '曾建辉', '邵晓燕', '周组织']);
      cancelRosterImport(w.admin, { importId: p.importId });
    }
    expect(storedFiles()).toEqual([]);
    const p = await preview(w.admin, csvOf(GOOD, 'gbk'), '名单.csv');
    await commit(w.admin, p);
    expect((await getDb().select({ title: users.title }).from(users).where(eq(users.username, 'xiadingyang')).get())?.title).toBe(
      '牛首镇委书记、长寿岛国家湿地公园党委书记',
    );
  });

  it('shows changes as old → new, leaves blank cells alone, and moves a member between groups', async () => {
    const w = await world();
    await commit(w.admin, await preview(w.admin, await xlsxOf(GOOD)));
    const edited: CellInput[][] = [
      ['账号', '姓名', '职务', '单位', '角色', '手机', '读书班', '小组', '备注'],
      ['xiadingyang', '夏定阳', '樊城区委常委', '樊城区/太平店镇', '', '', COURSE, '第二组', '调任'],
      ['ZengJianHui', '曾建辉', '', '', '组织者', '13800000000', '', '', ''],
      ['shaoxy', '邵晓燕', '街道党工委副书记', '', '', '', '', '', ''],
    ];
    const p = await preview(w.admin, await xlsxOf(edited));
    expect(p.unknownColumns).toEqual(['备注']);
    expect(p.counts).toMatchObject({ add: 0, change: 2, unchanged: 1 });
    expect(p.change[0]?.changes).toEqual([
      { field: 'title', label: '职务', from: '牛首镇委书记、长寿岛国家湿地公园党委书记', to: '樊城区委常委' },
      { field: 'unit', label: '单位', from: '樊城区/牛首镇', to: '樊城区/太平店镇' },
      { field: 'group', label: '小组', from: '第一组', to: '第二组' },
    ]);
    expect(p.change[1]?.changes).toEqual([
      { field: 'role', label: '角色', from: '学员', to: '组织者' },
      { field: 'phone', label: '手机', from: '13907105678', to: '13800000000' },
    ]);
    await commit(w.admin, p);
    const s = await state();
    const xia = s.users.find((u) => u.username === 'xiadingyang');
    expect(xia).toMatchObject({ title: '樊城区委常委', unitId: w.taiping, phone: '13907101234' });
    expect(s.members.find((m) => m.userId === xia?.id)?.groupId).toBe(w.group2);
    expect(s.users.find((u) => u.username === 'zengjianhui')).toMatchObject({ role: 'organizer', title: '太平店镇党委副书记、镇长' });
    const role = s.audit.find((a) => a.action === 'user.role');
    expect(JSON.parse(role?.detail ?? '{}')).toMatchObject({ username: 'zengjianhui', from: 'cadre', to: 'organizer' });
  });

  it('keeps 职务 as written: full-width brackets and colons are not folded to ASCII', async () => {
    const w = await world();
    const title = '樊城区委常委（兼）：组织部部长、统战部部长';
    await commit(w.admin, await preview(w.admin, await xlsxOf([HEADER, ['fw1', '王　晓丽', title, '', '', '', '', '']])));
    expect(await getDb().select({ name: users.name, title: users.title }).from(users).where(eq(users.username, 'fw1')).get()).toEqual({ name: '王 晓丽', title });
  });

  it('creates missing units only when allowed, under the longest part that exists', async () => {
    const w = await world();
    const rows = [HEADER, ['a1', '甲', '', '樊城区/牛首镇/长寿岛社区', '', '', '', ''], ['a2', '乙', '', '襄州区/张湾街道', '', '', '', ''], ['a3', '丙', '', '襄州区/张湾街道', '', '', '', '']];
    const refused = await preview(w.admin, await xlsxOf(rows));
    expect(refused.errors).toEqual([
      { row: 2, column: '单位', message: '单位“樊城区/牛首镇/长寿岛社区”不存在；如需自动新建，请勾选“允许新建不存在的单位”' },
      { row: 3, column: '单位', message: '单位“襄州区/张湾街道”不存在；如需自动新建，请勾选“允许新建不存在的单位”' },
      { row: 4, column: '单位', message: '单位“襄州区/张湾街道”不存在；如需自动新建，请勾选“允许新建不存在的单位”' },
    ]);
    const p = await preview(w.admin, await xlsxOf(rows), '名单.xlsx', true);
    expect(p.counts.errors).toBe(0);
    expect(p.unitsToCreate).toEqual(['樊城区/牛首镇/长寿岛社区', '襄州区', '襄州区/张湾街道']);
    const result = await commit(w.admin, p);
    expect(result.counts.unitsCreated).toBe(3);
    const s = await state();
    const island = s.units.find((u) => u.name === '长寿岛社区');
    const xiangzhou = s.units.find((u) => u.name === '襄州区');
    const zhangwan = s.units.find((u) => u.name === '张湾街道');
    expect(island?.parentId).toBe(w.niushou);
    expect(xiangzhou?.parentId).toBeNull();
    expect(zhangwan?.parentId).toBe(xiangzhou?.id);
    expect(s.users.filter((u) => u.unitId === zhangwan?.id).map((u) => u.username)).toEqual(['a2', 'a3']);
    expect(s.audit.filter((a) => a.action === 'unit.create')).toHaveLength(3);
  });
});

describe('roster import: rows with errors', () => {
  rosterDatabasePerTest();

  it('lists each bad row with its row number, column and reason, and refuses to commit', async () => {
    const w = await world();
    await makeUser('cadre', { username: 'archived1' });
    await getDb().insert(courses).values({ name: '已结束的读书班', archived: true }).run();
    const rows: CellInput[][] = [
      HEADER,
      ['good1', '好人', '', '', '', '', '', ''],
      ['noname', '', '', '', '', '', '', ''],
      ['', '无账号', '', '', '', '', '', ''],
      ['good1', '重复', '', '', '', '', '', ''],
      ['GOOD1', '大小写也算重复', '', '', '', '', '', ''],
      ['badrole', '角色错', '', '', '书记', '', '', ''],
      ['badphone', '手机错', '', '', '', '1234567', '', ''],
      ['bad name!', '账号错', '', '', '', '', '', ''],
      ['nounit', '单位错', '', '襄阳市/不存在区', '', '', '', ''],
      ['oldcourse', '读书班归档', '', '', '', '', '已结束的读书班', ''],
      ['grouponly', '只填小组', '', '', '', '', '', '第一组'],
      ['adminclass', '管理员入班', '', '', '管理员', '', COURSE, ''],
      ['wangxl', '王晓丽', '', '', '学员', '', '', ''],
      // Every problem of a row at once, the course's too, and a repeated 账号 beside its others.
      ['multi', '', '', '襄阳市/不存在区', '书记', '123', '已结束的读书班', ''],
      ['badphone', '再来一次', '', '', '', '456', '', ''],
    ];
    const p = await preview(w.admin, await xlsxOf(rows));
    expect(p.errors).toEqual([
      { row: 3, column: '姓名', message: '缺少姓名' },
      { row: 4, column: '账号', message: '缺少账号' },
      { row: 5, column: '账号', message: '账号“good1”与第 2 行重复' },
      { row: 6, column: '账号', message: '账号“good1”与第 2 行重复' },
      { row: 7, column: '角色', message: '角色“书记”无法识别，应为 学员、组织者 或 管理员' },
      { row: 8, column: '手机', message: '手机号“1234567”格式不正确，应为 11 位手机号' },
      { row: 9, column: '账号', message: '账号只能用字母、数字和 . _ -，并以字母或数字开头' },
      { row: 10, column: '单位', message: '单位“襄阳市/不存在区”不存在；如需自动新建，请勾选“允许新建不存在的单位”' },
      { row: 11, column: '读书班', message: '读书班“已结束的读书班”已归档，不能再加入' },
      { row: 12, column: '小组', message: '填写了小组，但没有填写读书班' },
      { row: 13, column: '读书班', message: '管理员不能加入读书班' },
      { row: 14, column: '角色', message: '不能修改自己的角色' },
      { row: 15, column: '姓名', message: '缺少姓名' },
      { row: 15, column: '角色', message: '角色“书记”无法识别，应为 学员、组织者 或 管理员' },
      { row: 15, column: '手机', message: '手机号“123”格式不正确，应为 11 位手机号' },
      { row: 15, column: '单位', message: '单位“襄阳市/不存在区”不存在；如需自动新建，请勾选“允许新建不存在的单位”' },
      { row: 15, column: '读书班', message: '读书班“已结束的读书班”已归档，不能再加入' },
      { row: 16, column: '账号', message: '账号“badphone”与第 8 行重复' },
      { row: 16, column: '手机', message: '手机号“456”格式不正确，应为 11 位手机号' },
    ]);
    expect(p.counts).toMatchObject({ rows: 15, add: 1, errors: 19, errorRows: 14 });
    const before = await state();
    const r = await commitRosterImport(w.admin, { importId: p.importId, digest: p.digest }, REQ);
    expect(r).toMatchObject({ ok: false, code: 'invalid', message: '名单中还有 19 处错误，请修改文件后重新上传' });
    expect(await state()).toEqual(before);
  });

  it('commits nothing at all when one row has become invalid since the preview', async () => {
    const w = await world();
    const rows = [...GOOD, ['newbie', '新人', '', '襄州区', '', '', '', '']];
    const p = await preview(w.admin, await xlsxOf(rows), '名单.xlsx', true);
    expect(p.counts).toMatchObject({ add: 5, errors: 0 });
    expect(p.unitsToCreate).toEqual(['襄州区']);
    // Meanwhile the course is archived: rows 2–5 can no longer join it.
    await getDb().update(courses).set({ archived: true }).where(eq(courses.name, COURSE)).run();
    const before = await state();
    const r = await commitRosterImport(w.admin, { importId: p.importId, digest: p.digest }, REQ);
    expect(r).toMatchObject({ ok: false, code: 'invalid' });
    expect(await state()).toEqual(before);
    // The new preview says why.
    const again = await previewStoredImport(w.admin, { importId: p.importId });
    expect(again.ok && again.preview.errors.map((e) => e.row)).toEqual([2, 3, 4, 5]);
    expect(again.ok && again.preview.errors[1]).toEqual({ row: 3, column: '读书班', message: `读书班“${COURSE}”已归档，不能再加入` });
  });

  it('refuses when the database changes between the checks and the transaction, writing nothing', async () => {
    const w = await world();
    const p = await preview(w.admin, await xlsxOf(GOOD));
    // While the passwords are being hashed, someone creates one of the accounts by hand.
    let before = await state();
    const r = await commitRosterImport(w.admin, { importId: p.importId, digest: p.digest }, REQ, {
      onHashing: async () => {
        await makeUser('cadre', { username: 'shaoxy', name: '邵晓燕' });
        before = await state();
      },
    });
    expect(r).toEqual({ ok: false, code: 'stale', message: STALE_MESSAGE, fieldErrors: undefined });
    expect(await state()).toEqual(before);
    // A commit with a digest other than the preview's is refused too.
    const wrong = await commitRosterImport(w.admin, { importId: p.importId, digest: '0'.repeat(64) }, REQ);
    expect(wrong).toMatchObject({ ok: false, code: 'stale' });
    expect(await state()).toEqual(before);
  });

  // The roster process plans on a snapshot of its own before it asks for the write lock; a write
  // committed after that snapshot makes SQLite refuse the lock, and it plans again inside the lock.
  // Here this thread holds the lock, with an account made in it, across the roster process's plan.
  // On PostgreSQL the roster process's transaction takes the advisory write lock before it plans:
  // it waits for this thread's transaction, then plans with that account there.
  async function commitWhileThisThreadWrites(w: World, username: string) {
    const p = await preview(w.admin, await xlsxOf(GOOD));
    if (isPostgres()) return await commitWhileThisThreadWritesOnPostgres(w, username, p);
    const sqlite = getWriteSqlite();
    sqlite.exec('BEGIN IMMEDIATE');
    let open = true;
    try {
      await makeUser('cadre', { username, name: '邵晓燕' });
      let hashed!: () => void;
      const allHashed = new Promise<void>((r) => (hashed = r));
      const committing = commitRosterImport(w.admin, { importId: p.importId, digest: p.digest }, REQ, {
        onProgress: (done, total) => done === total && hashed(),
      });
      await allHashed;
      await new Promise((r) => setTimeout(r, 500));
      sqlite.exec('COMMIT');
      open = false;
      const before = await state();
      return { result: await committing, before };
    } finally {
      if (open) sqlite.exec('ROLLBACK');
    }
  }

  async function commitWhileThisThreadWritesOnPostgres(w: World, username: string, p: { importId: string; digest: string }) {
    let hashed!: () => void;
    const allHashed = new Promise<void>((r) => (hashed = r));
    let committing!: ReturnType<typeof commitRosterImport>;
    // Read inside the transaction, with its account: the roster process cannot write before it ends.
    const before = await getDb().transaction(async () => {
      await makeUser('cadre', { username, name: '邵晓燕' });
      // Outside this transaction's async context, as a request of its own.
      committing = detached(() =>
        commitRosterImport(w.admin, { importId: p.importId, digest: p.digest }, REQ, {
          onProgress: (done, total) => done === total && hashed(),
        }),
      );
      await allHashed;
      await new Promise((r) => setTimeout(r, 500));
      return await state();
    });
    return { result: await committing, before };
  }

  it('a write landing while the roster process plans does not fail the commit: it waits for the lock and plans again', async () => {
    const w = await world();
    const { result, before } = await commitWhileThisThreadWrites(w, 'bystander');
    expect(result).toMatchObject({ ok: true, result: { counts: { added: 4 } } });
    const after = await state();
    expect(after.users).toHaveLength(before.users.length + 4);
    expect(after.users.filter((u) => u.username === 'bystander')).toHaveLength(1);
  });

  it('an account of the file made while the roster process plans is never written over: the commit is refused, writing nothing', async () => {
    const w = await world();
    const { result, before } = await commitWhileThisThreadWrites(w, 'shaoxy');
    expect(result).toEqual({ ok: false, code: 'stale', message: STALE_MESSAGE, fieldErrors: undefined });
    expect(await state()).toEqual(before);
  });

  it('writes in the roster process: this thread reads the database as it was until the commit, and a forced failure there leaves it so', async () => {
    const w = await world();
    const before = await state();
    const seen: number[] = [];
    // The kernel's after-run hook runs here while the roster process's transaction is open.
    setFaultAfterRunForTests(async () => {
      seen.push((await getDb().select().from(users).all()).length);
      if (seen.length === 1) throw new Error('forced after the write');
    });
    try {
      const p = await preview(w.admin, await xlsxOf(GOOD));
      await expect(commitRosterImport(w.admin, { importId: p.importId, digest: p.digest }, REQ)).rejects.toThrow('forced after the write');
      expect(await state()).toEqual(before);
      // Confirmed again: the same hook lets it through this time, and the accounts are there.
      const result = await commit(w.admin, p);
      expect(result.counts.added).toBe(4);
    } finally {
      setFaultAfterRunForTests(null);
    }
    expect(seen).toEqual([before.users.length, before.users.length]);
    expect(await getDb().select().from(users).all()).toHaveLength(before.users.length + 4);
  });

  it('lets this thread write while the roster process commits: a write waits for the lock, never for an answer only this thread could give', async () => {
    const w = await world();
    const rows = generatedRoster(1500, { course: COURSE, groups: ['第一组', '第二组'] });
    const p = await preview(w.admin, await xlsxOf(rows), '名单.xlsx', true);
    let finished = false;
    const committing = commitRosterImport(w.admin, { importId: p.importId, digest: p.digest }, REQ).finally(() => {
      finished = true;
    });
    // Accounts made by hand meanwhile, one every few milliseconds, each in its own write.
    const made: number[] = [];
    while (!finished) {
      made.push(await makeUser('cadre', { username: `bystander${made.length}` }));
      await new Promise((r) => setTimeout(r, 5));
    }
    const result = await committing;
    expect(result).toMatchObject({ ok: true, result: { counts: { added: 1500 } } });
    expect(made.length).toBeGreaterThan(0);
    expect(await getDb().select().from(users).all()).toHaveLength(1 + 1500 + made.length);
  });
});

describe('roster import: hostile files change nothing', () => {
  rosterDatabasePerTest();

  const hostile: [string, string, () => Promise<Uint8Array> | Uint8Array, string][] = [
    ['over 5 MB', 'big.csv', () => Buffer.concat([csvOf(GOOD), Buffer.alloc(MAX_FILE_BYTES, 0x20)]), MESSAGES.tooLarge],
    ['a zip bomb', 'bomb.xlsx', () => zipOf([...xlsxSkeleton(), { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(1 << 20), claimSize: 0xfffffff0 }]), MESSAGES.zipTooLarge],
    ['thousands of entries', 'many.xlsx', () => zipOf([...xlsxSkeleton(), ...Array.from({ length: 2_500 }, (_, i) => ({ name: `xl/e${i}.xml`, data: Buffer.from('<e/>') }))]), MESSAGES.zipEntries],
    ['a text file renamed .xlsx', 'renamed.xlsx', () => Buffer.from('账号,姓名\nabc,王晓丽\n'), MESSAGES.xlsxNotZip],
    ['a __proto__ header', 'proto.csv', () => csvOf([[...HEADER, '__proto__'], [...(GOOD[1] as string[]), '{"admin":true}']]), MESSAGES.forbiddenHeader('__proto__')],
    ['a constructor header in .xlsx', 'ctor.xlsx', () => xlsxOf([['constructor', ...HEADER], ['x', ...(GOOD[1] as string[])]]), MESSAGES.forbiddenHeader('constructor')],
  ];

  for (const [what, name, make, message] of hostile) {
    it(`refuses ${what} with a message`, async () => {
      const w = await world();
      const before = await state();
      const r = await previewRosterImport(w.admin, { fileName: name, bytes: await make(), allowCreateUnits: true });
      expect(r).toEqual({ ok: false, code: 'bad_file', message, fieldErrors: undefined });
      expect(await state()).toEqual(before);
      expect(storedFiles()).toEqual([]);
    });
  }

  it('stores formula cells as the text they show, never evaluated', async () => {
    const w = await world();
    const rows: CellInput[][] = [
      HEADER,
      ['f1', { formula: 'CONCATENATE("夏","定阳")', result: '夏定阳' }, '=1+2', '', '', '', '', ''],
      ['f2', '李四', { formula: 'HYPERLINK("http://x.example","点我")' }, '', '', '', '', ''],
    ];
    const p = await preview(w.admin, await xlsxOf(rows));
    expect(p.notes).toEqual([
      '第 2 行“姓名”是公式，已按其显示的值“夏定阳”作为文本读取',
      '第 3 行“职务”是公式，已按其显示的值“=HYPERLINK("http://x.example","点我")”作为文本读取',
    ]);
    await commit(w.admin, p);
    const stored = await getDb().select({ username: users.username, name: users.name, title: users.title }).from(users).where(eq(users.role, 'cadre')).orderBy(asc(users.username)).all();
    expect(stored).toEqual([
      { username: 'f1', name: '夏定阳', title: '=1+2' },
      { username: 'f2', name: '李四', title: '=HYPERLINK("http://x.example","点我")' },
    ]);
  });
});

describe('roster: only admins', () => {
  rosterDatabasePerTest();

  it('refuses organizers, cadres and an admin who must still change the one-time password', async () => {
    const w = await world();
    const p = await preview(w.admin, await xlsxOf(GOOD));
    const result = await commit(w.admin, await preview(w.admin, await xlsxOf([HEADER, ['solo', '独自', '', '', '', '', '', '']])));
    const viewers = [await signedIn('organizer'), await signedIn('cadre'), await signedIn('admin', { mustChangePassword: true })];
    const before = await state();
    const files = storedFiles();
    for (const v of viewers) {
      const ref = { importId: p.importId, digest: p.digest };
      const reads: (() => unknown)[] = [
        () => previewRosterImport(v, { fileName: 'a.xlsx', bytes: new Uint8Array([1]), allowCreateUnits: false }),
        () => previewStoredImport(v, { importId: p.importId }),
        () => cancelRosterImport(v, { importId: p.importId }),
        () => prepareRosterCommit(v, ref),
        () => takeRosterPasswordSheet(v, { token: result.passwordToken as string }),
        () => listPendingPasswordSheets(v),
      ];
      for (const call of reads) {
        let digest: string | undefined;
        try {
          await call();
        } catch (e) {
          digest = (e as { digest?: string }).digest;
        }
        expect(digest).toBe(FORBIDDEN);
      }
      const refused = { ok: false, code: v.mustChangePassword ? 'must_change_password' : 'forbidden' };
      expect(await commitRosterImport(v, ref, REQ)).toMatchObject(refused);
      expect(await exportRoster(v, { format: 'csv' }, REQ)).toMatchObject(refused);
      expect(await exportAuditLog(v, {}, REQ)).toMatchObject(refused);
    }
    const after = await state();
    expect(after.users).toEqual(before.users);
    expect(after.audit).toEqual(before.audit);
    expect(storedFiles()).toEqual(files);
  });
});

describe('exports', () => {
  rosterDatabasePerTest();

  it('exports the filtered roster as CSV and .xlsx with formula-like cells escaped, and audits it', async () => {
    const w = await world();
    await makeUser('cadre', { username: 'evil', name: '=HYPERLINK("http://x.example")', title: '-2+3', unitId: w.niushou, phone: '13907101234' });
    await makeUser('cadre', { username: 'plain', name: '夏定阳', title: '@书记', unitId: w.taiping });
    await makeUser('organizer', { username: 'org', name: '周组织', unitId: w.niushou });
    const csv = await exportRoster(w.admin, { role: 'cadre', format: 'csv' }, REQ);
    if (!csv.ok) throw new Error(csv.message);
    expect(csv.contentType).toBe('text/csv; charset=utf-8');
    const text = csv.bytes.subarray(3).toString('utf8');
    expect(text).toBe(
      '账号,姓名,职务,单位,角色,手机,状态\r\n' +
        `evil,"'=HYPERLINK(""http://x.example"")",'-2+3,樊城区/牛首镇,学员,13907101234,正常\r\n` +
        "plain,夏定阳,'@书记,樊城区/太平店镇,学员,,正常\r\n",
    );
    const xlsx = await exportRoster(w.admin, { unitId: w.niushou, format: 'xlsx' }, REQ);
    if (!xlsx.ok) throw new Error(xlsx.message);
    const rows = await readSheet(xlsx.bytes);
    expect(rows.map((r) => r[0])).toEqual(['账号', 'evil', 'org']);
    expect(rows[1]?.[1]).toBe(`'=HYPERLINK("http://x.example")`);
    const audits = await getDb().select().from(auditLog).where(eq(auditLog.action, 'roster.export')).all();
    expect(audits.map((a) => JSON.parse(a.detail ?? '{}'))).toEqual([
      { format: 'csv', count: 2, filter: { role: 'cadre' } },
      { format: 'xlsx', count: 2, filter: { unitId: w.niushou } },
    ]);
  });

  it('exports exactly the audit rows the filter shows, across pages', async () => {
    const w = await world();
    const db = getDb();
    await makeAuditEntries(Array.from({ length: 120 }, (_, i) => ({ actorId: w.admin.id, actorUsername: 'wangxl', action: 'unit.create', detail: JSON.stringify({ path: `=区${i}` }) })));
    await makeAuditEntries([{ actorId: null, actorUsername: 'stranger', action: 'login.failure' }]);
    // 三员分立: the audit log is the 审计员's to export, not the admin's.
    expect(await exportAuditLog(w.admin, { action: 'unit.create' }, REQ)).toMatchObject({ ok: false, code: 'forbidden' });
    const file = await exportAuditLog(await signedIn('auditor'), { action: 'unit.create' }, REQ);
    if (!file.ok) throw new Error(file.message);
    const rows = await readSheet(file.bytes);
    expect(rows[0]).toEqual(['时间', '操作人', '操作', '对象', '详情', '来源地址']);
    expect(rows).toHaveLength(121);
    expect(rows.slice(1).every((r) => r[2] === '新建单位' && r[1] === 'wangxl')).toBe(true);
    expect(rows[1]?.[4]).toBe('{"path":"=区119"}');
    const exported = await db.select().from(auditLog).where(eq(auditLog.action, 'audit.export')).get();
    expect(JSON.parse(exported?.detail ?? '{}')).toEqual({ format: 'xlsx', count: 120, filter: { action: 'unit.create' } });
  });
});

describe('roster import: setting up a whole 读书班 from one file', () => {
  rosterDatabasePerTest();

  const NEW_COURSE = '2021年全区党组织书记读书班';
  const SETUP_HEADER = ['账号', '姓名', '职务', '单位', '角色', '读书班', '小组', '组长', '编印单位'];
  const setupRows = (): CellInput[][] => [
    SETUP_HEADER,
    ['zzb01', '王晓丽', '区委组织部干部', '襄州区/区委组织部', '组织者', NEW_COURSE, '', '', ''],
    ['sj01', '夏定阳', '牛首镇委书记', '襄州区/牛首镇', '', NEW_COURSE, '第一组', '是', '中共襄州区委组织部'],
    ['sj02', '曾建辉', '太平店镇党委副书记', '襄州区/太平店镇', '', NEW_COURSE, '第一组', '', ''],
    ['sj03', '邵晓燕', '街道党工委副书记', '襄州区/太平店镇', '', NEW_COURSE, '第二组', '', ''],
  ];

  it('previews the 读书班, groups and units as to be created, and writes them all in one commit, audited', async () => {
    const admin = await signedIn('admin', { username: 'wangxl' });
    const p = await preview(admin, await xlsxOf(setupRows()), '名单.xlsx', true);
    expect(p.errors).toEqual([]);
    expect(p.coursesToCreate).toEqual([{ name: NEW_COURSE, columnName: '', publisher: '中共襄州区委组织部' }]);
    expect(p.groupsToCreate).toEqual([
      { courseName: NEW_COURSE, name: '第一组', leader: '夏定阳（sj01）' },
      { courseName: NEW_COURSE, name: '第二组', leader: '' },
    ]);
    expect(p.unitsToCreate).toEqual(['襄州区', '襄州区/区委组织部', '襄州区/牛首镇', '襄州区/太平店镇']);
    expect(p.add.map((a) => a.course)).toEqual([`${NEW_COURSE}（组织者）`, `${NEW_COURSE} / 第一组（组长）`, `${NEW_COURSE} / 第一组`, `${NEW_COURSE} / 第二组`]);
    expect(await getDb().select().from(courses).all()).toEqual([]);

    // 栏目 was not in the file: the preview asks for it once, and the commit takes it.
    const r = await commitRosterImport(
      admin,
      { importId: p.importId, digest: p.digest, courses: [{ name: NEW_COURSE, columnName: '书记读书班', publisher: '' }] },
      REQ,
    );
    if (!r.ok) throw new Error(r.message);
    expect(r.result.counts).toMatchObject({ added: 4, coursesCreated: 1, groupsCreated: 2, unitsCreated: 4, enrolled: 4 });

    const db = getDb();
    const course = await db.select().from(courses).get();
    expect(course).toMatchObject({ name: NEW_COURSE, columnName: '书记读书班', publisher: '中共襄州区委组织部', createdBy: admin.id });
    const idOf = new Map((await db.select({ id: users.id, username: users.username }).from(users).all()).map((u) => [u.username, u.id]));
    const groups = await db.select().from(courseGroups).orderBy(asc(courseGroups.sortOrder)).all();
    expect(groups.map((g) => [g.name, g.leaderId, g.sortOrder])).toEqual([
      ['第一组', idOf.get('sj01'), 1],
      ['第二组', null, 2],
    ]);
    const groupOf = new Map((await db.select().from(courseMembers).all()).map((m) => [m.userId, m.groupId]));
    expect(groupOf.get(idOf.get('sj02') as number)).toBe(groups[0]?.id);
    expect(groupOf.get(idOf.get('sj03') as number)).toBe(groups[1]?.id);
    expect(await db.select().from(courseOrganizers).all()).toMatchObject([{ courseId: course?.id, userId: idOf.get('zzb01') }]);
    const actions = (await db.select({ action: auditLog.action }).from(auditLog).all()).map((a) => a.action);
    expect(actions.filter((a) => a === 'course.create' || a === 'group.create' || a === 'group.update')).toEqual([
      'course.create',
      'group.create',
      'group.create',
      'group.update',
    ]);

    // The same file again changes nothing.
    const again = await preview(admin, await xlsxOf(setupRows()), '名单.xlsx', true);
    expect(again.counts).toMatchObject({ add: 0, change: 0, unchanged: 4, errors: 0 });
    expect(again.coursesToCreate).toEqual([]);
    expect(again.groupsToCreate).toEqual([]);
  });

  it('adds a missing group to an existing 读书班, and refuses two leaders for one group', async () => {
    const admin = await signedIn('admin', { username: 'wangxl' });
    await getDb().insert(courses).values({ name: NEW_COURSE }).run();
    const rows = setupRows();
    rows.push(['sj04', '周组长', '', '', '', NEW_COURSE, '第一组', '是', '']);
    rows.push(['sj05', '李某', '', '', '', NEW_COURSE, '', '组长', '']);
    const p = await preview(admin, await xlsxOf(rows), '名单.xlsx', true);
    expect(p.coursesToCreate).toEqual([]);
    expect(p.errors).toEqual([
      { row: 6, column: '组长', message: '小组“第一组”的组长已在第 3 行填写，每组只能有一位组长' },
      { row: 7, column: '组长', message: '标为组长，但没有填写小组' },
    ]);
    expect(p.groupsToCreate.map((g) => g.name)).toEqual(['第一组', '第二组']);
  });
});
