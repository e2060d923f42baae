import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb } from '@/db';
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

let dir = '';
let raw: Database.Database;
const previous = process.env.DATABASE_PATH;

// SQLite only: the demo office is seeded into a SQLite file and counted again over a second,
// raw better-sqlite3 connection to it. On PostgreSQL the statistics queries are checked by
// statistics.test.ts.
const onPostgres = isPostgres();

beforeAll(() => {
  if (onPostgres) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xuesi-demo-stats-'));
  const file = path.join(dir, 'demo.db');
  const seeded = spawnSync('npx', ['tsx', '-r', './scripts/server-only-shim.cjs', 'scripts/seed.ts'], {
    env: { ...process.env, DATABASE_PATH: file },
    encoding: 'utf8',
  });
  if (seeded.status !== 0) throw new Error(`seed failed: ${seeded.stderr}`);
  process.env.DATABASE_PATH = file;
  closeDb();
  raw = new Database(file, { readonly: true });
}, 240_000);

afterAll(() => {
  if (onPostgres) return;
  raw?.close();
  closeDb();
  if (previous === undefined) delete process.env.DATABASE_PATH;
  else process.env.DATABASE_PATH = previous;
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Independent counts for the members matching `memberWhere` (over m: course_members, u: users) and assignments matching `aWhere` (a). */
function independent(courseId: number, memberWhere: string, aWhere = '1 = 1'): Partial<Figures> {
  const one = (q: string) => (raw.prepare(q).get(courseId) as { n: number | null }).n ?? 0;
  const members = one(`select count(*) as n from course_members m join users u on u.id = m.user_id where m.course_id = ? and ${memberWhere}`);
  // Expected: a member enrolled before the assignment stopped taking submissions, or it never stops.
  const pairs = raw
    .prepare(
      `select a.id as aid, m.user_id as uid, m.enrolled_at as enrolled, a.cutoff_at as cutoff, a.allow_late as allowLate, a.due_at as due
       from assignments a join course_members m on m.course_id = a.course_id join users u on u.id = m.user_id
       where a.course_id = ? and ${memberWhere} and ${aWhere}`,
    )
    .all(courseId) as { aid: number; uid: number; enrolled: number; cutoff: number | null; allowLate: number; due: number }[];
  const handed = new Set(
    (raw.prepare(`select assignment_id || ':' || author_id as k from reflections where course_id = ? and status <> 'draft'`).all(courseId) as { k: string }[]).map((r) => r.k),
  );
  let expected = 0;
  let missing = 0;
  for (const p of pairs) {
    const close = p.cutoff ?? (p.allowLate ? null : p.due);
    if (close !== null && p.enrolled >= close) continue;
    expected += 1;
    if (!handed.has(`${p.aid}:${p.uid}`)) missing += 1;
  }
  const r = `from reflections r join course_members m on m.course_id = r.course_id and m.user_id = r.author_id join users u on u.id = m.user_id
     join assignments a on a.id = r.assignment_id where r.course_id = ? and r.status <> 'draft' and ${memberWhere} and ${aWhere}`;
  return {
    members,
    expected,
    missing,
    submitted: one(`select count(*) as n ${r}`),
    late: one(`select count(*) as n ${r} and r.late = 1`),
    onTime: one(`select count(*) as n ${r} and r.late = 0`),
    approved: one(`select count(*) as n ${r} and r.status = 'approved'`),
    excellent: one(`select count(*) as n ${r} and r.excellent = 1`),
    words: one(`select sum(r.char_count) as n ${r}`),
    returned: one(`select count(*) as n ${r} and exists (select 1 from reflection_comments c where c.reflection_id = r.id and c.decision = 'return')`),
    returnRounds: one(`select count(*) as n from reflection_comments c where c.decision = 'return' and c.reflection_id in (select r.id ${r})`),
    inBulletins: one(`select count(*) as n ${r} and r.id in (select bi.reflection_id from bulletin_items bi join bulletins b on b.id = bi.bulletin_id where b.status = 'published')`),
  };
}

function ids() {
  const course = raw.prepare('select id from courses where name = ?').get(DEMO_COURSE.name) as { id: number };
  const organizer = raw.prepare('select user_id as id from course_organizers where course_id = ?').get(course.id) as { id: number };
  const street = raw.prepare('select id from units where name = ?').get(DEMO_UNITS.street) as { id: number };
  const group = raw.prepare("select id from course_groups where course_id = ? and name = '第一小组'").get(course.id) as { id: number };
  const meeting = raw.prepare('select meeting_id as id from assignments where course_id = ? order by due_at limit 1').get(course.id) as { id: number };
  return { courseId: course.id, organizerId: organizer.id, streetId: street.id, groupId: group.id, meetingId: meeting.id };
}

describe.skipIf(onPostgres)('demo course statistics', () => {
  it('agree with counts made from the database for the course, a meeting, a 街道 with its 社区 and a group', async () => {
    const x = ids();
    const s = await getCourseStatistics(await viewerFor(x.organizerId), { courseId: x.courseId });
    expect(s.totals).toMatchObject(independent(x.courseId, '1 = 1'));
    expect(s.totals.submitted).toBeGreaterThan(100);
    expect(s.totals.excellent).toBeGreaterThan(0);
    expect(s.totals.inBulletins).toBeGreaterThan(0);

    const meeting = s.byMeeting.find((r) => r.scope.meeting === x.meetingId);
    expect(meeting?.figures).toMatchObject({ ...independent(x.courseId, '1 = 1', `a.meeting_id = ${x.meetingId}`) });

    // The 街道 counts its own people and everyone in its 社区.
    const below = `u.unit_id in (select id from units where id = ${x.streetId} or parent_id = ${x.streetId})`;
    const street = s.byUnit.find((r) => r.scope.unit === x.streetId);
    expect(street?.figures).toMatchObject(independent(x.courseId, below));
    const own = independent(x.courseId, `u.unit_id = ${x.streetId}`);
    expect(street?.figures.members).toBeGreaterThan(own.members as number);
    expect(street?.depth).toBeGreaterThan(0);

    const group = s.byGroup.find((r) => r.scope.group === x.groupId);
    expect(group?.figures).toMatchObject(independent(x.courseId, `m.group_id = ${x.groupId}`));

    const tagTotal = (raw.prepare(`select count(*) as n from reflection_tags rt join tags t on t.id = rt.tag_id join reflections r on r.id = rt.reflection_id
      where t.course_id = ? and r.status <> 'draft'`).get(x.courseId) as { n: number }).n;
    expect(s.tags.reduce((a, t) => a + t.count, 0)).toBe(tagTotal);
    const weekTotal = s.byWeek.reduce((a, w) => a + w.figures.submitted, 0);
    expect(weekTotal).toBe(s.totals.submitted);
  });

  it('an admin sees the same; the .xlsx reads back with the same numbers and the 工作总结 names them', async () => {
    const x = ids();
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
