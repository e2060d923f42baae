import 'server-only';
import { and, eq, sql } from 'drizzle-orm';
import { notFound } from 'next/navigation';
import { z } from 'zod';
import { getDb, type DB, type Tx } from '@/db';
import { isExpected } from '@/db/queries/expected';
import { courseManagedBy } from '@/db/queries/scope';
import { courses } from '@/db/schema';
import { assertRole } from '@/lib/auth/guard';
import type { Viewer } from '@/lib/auth/viewer-type';
import { idSchema } from '@/lib/validation/common';
import { shanghaiDayStart, shanghaiParts } from '@/lib/time';

// 统计 of one course (organizers of it, admins): members, expected submissions, submitted / on
// time / late / missing, returned and rounds of revision, approved, 优秀, 字数, tags and
// appearances in published 简报 — for the course, by meeting, by 单位 (a unit counts everyone in
// its sub-units too), by 讨论小组, and by week of submission.
//
// How it stays fast (bench: npm run bench, 统计): every read below walks an index by course
// (reflections_course_status_idx, course_members' primary key, assignments_course_idx, tags'
// course index, bulletins_course_status_idx), so the cost follows the size of the course, not of
// the database; the breakdowns are then added up in memory from those few hundred rows in one
// pass. No counters are kept: nothing can drift, and no mutation elsewhere has to know.
//
// What counts: only current members, as in the tracker. Expected is the one rule of
// db/queries/expected.ts (late joiners of a closed assignment are not expected). Submitted is a
// member's handed-in reflection (已提交, 退回修改, 已通过); missing is an expected member without
// one. 疑似雷同 is not counted here yet: the originality check is another issue's.

export interface Figures {
  members: number;
  expected: number;
  submitted: number;
  onTime: number;
  late: number;
  missing: number;
  /** Reflections returned for revision at least once. */
  returned: number;
  /** Return decisions in all: the rounds of revision asked for. */
  returnRounds: number;
  approved: number;
  excellent: number;
  words: number;
  meanWords: number;
  medianWords: number;
  /** Handed-in reflections that appear in at least one published 简报. */
  inBulletins: number;
  /** 疑似雷同: handed-in reflections whose 查重 share is at or above the course's threshold. */
  similar: number;
}

/** Where a row's figures come from, as the review queue's and the lists' filters. */
export interface RowScope {
  meeting?: number;
  unit?: number;
  group?: number;
  /** yyyy-mm-dd, the Monday (Asia/Shanghai) a week of submissions starts on. */
  week?: string;
  /** The meeting's assignment when it has exactly one: its tracker is the list of who is missing. */
  assignment?: number;
}

export interface StatRow {
  key: string;
  label: string;
  /** Depth in the 单位 tree (0 for the top); 0 elsewhere. */
  depth: number;
  scope: RowScope;
  figures: Figures;
}

export interface TagCount {
  id: number;
  name: string;
  count: number;
}

export interface CourseStatisticsDto {
  course: { id: number; name: string; columnName: string; archived: boolean };
  generatedAt: Date;
  /** 集中学习 held so far (started by now, or without a time). */
  meetingsHeld: number;
  meetingsTotal: number;
  assignmentCount: number;
  bulletinsPublished: number;
  totals: Figures;
  byMeeting: StatRow[];
  byUnit: StatRow[];
  byGroup: StatRow[];
  byWeek: StatRow[];
  tags: TagCount[];
}

export const courseStatisticsSchema = z.object({ courseId: idSchema });

export const NO_UNIT_LABEL = '（未填单位）';
export const NO_GROUP_LABEL = '（未分组）';

type Reader = DB | Tx;

interface MemberRow {
  userId: number;
  name: string;
  groupId: number | null;
  unitId: number | null;
  enrolledAt: number;
}
interface AssignmentRow {
  id: number;
  meetingId: number;
  dueAt: number;
  cutoffAt: number | null;
  allowLate: number;
}
interface ReflectionRow {
  id: number;
  assignmentId: number;
  authorId: number;
  status: string;
  late: number;
  excellent: number;
  charCount: number;
  submittedAt: number | null;
}

class Bucket {
  members = new Set<number>();
  expected = 0;
  submitted = 0;
  onTime = 0;
  late = 0;
  missing = 0;
  returned = 0;
  returnRounds = 0;
  approved = 0;
  excellent = 0;
  inBulletins = 0;
  similar = 0;
  words: number[] = [];

  figures(): Figures {
    const total = this.words.reduce((a, b) => a + b, 0);
    const sorted = [...this.words].sort((a, b) => a - b);
    const n = sorted.length;
    const median = n === 0 ? 0 : n % 2 ? (sorted[(n - 1) / 2] as number) : ((sorted[n / 2 - 1] as number) + (sorted[n / 2] as number)) / 2;
    return {
      members: this.members.size,
      expected: this.expected,
      submitted: this.submitted,
      onTime: this.onTime,
      late: this.late,
      missing: this.missing,
      returned: this.returned,
      returnRounds: this.returnRounds,
      approved: this.approved,
      excellent: this.excellent,
      words: total,
      meanWords: n === 0 ? 0 : Math.round(total / n),
      medianWords: Math.round(median),
      inBulletins: this.inBulletins,
      similar: this.similar,
    };
  }
}

/** The Monday (Asia/Shanghai, UTC+8 all year) of the week an instant falls in, as yyyy-mm-dd. */
export function weekOf(ms: number): string {
  const day = Math.floor((ms + 8 * 3_600_000) / 86_400_000); // days since 1970-01-01 (a Thursday) in Shanghai
  const monday = day - ((day + 3) % 7);
  return new Date(monday * 86_400_000).toISOString().slice(0, 10);
}

function weekLabel(monday: string): string {
  const from = shanghaiDayStart(monday);
  const to = new Date(from.getTime() + 6 * 86_400_000);
  const a = shanghaiParts(from);
  const b = shanghaiParts(to);
  return `${a.month}月${a.day}日—${b.month}月${b.day}日`;
}

async function managedCourse(db: Reader, viewer: Viewer, courseId: number) {
  const row = await db
    .select({ id: courses.id, name: courses.name, columnName: courses.columnName, archived: courses.archived })
    .from(courses)
    .where(and(eq(courses.id, courseId), courseManagedBy(viewer, courses.id)))
    .get();
  if (!row) notFound();
  return row;
}

/** The figures of one course this viewer manages; notFound() for any other. */
export async function getCourseStatistics(viewer: Viewer, input: z.input<typeof courseStatisticsSchema>): Promise<CourseStatisticsDto> {
  assertRole(viewer, 'organizer', 'admin');
  const { courseId } = courseStatisticsSchema.parse(input);
  const db = getDb();
  const course = await managedCourse(db, viewer, courseId);
  return await computeCourseStatistics(db, course, new Date());
}

async function computeCourseStatistics(
  db: Reader,
  course: CourseStatisticsDto['course'],
  now: Date,
): Promise<CourseStatisticsDto> {
  const c = course.id;
  const members = await db.all<MemberRow>(sql`select m.user_id as "userId", u.name as name, m.group_id as "groupId", u.unit_id as "unitId",
      m.enrolled_at as "enrolledAt"
    from course_members m join users u on u.id = m.user_id where m.course_id = ${c}`);
  const meetingRows = await db.all<{ id: number; title: string; startsAt: number | null }>(
    sql`select id, title, starts_at as "startsAt" from meetings where course_id = ${c} order by starts_at is null, starts_at, id`,
  );
  const assignmentRows = await db.all<AssignmentRow>(sql`select id, meeting_id as "meetingId", due_at as "dueAt", cutoff_at as "cutoffAt",
      allow_late as "allowLate" from assignments where course_id = ${c}`);
  const groupRows = await db.all<{ id: number; name: string }>(sql`select id, name from course_groups where course_id = ${c} order by sort_order, id`);
  const reflectionRows = await db.all<ReflectionRow>(sql`select id, assignment_id as "assignmentId", author_id as "authorId", status, late,
      excellent, char_count as "charCount", submitted_at as "submittedAt"
    from reflections where course_id = ${c} and status in ('submitted', 'returned', 'approved')`);
  const returns = new Map(
    (await db
      .all<{ id: number; n: number }>(sql`select rc.reflection_id as id, count(*) as n from reflection_comments rc
        join reflections r on r.id = rc.reflection_id
        where r.course_id = ${c} and rc.decision = 'return' group by rc.reflection_id`))
      .map((r) => [r.id, r.n]),
  );
  const inBulletin = new Set(
    (await db
      .all<{ id: number }>(sql`select distinct bi.reflection_id as id from bulletins b
        join bulletin_items bi on bi.bulletin_id = b.id
        where b.course_id = ${c} and b.status = 'published' and bi.reflection_id is not null`))
      .map((r) => r.id),
  );
  // The same condition as the review queue's 疑似雷同 filter (db/queries/originality/reads).
  const similar = new Set(
    (await db
      .all<{ id: number }>(sql`select oc.reflection_id as id from originality_checks oc join courses oc_c on oc_c.id = oc.course_id
        where oc.course_id = ${c} and oc.status = 'done' and oc.share >= oc_c.similarity_threshold * 10`))
      .map((r) => r.id),
  );
  const bulletinsPublished =
    (await db.get<{ n: number }>(sql`select count(*) as n from bulletins where course_id = ${c} and status = 'published'`))?.n ?? 0;
  const tagRows = await db.all<{ id: number; name: string }>(sql`select id, name from tags where course_id = ${c}`);
  const reflectionTags = await db.all<{ reflectionId: number; tagId: number }>(sql`select rt.reflection_id as "reflectionId", rt.tag_id as "tagId"
    from tags t join reflection_tags rt on rt.tag_id = t.id where t.course_id = ${c}`);

  // Each member's unit and every unit above it, by a recursive walk up the tree.
  const ancestry = await db.all<{ unitId: number; ancestorId: number; depth: number }>(sql`with recursive up(unit_id, ancestor_id, depth) as (
      select u.id, u.id, 0 from units u
        where u.id in (select us.unit_id from course_members m join users us on us.id = m.user_id
                       where m.course_id = ${c} and us.unit_id is not null)
      union all
      select up.unit_id, p.parent_id, up.depth + 1 from up join units p on p.id = up.ancestor_id
        where p.parent_id is not null and up.depth < 32
    ) select unit_id as "unitId", ancestor_id as "ancestorId", depth from up`);
  const ancestorsOf = new Map<number, number[]>();
  for (const r of ancestry) {
    const list = ancestorsOf.get(r.unitId);
    if (list) list.push(r.ancestorId);
    else ancestorsOf.set(r.unitId, [r.ancestorId]);
  }
  const unitIds = [...new Set(ancestry.map((r) => r.ancestorId))];
  const unitRows = unitIds.length
    ? await db.all<{ id: number; name: string; parentId: number | null; sortOrder: number }>(
        sql`select id, name, parent_id as "parentId", sort_order as "sortOrder" from units where id in (${sql.join(
          unitIds.map((id) => sql`${id}`),
          sql`, `,
        )})`,
      )
    : [];

  // Buckets, then one pass over (member, assignment) pairs and one over handed-in reflections.
  const total = new Bucket();
  const byMeeting = new Map(meetingRows.map((m) => [m.id, new Bucket()]));
  const byUnit = new Map<number | 'none', Bucket>();
  const byGroup = new Map<number | 'none', Bucket>();
  const byWeek = new Map<string, Bucket>();
  const bucket = <K>(map: Map<K, Bucket>, k: K) => {
    let b = map.get(k);
    if (!b) map.set(k, (b = new Bucket()));
    return b;
  };
  const memberBuckets = new Map<number, Bucket[]>();
  for (const m of members) {
    const list: Bucket[] = [total];
    const units = m.unitId !== null ? (ancestorsOf.get(m.unitId) ?? []) : [];
    if (units.length === 0) list.push(bucket(byUnit, 'none'));
    for (const u of units) list.push(bucket(byUnit, u));
    list.push(bucket(byGroup, m.groupId ?? 'none'));
    for (const b of list) b.members.add(m.userId);
    for (const b of byMeeting.values()) b.members.add(m.userId);
    memberBuckets.set(m.userId, list);
  }
  const meetingOf = new Map(assignmentRows.map((a) => [a.id, a.meetingId]));
  const handedIn = new Map<string, ReflectionRow>();
  for (const r of reflectionRows) handedIn.set(`${r.assignmentId}:${r.authorId}`, r);

  for (const a of assignmentRows) {
    const rule = { dueAt: new Date(a.dueAt), cutoffAt: a.cutoffAt === null ? null : new Date(a.cutoffAt), allowLate: !!a.allowLate };
    const mb = byMeeting.get(a.meetingId);
    for (const m of members) {
      if (!isExpected(rule, new Date(m.enrolledAt))) continue;
      const buckets = [...(memberBuckets.get(m.userId) ?? []), ...(mb ? [mb] : [])];
      const missing = !handedIn.has(`${a.id}:${m.userId}`);
      for (const b of buckets) {
        b.expected += 1;
        if (missing) b.missing += 1;
      }
    }
  }
  const tagCount = new Map<number, number>();
  const counted = new Set<number>();
  for (const r of reflectionRows) {
    const buckets = memberBuckets.get(r.authorId);
    if (!buckets) continue; // no longer a member: not counted, as in the tracker
    counted.add(r.id);
    const mb = byMeeting.get(meetingOf.get(r.assignmentId) ?? -1);
    const all = mb ? [...buckets, mb] : [...buckets];
    if (r.submittedAt !== null) all.push(bucket(byWeek, weekOf(r.submittedAt)));
    const rounds = returns.get(r.id) ?? 0;
    for (const b of all) {
      b.submitted += 1;
      if (r.late) b.late += 1;
      else b.onTime += 1;
      if (rounds > 0) {
        b.returned += 1;
        b.returnRounds += rounds;
      }
      if (r.status === 'approved') b.approved += 1;
      if (r.excellent) b.excellent += 1;
      if (inBulletin.has(r.id)) b.inBulletins += 1;
      if (similar.has(r.id)) b.similar += 1;
      b.words.push(r.charCount);
    }
  }
  for (const rt of reflectionTags) {
    if (counted.has(rt.reflectionId)) tagCount.set(rt.tagId, (tagCount.get(rt.tagId) ?? 0) + 1);
  }

  const assignmentsOfMeeting = new Map<number, number[]>();
  for (const a of assignmentRows) assignmentsOfMeeting.set(a.meetingId, [...(assignmentsOfMeeting.get(a.meetingId) ?? []), a.id]);

  // The 单位 rows in tree order: children under their parent, siblings by sort order then name.
  const unitById = new Map(unitRows.map((u) => [u.id, u]));
  const children = new Map<number | null, typeof unitRows>();
  for (const u of unitRows) {
    const parent = u.parentId !== null && unitById.has(u.parentId) ? u.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), u]);
  }
  const unitOut: StatRow[] = [];
  const walk = (parent: number | null, depth: number) => {
    const list = [...(children.get(parent) ?? [])].sort((x, y) => x.sortOrder - y.sortOrder || x.name.localeCompare(y.name, 'zh-CN'));
    for (const u of list) {
      const b = byUnit.get(u.id);
      if (b) unitOut.push({ key: `unit-${u.id}`, label: u.name, depth, scope: { unit: u.id }, figures: b.figures() });
      walk(u.id, depth + 1);
    }
  };
  walk(null, 0);
  const noUnit = byUnit.get('none');
  if (noUnit) unitOut.push({ key: 'unit-none', label: NO_UNIT_LABEL, depth: 0, scope: {}, figures: noUnit.figures() });

  const groupOut: StatRow[] = groupRows
    .filter((g) => byGroup.has(g.id))
    .map((g) => ({ key: `group-${g.id}`, label: g.name, depth: 0, scope: { group: g.id }, figures: (byGroup.get(g.id) as Bucket).figures() }));
  const noGroup = byGroup.get('none');
  if (noGroup) groupOut.push({ key: 'group-none', label: NO_GROUP_LABEL, depth: 0, scope: {}, figures: noGroup.figures() });

  const nowMs = now.getTime();
  return {
    course,
    generatedAt: now,
    meetingsHeld: meetingRows.filter((m) => m.startsAt === null || m.startsAt <= nowMs).length,
    meetingsTotal: meetingRows.length,
    assignmentCount: assignmentRows.length,
    bulletinsPublished,
    totals: total.figures(),
    byMeeting: meetingRows.map((m) => {
      const own = assignmentsOfMeeting.get(m.id) ?? [];
      return {
        key: `meeting-${m.id}`,
        label: m.title,
        depth: 0,
        scope: { meeting: m.id, ...(own.length === 1 ? { assignment: own[0] } : {}) },
        figures: (byMeeting.get(m.id) as Bucket).figures(),
      };
    }),
    byUnit: unitOut,
    byGroup: groupOut,
    byWeek: [...byWeek.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([week, b]) => ({ key: `week-${week}`, label: weekLabel(week), depth: 0, scope: { week }, figures: b.figures() })),
    tags: tagRows
      .map((t) => ({ id: t.id, name: t.name, count: tagCount.get(t.id) ?? 0 }))
      .filter((t) => t.count > 0)
      .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name, 'zh-CN')),
  };
}
