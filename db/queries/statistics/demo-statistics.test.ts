import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, closeDbAndWait } from '@/db';
import { isPostgres } from '@/db/dialect';
import { signedIn, viewerFor } from '@/db/factories';
import { FIGURE_COLUMNS } from '@/lib/statistics/links';
import { summaryParagraph } from '@/lib/statistics/summary';
import { DEMO_COURSE, DEMO_UNITS } from '@/scripts/demo-texts';
import { getCourseStatistics, type Figures } from './course';
import { exportCourseStatisticsXlsx } from './export';

// The demo course's 统计 against counts computed here, straight from the database with SQL of
// this test's own (not the query's code): for the course, one meeting, the 街道 with its 社区,
// and one group. Then the .xlsx, read back, carries the same numbers and the paragraph names them.
// The demo office is seeded by scripts/seed.ts into a database of this file's own: a SQLite file,
// or on PostgreSQL a database copied from the migrated base (test/pg/global-setup.ts); the counts
// are read over a connection of this test's own to it.

const onPostgres = isPostgres();
let dir = '';
let raw: Database.Database | null = null;
let admin: pg.Client | null = null;
let client: pg.Client | null = null;
let pgName = '';
const previous = { path: process.env.DATABASE_PATH, url: process.env.DATABASE_URL };

function seed(env: NodeJS.ProcessEnv): void {
  const seeded = spawnSync('npx', ['tsx', '-r', './scripts/server-only-shim.cjs', 'scripts/seed.ts'], { env, encoding: 'utf8' });
  if (seeded.status !== 0) throw new Error(`seed failed: ${seeded.stderr}`);
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xuesi-demo-stats-'));
  if (onPostgres) {
    pgName = `demo_${process.pid}_${randomBytes(4).toString('hex')}`;
    admin = new pg.Client({ connectionString: process.env.XUESI_TEST_PG_ADMIN });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${pgName} TEMPLATE xuesi_base`);
    const url = process.env.XUESI_TEST_PG_ADMIN!.replace(/\/postgres$/u, `/${pgName}`);
    seed({ ...process.env, DATABASE_URL: url, DATABASE_PATH: path.join(dir, 'demo.db') });
    process.env.DATABASE_URL = url;
    client = new pg.Client({ connectionString: url });
    await client.connect();
  } else {
    const file = path.join(dir, 'demo.db');
    seed({ ...process.env, DATABASE_PATH: file });
    process.env.DATABASE_PATH = file;
    raw = new Database(file, { readonly: true });
  }
  closeDb();
}, 240_000);

afterAll(async () => {
  raw?.close();
  await client?.end();
  await closeDbAndWait();
  if (admin) {
    await admin.query(`DROP DATABASE IF EXISTS ${pgName} WITH (FORCE)`);
    await admin.end();
  }
  for (const [name, value] of [['DATABASE_PATH', previous.path], ['DATABASE_URL', previous.url]] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Rows of `q` (its parameters written `?`), on this test's own connection; counts and sums as numbers. */
async function rows<R>(q: string, ...params: unknown[]): Promise<R[]> {
  if (raw) return raw.prepare(q).all(...params) as R[];
  let n = 0;
  const result = await client!.query(q.replace(/\?/gu, () => `$${++n}`), params);
  return result.rows as R[];
}
async function row<R>(q: string, ...params: unknown[]): Promise<R> {
  return (await rows<R>(q, ...params))[0]!;
}
/** An instant as this test's connection gives it (ms on SQLite, a Date on PostgreSQL), in ms. */
const ms = (v: number | Date | null): number | null => (v === null ? null : Number(v));

/** Independent counts for the members matching `memberWhere` (over m: course_members, u: users) and assignments matching `aWhere` (a). */
async function independent(courseId: number, memberWhere: string, aWhere = '1 = 1'): Promise<Partial<Figures>> {
  const one = async (q: string) => Number((await row<{ n: number | string | null }>(q, courseId)).n ?? 0);
  const members = await one(`select count(*) as n from course_members m join users u on u.id = m.user_id where m.course_id = ? and ${memberWhere}`);
  // Expected: a member enrolled before the assignment stopped taking submissions, or it never stops.
  const pairs = await rows<{ aid: number; uid: number; enrolled: number | Date; cutoff: number | Date | null; allowLate: number | boolean; due: number | Date }>(
    `select a.id as aid, m.user_id as uid, m.enrolled_at as enrolled, a.cutoff_at as cutoff, a.allow_late as "allowLate", a.due_at as due
       from assignments a join course_members m on m.course_id = a.course_id join users u on u.id = m.user_id
       where a.course_id = ? and ${memberWhere} and ${aWhere}`,
    courseId,
  );
  const handed = new Set(
    (await rows<{ k: string }>(`select assignment_id || ':' || author_id as k from reflections where course_id = ? and status <> 'draft'`, courseId)).map((r) => r.k),
  );
  let expected = 0;
  let missing = 0;
  for (const p of pairs) {
    const close = ms(p.cutoff) ?? (p.allowLate ? null : ms(p.due));
    if (close !== null && ms(p.enrolled)! >= close) continue;
    expected += 1;
    if (!handed.has(`${p.aid}:${p.uid}`)) missing += 1;
  }
  const r = `from reflections r join course_members m on m.course_id = r.course_id and m.user_id = r.author_id join users u on u.id = m.user_id
     join assignments a on a.id = r.assignment_id where r.course_id = ? and r.status <> 'draft' and ${memberWhere} and ${aWhere}`;
  return {
    members,
    expected,
    missing,
    submitted: await one(`select count(*) as n ${r}`),
    late: await one(`select count(*) as n ${r} and r.late`),
    onTime: await one(`select count(*) as n ${r} and not r.late`),
    approved: await one(`select count(*) as n ${r} and r.status = 'approved'`),
    excellent: await one(`select count(*) as n ${r} and r.excellent`),
    words: await one(`select sum(r.char_count) as n ${r}`),
    returned: await one(`select count(*) as n ${r} and exists (select 1 from reflection_comments c where c.reflection_id = r.id and c.decision = 'return')`),
    returnRounds: await one(`select count(*) as n from reflection_comments c where c.decision = 'return' and c.reflection_id in (select r.id ${r})`),
    inBulletins: await one(`select count(*) as n ${r} and r.id in (select bi.reflection_id from bulletin_items bi join bulletins b on b.id = bi.bulletin_id where b.status = 'published')`),
  };
}

async function ids() {
  const course = await row<{ id: number }>('select id from courses where name = ?', DEMO_COURSE.name);
  const organizer = await row<{ id: number }>('select user_id as id from course_organizers where course_id = ?', course.id);
  const street = await row<{ id: number }>('select id from units where name = ?', DEMO_UNITS.street);
  const group = await row<{ id: number }>("select id from course_groups where course_id = ? and name = '第一小组'", course.id);
  const meeting = await row<{ id: number }>('select meeting_id as id from assignments where course_id = ? order by due_at limit 1', course.id);
  return { courseId: course.id, organizerId: organizer.id, streetId: street.id, groupId: group.id, meetingId: meeting.id };
}

describe('demo course statistics', () => {
  it('agree with counts made from the database for the course, a meeting, a 街道 with its 社区 and a group', async () => {
    const x = await ids();
    const s = await getCourseStatistics(await viewerFor(x.organizerId), { courseId: x.courseId });
    expect(s.totals).toMatchObject(await independent(x.courseId, '1 = 1'));
    expect(s.totals.submitted).toBeGreaterThan(100);
    expect(s.totals.excellent).toBeGreaterThan(0);
    expect(s.totals.inBulletins).toBeGreaterThan(0);

    const meeting = s.byMeeting.find((r) => r.scope.meeting === x.meetingId);
    expect(meeting?.figures).toMatchObject({ ...(await independent(x.courseId, '1 = 1', `a.meeting_id = ${x.meetingId}`)) });

    // The 街道 counts its own people and everyone in its 社区.
    const below = `u.unit_id in (select id from units where id = ${x.streetId} or parent_id = ${x.streetId})`;
    const street = s.byUnit.find((r) => r.scope.unit === x.streetId);
    expect(street?.figures).toMatchObject(await independent(x.courseId, below));
    const own = await independent(x.courseId, `u.unit_id = ${x.streetId}`);
    expect(street?.figures.members).toBeGreaterThan(own.members as number);
    expect(street?.depth).toBeGreaterThan(0);

    const group = s.byGroup.find((r) => r.scope.group === x.groupId);
    expect(group?.figures).toMatchObject(await independent(x.courseId, `m.group_id = ${x.groupId}`));

    const tagTotal = Number(
      (
        await row<{ n: number | string }>(
          `select count(*) as n from reflection_tags rt join tags t on t.id = rt.tag_id join reflections r on r.id = rt.reflection_id
      where t.course_id = ? and r.status <> 'draft'`,
          x.courseId,
        )
      ).n,
    );
    expect(s.tags.reduce((a, t) => a + t.count, 0)).toBe(tagTotal);
    const weekTotal = s.byWeek.reduce((a, w) => a + w.figures.submitted, 0);
    expect(weekTotal).toBe(s.totals.submitted);
  });

  it('an admin sees the same; the .xlsx reads back with the same numbers and the 工作总结 names them', async () => {
    const x = await ids();
    const { buffer, stats } = await exportCourseStatisticsXlsx(await signedIn('admin'), { courseId: x.courseId });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buffer as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['总体', '按集中学习', '按单位', '按讨论小组', '按周', '标签']);
    const overall = wb.getWorksheet('总体') as ExcelJS.Worksheet;
    const byLabel = new Map<string, unknown>();
    overall.eachRow((row) => byLabel.set(String(row.getCell(1).value), row.getCell(2).value));
    for (const c of FIGURE_COLUMNS) expect(byLabel.get(c.label), c.label).toBe(stats.totals[c.key]);

    const units = wb.getWorksheet('按单位') as ExcelJS.Worksheet;
    const streetRow = units.getRows(2, units.rowCount - 1)?.find((r) => String(r.getCell(1).value).trim() === DEMO_UNITS.street);
    const street = stats.byUnit.find((r) => r.scope.unit === x.streetId);
    expect(streetRow?.getCell(2).value).toBe(street?.figures.members);
    expect(streetRow?.getCell(4).value).toBe(street?.figures.submitted);
    expect(streetRow?.getCell(7).value).toBe(street?.figures.missing);

    const paragraph = String(overall.getRow(5).getCell(1).value);
    const t = stats.totals;
    expect(paragraph).toBe(summaryParagraph({ courseName: stats.course.name, meetingsHeld: stats.meetingsHeld, bulletinsPublished: stats.bulletinsPublished, ...t }));
    expect(paragraph).toMatch(/^截至目前，/u);
    expect(paragraph).toContain(`共组织集中学习${stats.meetingsHeld}次`);
    expect(paragraph).toContain(`形成学习心得${t.submitted}篇`);
    expect(paragraph).toContain(`其中优秀心得${t.excellent}篇`);
    expect(paragraph).toContain(`尚有${t.missing}篇未交`);
    expect(paragraph).not.toMatch(/[,:;()?!]/u);
  });
});
