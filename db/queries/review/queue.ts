import 'server-only';
import { and, asc, count, desc, eq, inArray, ne, sql, type SQL } from 'drizzle-orm';
import { getDb } from '@/db';
import { keysetAfter, orderByKeys, qualified, seekPage, type SeekPage, type SortKey } from '@/db/sql-kit';
import { courseManagedBy } from '@/db/queries/scope';
import {
  assignments,
  courseGroups,
  courseOrganizers,
  courses,
  meetings,
  reflections,
  reflectionStateCounts,
  tags,
  units,
  users,
  type ReflectionStatus,
} from '@/db/schema';
import { assertRole } from '@/lib/auth/guard';
import { shanghaiDayStart } from '@/lib/time';
import type { Viewer } from '@/lib/auth/viewer-type';
import { reviewFilterSchema, type ReviewFilter, type ReviewFilterInput } from '@/lib/validation/review';
import { similarCondition, similarShareColumn } from '../originality/reads';
import { HANDED_IN, tagsOf, type Reader, type TagRef } from './scope';

// The organizer's queue: handed-in reflections of the courses they run, filtered, sorted and
// paged, with the counts per state, the filter's choices, and j/k through it. Every read is
// scoped by courseManagedBy in the WHERE clause, and counts never include another course.

export const REVIEW_PAGE_SIZE = 25;

// ---------------------------------------------------------------------------------------------
// Filters

/** Ids of the courses this organizer runs, so that SQLite can walk reflections_course_status_idx per course. */
function managedCourseIds(db: Reader, viewer: Viewer): number[] | null {
  if (viewer.role === 'admin') return null;
  return db
    .select({ id: courseOrganizers.courseId })
    .from(courseOrganizers)
    .where(eq(courseOrganizers.userId, viewer.id))
    .all()
    .map((r) => r.id);
}

/** The unit and every unit under it (a 街道 includes its 社区). */
function unitAndBelow(db: Reader, unitId: number): number[] {
  return db
    .all<{ id: number }>(
      sql`with recursive below(id, depth) as (
            select id, 0 from units where id = ${unitId}
            union all
            select u.id, below.depth + 1 from units u join below on u.parent_id = below.id where below.depth < 32
          ) select id from below`,
    )
    .map((r) => r.id);
}

/** Every condition of the filter except the state, which the counts group by. */
function baseConditions(db: Reader, viewer: Viewer, f: ReviewFilter): SQL[] {
  const rid = qualified(reflections.id);
  const conditions: SQL[] = [courseManagedBy(viewer, reflections.courseId)];
  const managed = managedCourseIds(db, viewer);
  if (f.course) conditions.push(eq(reflections.courseId, f.course));
  else if (managed) conditions.push(managed.length ? inArray(reflections.courseId, managed) : sql`0 = 1`);
  if (f.assignment) conditions.push(eq(reflections.assignmentId, f.assignment));
  if (f.meeting) {
    conditions.push(sql`${reflections.assignmentId} in (select a.id from assignments a where a.meeting_id = ${f.meeting})`);
  }
  if (f.unit) {
    const ids = unitAndBelow(db, f.unit);
    conditions.push(
      sql`${reflections.authorId} in (select u.id from users u where u.unit_id in (${sql.join(
        ids.map((id) => sql`${id}`),
        sql`, `,
      )}))`,
    );
  }
  if (f.group) {
    conditions.push(
      sql`exists (select 1 from course_members cm where cm.course_id = ${qualified(reflections.courseId)}
            and cm.user_id = ${qualified(reflections.authorId)} and cm.group_id = ${f.group})`,
    );
  }
  if (f.tag) {
    conditions.push(sql`exists (select 1 from reflection_tags rt where rt.reflection_id = ${rid} and rt.tag_id = ${f.tag})`);
  }
  if (f.late) conditions.push(eq(reflections.late, true));
  if (f.excellent) conditions.push(eq(reflections.excellent, true));
  if (f.ontime) conditions.push(eq(reflections.late, false));
  if (f.returned) {
    conditions.push(sql`exists (select 1 from reflection_comments rc where rc.reflection_id = ${rid} and rc.decision = 'return')`);
  }
  if (f.inbulletin) {
    conditions.push(
      sql`exists (select 1 from bulletin_items bi join bulletins b on b.id = bi.bulletin_id
            where bi.reflection_id = ${rid} and b.status = 'published')`,
    );
  }
  if (f.week) {
    const from = shanghaiDayStart(f.week);
    conditions.push(sql`${reflections.submittedAt} >= ${from.getTime()} and ${reflections.submittedAt} < ${from.getTime() + 7 * 86_400_000}`);
  }
  if (f.similar) conditions.push(similarCondition);
  return conditions;
}

function stateCondition(state: ReviewFilter['state']): SQL {
  return state === 'all' ? inArray(reflections.status, HANDED_IN) : eq(reflections.status, state);
}

function queueWhere(db: Reader, viewer: Viewer, f: ReviewFilter): SQL {
  return and(...baseConditions(db, viewer, f), stateCondition(f.state)) as SQL;
}

// ---------------------------------------------------------------------------------------------
// Sorting and keyset navigation (j/k, 保存并下一篇)

const unitKey = sql<string>`coalesce(${units.name}, '')`;
// The bare column, not coalesce(…): an expression would keep SQLite off reflections_course_status_idx.
// Every handed-in reflection has a submittedAt (submitReflection sets it).
const submittedKey = reflections.submittedAt;

function sortKeys(sort: ReviewFilter['sort']): SortKey[] {
  if (sort === 'old') return [{ expr: submittedKey, dir: 'asc' }, { expr: reflections.id, dir: 'asc' }];
  if (sort === 'unit') {
    return [
      { expr: unitKey, dir: 'asc' },
      { expr: submittedKey, dir: 'desc' },
      { expr: reflections.id, dir: 'desc' },
    ];
  }
  return [{ expr: submittedKey, dir: 'desc' }, { expr: reflections.id, dir: 'desc' }];
}

/** The types of a sort's key values, to read a page cursor back from the URL. */
function keyShape(sort: ReviewFilter['sort']): ('string' | 'number')[] {
  return sort === 'unit' ? ['string', 'number', 'number'] : ['number', 'number'];
}

function keyValuesOf(db: Reader, viewer: Viewer, sort: ReviewFilter['sort'], id: number): (string | number)[] | null {
  const row = db
    // Raw milliseconds, to bind in the keyset comparisons below.
    .select({ unit: unitKey, submitted: sql<number | null>`${reflections.submittedAt}`, id: reflections.id })
    .from(reflections)
    .innerJoin(users, eq(users.id, reflections.authorId))
    .leftJoin(units, eq(units.id, users.unitId))
    .where(and(eq(reflections.id, id), courseManagedBy(viewer, reflections.courseId), inArray(reflections.status, HANDED_IN)))
    .get();
  if (!row) return null;
  if (sort === 'unit') return [row.unit, row.submitted ?? 0, row.id];
  return [row.submitted ?? 0, row.id];
}

function firstId(db: Reader, viewer: Viewer, f: ReviewFilter, extra: SQL[], reverse = false): number | null {
  return (
    db
      .select({ id: reflections.id })
      .from(reflections)
      .innerJoin(users, eq(users.id, reflections.authorId))
      .leftJoin(units, eq(units.id, users.unitId))
      .where(and(queueWhere(db, viewer, f), ...extra))
      .orderBy(...orderByKeys(sortKeys(f.sort), reverse))
      .limit(1)
      .get()?.id ?? null
  );
}

/** The reflections before and after this one in the queue's filter and order (j/k). */
export function getQueueNeighbors(
  viewer: Viewer,
  { filter, reflectionId }: { filter: ReviewFilterInput; reflectionId: number },
): { prevId: number | null; nextId: number | null } {
  assertRole(viewer, 'organizer', 'admin');
  const f = reviewFilterSchema.parse(filter);
  const db = getDb();
  const values = keyValuesOf(db, viewer, f.sort, reflectionId);
  if (!values) return { prevId: null, nextId: null };
  const keys = sortKeys(f.sort);
  return {
    nextId: firstId(db, viewer, f, [keysetAfter(keys, values)]),
    prevId: firstId(db, viewer, f, [keysetAfter(keys, values, true)], true),
  };
}

/**
 * The next reflection still 待审阅 in the queue's order after this one (保存并下一篇), wrapping
 * round to the start; null when none is left.
 */
export function nextPendingReflection(
  viewer: Viewer,
  { filter, afterId }: { filter: ReviewFilterInput; afterId: number },
): number | null {
  assertRole(viewer, 'organizer', 'admin');
  const f = { ...reviewFilterSchema.parse(filter), state: 'submitted' as const };
  const db = getDb();
  const notThis = ne(reflections.id, afterId);
  const values = keyValuesOf(db, viewer, f.sort, afterId);
  if (values) {
    const after = firstId(db, viewer, f, [notThis, keysetAfter(sortKeys(f.sort), values)]);
    if (after) return after;
  }
  return firstId(db, viewer, f, [notThis]);
}

// ---------------------------------------------------------------------------------------------
// The queue

export interface QueueItemDto {
  id: number;
  courseId: number;
  authorName: string;
  authorTitle: string;
  unitName: string | null;
  courseName: string;
  meetingTitle: string;
  assignmentTitle: string;
  title: string;
  charCount: number;
  submittedAt: Date | null;
  late: boolean;
  status: ReflectionStatus;
  excellent: boolean;
  versionCount: number;
  /** 查重: per mille overlapping other people's writing, null before a check */
  similarity: number | null;
  similarityThreshold: number;
  tags: TagRef[];
}

export type StateCounts = Record<'submitted' | 'returned' | 'approved' | 'all', number>;

/** Where a page of the queue starts: the cursors of 上一页 / 下一页 links (see seekPage). */
export interface QueueCursor {
  after?: unknown;
  before?: unknown;
}

/**
 * One page of the queue: handed-in reflections of the viewer's courses, filtered and sorted. A
 * page reached by 上一页 / 下一页 carries a cursor and is read by seeking (keyset), so a deep page
 * costs what the first does; a page number alone is read from the nearer end.
 */
export function listReviewQueue(
  viewer: Viewer,
  filter: ReviewFilterInput = {},
  cursor: QueueCursor = {},
): SeekPage<QueueItemDto> & { filter: ReviewFilter } {
  assertRole(viewer, 'organizer', 'admin');
  const f = reviewFilterSchema.parse(filter);
  const db = getDb();
  const baseWithoutState = baseConditions(db, viewer, f);
  const where = and(...baseWithoutState, stateCondition(f.state)) as SQL;
  const total = countersAnswer(f) ? countedStates(db, viewer, f)[f.state] : (db.select({ n: count() }).from(reflections).where(where).get()?.n ?? 0);
  const keys = sortKeys(f.sort);
  const columns = {
    id: reflections.id,
    courseId: reflections.courseId,
    authorName: users.name,
    authorTitle: users.title,
    unitName: units.name,
    courseName: courses.name,
    meetingTitle: meetings.title,
    assignmentTitle: assignments.title,
    title: reflections.title,
    charCount: reflections.charCount,
    submittedAt: reflections.submittedAt,
    late: reflections.late,
    status: reflections.status,
    excellent: reflections.excellent,
    versionCount: reflections.versionCount,
    similarity: similarShareColumn,
    similarityThreshold: courses.similarityThreshold,
  };
  const joined = () =>
    db
      .select(columns)
      .from(reflections)
      .innerJoin(users, eq(users.id, reflections.authorId))
      .leftJoin(units, eq(units.id, users.unitId))
      .innerJoin(courses, eq(courses.id, reflections.courseId))
      .innerJoin(assignments, eq(assignments.id, reflections.assignmentId))
      .innerJoin(meetings, eq(meetings.id, assignments.meetingId));
  // The page's keys first (the filter and the time sorts need no join; the unit sort joins the
  // unit only), then the page's rows joined: a deep page never joins the rows it passes.
  const page = seekPage({
    total,
    request: { after: cursor.after, before: cursor.before, page: f.page },
    pageSize: REVIEW_PAGE_SIZE,
    keys,
    shape: keyShape(f.sort),
    run: (extra, order, limit, offset, reverse) => {
      const keyColumns = { id: reflections.id, submitted: sql<number | null>`${reflections.submittedAt}`, unit: unitKey };
      if (f.sort === 'unit') {
        return db
          .select(keyColumns)
          .from(reflections)
          .innerJoin(users, eq(users.id, reflections.authorId))
          .leftJoin(units, eq(units.id, users.unitId))
          .where(and(where, extra))
          .orderBy(...order)
          .limit(limit)
          .offset(offset)
          .all();
      }
      if (f.state !== 'all') {
        return db
          .select({ ...keyColumns, unit: sql<string>`''` })
          .from(reflections)
          .where(and(where, extra))
          .orderBy(...order)
          .limit(limit)
          .offset(offset)
          .all();
      }
      // 全部 in time order: one seek per state, merged. With the states in one IN list SQLite
      // sorts every handed-in row of the scope for each page; per state, each walks its own
      // (status, submitted_at) or (course_id, status, submitted_at) index in order and stops
      // after the rows the page needs.
      const base = and(...baseWithoutState, extra);
      const branches = HANDED_IN.map(
        (state) =>
          sql`select * from (select ${reflections.id} as id, ${reflections.submittedAt} as submitted from ${reflections}
                where ${base} and ${reflections.status} = ${state} order by ${sql.join(order, sql`, `)} limit ${offset + limit})`,
      );
      const dir = (f.sort === 'old') !== reverse ? sql`asc` : sql`desc`;
      return db
        .all<{ id: number; submitted: number | null }>(
          sql`select id, submitted from (${sql.join(branches, sql` union all `)}) order by submitted ${dir}, id ${dir} limit ${limit} offset ${offset}`,
        )
        .map((r) => ({ ...r, unit: '' }));
    },
    keyOf: (r) => (f.sort === 'unit' ? [r.unit, r.submitted ?? 0, r.id] : [r.submitted ?? 0, r.id]),
  });
  const ids = page.items.map((r) => r.id);
  const at = new Map(ids.map((id, i) => [id, i]));
  const rows = ids.length ? joined().where(inArray(reflections.id, ids)).all() : [];
  rows.sort((a, b) => (at.get(a.id) ?? 0) - (at.get(b.id) ?? 0));
  const tagMap = tagsOf(
    db,
    rows.map((r) => r.id),
  );
  return {
    ...page,
    items: rows.map((r) => ({ ...r, tags: tagMap.get(r.id) ?? [] })),
    filter: { ...f, page: page.page },
  };
}

/** True when the filter names at most a course besides the state: the kept counters answer it. */
function countersAnswer(f: ReviewFilter): boolean {
  return !(f.meeting || f.assignment || f.unit || f.group || f.tag || f.late || f.excellent || f.ontime || f.returned || f.inbulletin || f.week || f.similar);
}

function statesOf(rows: { status: ReflectionStatus; n: number }[]): StateCounts {
  const out: StateCounts = { submitted: 0, returned: 0, approved: 0, all: 0 };
  for (const r of rows) {
    if (r.status === 'submitted' || r.status === 'returned' || r.status === 'approved') {
      out[r.status] += r.n;
      out.all += r.n;
    }
  }
  return out;
}

/**
 * The chips from reflection_state_counts, which triggers keep in the same transaction as every
 * change to reflections (migration issue_15c_custom): a few rows per course, however many
 * reflections there are. Scoped like the queue: the viewer's courses, or the chosen one.
 */
function countedStates(db: Reader, viewer: Viewer, f: ReviewFilter): StateCounts {
  const managed = managedCourseIds(db, viewer);
  const conditions: SQL[] = [courseManagedBy(viewer, reflectionStateCounts.courseId), inArray(reflectionStateCounts.status, HANDED_IN)];
  if (f.course) conditions.push(eq(reflectionStateCounts.courseId, f.course));
  else if (managed) conditions.push(managed.length ? inArray(reflectionStateCounts.courseId, managed) : sql`0 = 1`);
  return statesOf(
    db
      .select({ status: reflectionStateCounts.status, n: sql<number>`sum(${reflectionStateCounts.n})` })
      .from(reflectionStateCounts)
      .where(and(...conditions))
      .groupBy(reflectionStateCounts.status)
      .all(),
  );
}

/** How many reflections are in each state under the rest of the filter (the chips). */
export function countReviewStates(viewer: Viewer, filter: ReviewFilterInput = {}): StateCounts {
  assertRole(viewer, 'organizer', 'admin');
  const f = reviewFilterSchema.parse(filter);
  const db = getDb();
  if (countersAnswer(f)) return countedStates(db, viewer, f);
  return statesOf(
    db
      .select({ status: reflections.status, n: count() })
      .from(reflections)
      .where(and(...baseConditions(db, viewer, f), inArray(reflections.status, HANDED_IN)))
      .groupBy(reflections.status)
      .all(),
  );
}

export interface Option {
  id: number;
  name: string;
}

export interface QueueFilterOptions {
  courses: Option[];
  meetings: Option[];
  assignments: Option[];
  groups: Option[];
  tags: Option[];
  units: (Option & { depth: number })[];
  /** Every tag of every managed course, for the bulk 加标签 / 去标签 select. */
  tagsByCourse: { courseId: number; courseName: string; tags: Option[] }[];
}

/**
 * The choices of the filter form; meetings, assignments, groups and tags are those of the chosen
 * course. tagsOfCourses limits the bulk tag select to the courses of the page's rows (the only
 * ones a tag can be put on from that page), so an admin's page does not carry every course's tags.
 */
export function listQueueFilterOptions(viewer: Viewer, { courseId, tagsOfCourses }: { courseId?: number; tagsOfCourses?: number[] }): QueueFilterOptions {
  assertRole(viewer, 'organizer', 'admin');
  const db = getDb();
  const courseRows = db
    .select({ id: courses.id, name: courses.name })
    .from(courses)
    .where(and(courseManagedBy(viewer, courses.id), eq(courses.archived, false)))
    .orderBy(desc(courses.startsOn), desc(courses.id))
    .limit(200)
    .all();
  const chosen = courseId ?? (courseRows.length === 1 ? courseRows[0]!.id : undefined);
  const inCourse = (col: Parameters<typeof eq>[0]) => and(eq(col, chosen ?? -1), courseManagedBy(viewer, col));
  const meetingRows = chosen
    ? db.select({ id: meetings.id, name: meetings.title }).from(meetings).where(inCourse(meetings.courseId)).orderBy(asc(meetings.startsAt), asc(meetings.id)).all()
    : [];
  const assignmentRows = chosen
    ? db
        .select({ id: assignments.id, name: assignments.title })
        .from(assignments)
        .where(inCourse(assignments.courseId))
        .orderBy(asc(assignments.dueAt), asc(assignments.id))
        .all()
    : [];
  const groupRows = chosen
    ? db
        .select({ id: courseGroups.id, name: courseGroups.name })
        .from(courseGroups)
        .where(inCourse(courseGroups.courseId))
        .orderBy(asc(courseGroups.sortOrder), asc(courseGroups.id))
        .all()
    : [];
  const allTags = db
    .select({ id: tags.id, name: tags.name, courseId: tags.courseId, courseName: courses.name })
    .from(tags)
    .innerJoin(courses, eq(courses.id, tags.courseId))
    .where(
      and(
        courseManagedBy(viewer, tags.courseId),
        eq(courses.archived, false),
        tagsOfCourses ? inArray(tags.courseId, [...new Set([...tagsOfCourses, ...(chosen ? [chosen] : [])])]) : undefined,
      ),
    )
    .orderBy(desc(courses.id), asc(tags.name))
    .all();
  const tagsByCourse: QueueFilterOptions['tagsByCourse'] = [];
  for (const t of allTags) {
    let group = tagsByCourse.find((g) => g.courseId === t.courseId);
    if (!group) {
      group = { courseId: t.courseId, courseName: t.courseName, tags: [] };
      tagsByCourse.push(group);
    }
    group.tags.push({ id: t.id, name: t.name });
  }
  const unitRows = db
    .all<{ id: number; name: string; depth: number }>(
      sql`with recursive tree(id, name, depth, path) as (
            select id, name, 0, printf('%08d', sort_order) || name from units where parent_id is null
            union all
            select u.id, u.name, tree.depth + 1, tree.path || '/' || printf('%08d', u.sort_order) || u.name
            from units u join tree on u.parent_id = tree.id where tree.depth < 32
          ) select id, name, depth from tree order by path limit 2000`,
    );
  return {
    courses: courseRows,
    meetings: meetingRows,
    assignments: assignmentRows,
    groups: groupRows,
    tags: chosen ? (tagsByCourse.find((g) => g.courseId === chosen)?.tags ?? []) : [],
    units: unitRows,
    tagsByCourse,
  };
}

