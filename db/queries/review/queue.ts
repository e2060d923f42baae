import 'server-only';
import { and, asc, desc, eq, inArray, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { getDb } from '@/db';
import { inIds, instant, keysetAfter, orderByKeys, qualified, seekPage, zeroPadded, type KeyValue, type SeekPage, type SortKey } from '@/db/sql-kit';
import { prepared } from '@/db/queries/reflections/prepared';
import { allPrepared, idList, managedCourse } from './statements';
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
import { HANDED_IN, tagsOf, type TagRef } from './scope';

// The organizer's queue: handed-in reflections of the courses they run, filtered, sorted and
// paged, with the counts per state, the filter's choices, and j/k through it. Every read is
// scoped by courseManagedBy in the WHERE clause, and counts never include another course.

export const REVIEW_PAGE_SIZE = 25;

// ---------------------------------------------------------------------------------------------
// Filters

/**
 * The filter as SQL with a placeholder for every value, the values, and a key naming the shape
 * (which conditions are present), so that each shape is built and prepared once (statements.ts).
 */
interface Where {
  conditions: SQL[];
  values: Record<string, unknown>;
  shape: string;
}

const P = (name: string) => sql.placeholder(name);

/**
 * The viewer's reach: every course for an admin, the courses they run for an organizer, given to
 * SQLite as a list (course_id in (?, ?, …)) so that it walks reflections_course_status_idx course
 * by course; behind a subquery it would walk every handed-in row in time order instead (100,000
 * reflections: 160 ms against a few). The shape is keyed by the number of courses.
 */
type Scope = { condition: SQL; values: Record<string, unknown>; shape: string };

async function scopeCondition(viewer: Viewer): Promise<Scope> {
  if (viewer.role !== 'organizer') return { condition: managedCourse(viewer.role, reflections.courseId), values: {}, shape: viewer.role };
  const ids = (
    await allPrepared<{ id: number }>(
      'review:managed-courses',
      () => sql`select ${courseOrganizers.courseId} as id from ${courseOrganizers} where ${courseOrganizers.userId} = ${P('viewerId')}`,
      { viewerId: viewer.id },
    )
  ).map((r) => r.id);
  if (ids.length === 0) return { condition: sql`0 = 1`, values: {}, shape: 'organizer:0' };
  return {
    condition: sql`${reflections.courseId} in (${sql.join(
      ids.map((_, i) => P(`c${i}`)),
      sql`, `,
    )})`,
    values: Object.fromEntries(ids.map((id, i) => [`c${i}`, id])),
    shape: `organizer:${ids.length}`,
  };
}

/** Every condition of the filter except the state, which the counts group by. */
async function baseConditions(viewer: Viewer, f: ReviewFilter, known?: Scope): Promise<Where> {
  const rid = qualified(reflections.id);
  const scope = known ?? (await scopeCondition(viewer));
  const conditions: SQL[] = [scope.condition];
  const values: Record<string, unknown> = { ...scope.values };
  const shape: string[] = [scope.shape];
  const add = (name: string, condition: SQL, more: Record<string, unknown> = {}) => {
    conditions.push(condition);
    Object.assign(values, more);
    shape.push(name);
  };
  if (f.course) add('course', sql`${reflections.courseId} = ${P('course')}`, { course: f.course });
  if (f.assignment) add('assignment', sql`${reflections.assignmentId} = ${P('assignment')}`, { assignment: f.assignment });
  if (f.meeting) {
    add('meeting', sql`${reflections.assignmentId} in (select a.id from assignments a where a.meeting_id = ${P('meeting')})`, { meeting: f.meeting });
  }
  if (f.unit) {
    // The unit and every unit under it (a 街道 includes its 社区).
    add(
      'unit',
      sql`${reflections.authorId} in (select u.id from users u where u.unit_id in (
            with recursive below(id, depth) as (
              select id, 0 from units where id = ${P('unit')}
              union all
              select un.id, below.depth + 1 from units un join below on un.parent_id = below.id where below.depth < 32
            ) select id from below))`,
      { unit: f.unit },
    );
  }
  if (f.group) {
    add(
      'group',
      sql`exists (select 1 from course_members cm where cm.course_id = ${qualified(reflections.courseId)}
            and cm.user_id = ${qualified(reflections.authorId)} and cm.group_id = ${P('group')})`,
      { group: f.group },
    );
  }
  if (f.tag) add('tag', sql`exists (select 1 from reflection_tags rt where rt.reflection_id = ${rid} and rt.tag_id = ${P('tag')})`, { tag: f.tag });
  if (f.late) add('late', eq(reflections.late, true));
  if (f.excellent) add('excellent', eq(reflections.excellent, true));
  if (f.ontime) add('ontime', eq(reflections.late, false));
  if (f.returned) add('returned', sql`exists (select 1 from reflection_comments rc where rc.reflection_id = ${rid} and rc.decision = 'return')`);
  if (f.inbulletin) {
    add(
      'inbulletin',
      sql`exists (select 1 from bulletin_items bi join bulletins b on b.id = bi.bulletin_id
            where bi.reflection_id = ${rid} and b.status = 'published')`,
    );
  }
  if (f.week) {
    const from = shanghaiDayStart(f.week).getTime();
    add('week', sql`${reflections.submittedAt} >= ${P('weekFrom')} and ${reflections.submittedAt} < ${P('weekTo')}`, {
      weekFrom: instant(new Date(from)),
      weekTo: instant(new Date(from + 7 * 86_400_000)),
    });
  }
  if (f.similar) add('similar', similarCondition);
  return { conditions, values, shape: shape.join('+') };
}

function stateCondition(state: ReviewFilter['state']): { condition: SQL; values: Record<string, unknown>; shape: string } {
  return state === 'all'
    ? { condition: inArray(reflections.status, HANDED_IN), values: {}, shape: 'all' }
    : { condition: sql`${reflections.status} = ${P('state')}`, values: { state }, shape: 'one' };
}

async function queueWhere(viewer: Viewer, f: ReviewFilter, scope?: Scope): Promise<Where> {
  const base = await baseConditions(viewer, f, scope);
  const state = stateCondition(f.state);
  return { conditions: [...base.conditions, state.condition], values: { ...base.values, ...state.values }, shape: `${base.shape}|${state.shape}` };
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

/** Placeholders for a keyset's values: k0, k1, … */
function keyPlaceholders(n: number) {
  return Array.from({ length: n }, (_, i) => P(`k${i}`));
}

/** The placeholders' values; a time key is milliseconds in a cursor, an instant() in SQL. */
function keyValues(keys: readonly SortKey[], values: readonly KeyValue[]): Record<string, unknown> {
  return Object.fromEntries(values.map((v, i) => [`k${i}`, keys[i]?.expr === submittedKey && typeof v === 'number' ? instant(new Date(v)) : v]));
}

async function keyValuesOf(viewer: Viewer, sort: ReviewFilter['sort'], id: number): Promise<KeyValue[] | null> {
  const scope = await scopeCondition(viewer);
  const row = (await allPrepared<{ unit: string; submitted: number | null; id: number }>(
    `review:key:${scope.shape}`,
    () =>
      sql`select ${unitKey} as unit, ${reflections.submittedAt} as submitted, ${reflections.id} as id
          from ${reflections} join ${users} on ${users.id} = ${reflections.authorId} left join ${units} on ${units.id} = ${users.unitId}
          where ${reflections.id} = ${P('id')} and ${scope.condition} and ${inArray(reflections.status, HANDED_IN)}`,
    { ...scope.values, id },
  ))[0];
  if (!row) return null;
  if (sort === 'unit') return [row.unit, row.submitted ?? 0, row.id];
  return [row.submitted ?? 0, row.id];
}

/** The first reflection of the queue's filter and order, past the given keys (and not `notId`) when given. */
async function firstId(
  viewer: Viewer,
  f: ReviewFilter,
  { after, notId, reverse = false }: { after?: KeyValue[]; notId?: number; reverse?: boolean },
): Promise<number | null> {
  const where = await queueWhere(viewer, f);
  const keys = sortKeys(f.sort);
  const key = `review:first:${where.shape}:${f.sort}:${after ? 'after' : ''}:${notId ? 'not' : ''}:${reverse ? 'rev' : ''}`;
  const rows = await allPrepared<{ id: number }>(
    key,
    () =>
      sql`select ${reflections.id} as id from ${reflections}
          join ${users} on ${users.id} = ${reflections.authorId} left join ${units} on ${units.id} = ${users.unitId}
          where ${and(
            ...where.conditions,
            after ? keysetAfter(keys, keyPlaceholders(keys.length), reverse) : undefined,
            notId ? sql`${reflections.id} <> ${P('notId')}` : undefined,
          )}
          order by ${sql.join(orderByKeys(keys, reverse), sql`, `)} limit 1`,
    { ...where.values, ...(after ? keyValues(keys, after) : {}), ...(notId ? { notId } : {}) },
  );
  return rows[0]?.id ?? null;
}

/**
 * The reflections before and after this one in the queue's filter and order (j/k), in one
 * statement: this reflection's sort keys (in the viewer's reach, handed in) and the first row
 * either side of them. Every statement of a page costs the server far more than SQLite's work for
 * it (issue 15: the review detail ran 20), so the three reads it used to take are one.
 */
export async function getQueueNeighbors(
  viewer: Viewer,
  { filter, reflectionId }: { filter: ReviewFilterInput; reflectionId: number },
): Promise<{ prevId: number | null; nextId: number | null }> {
  assertRole(viewer, 'organizer', 'admin');
  const f = reviewFilterSchema.parse(filter);
  const scope = await scopeCondition(viewer);
  const where = await queueWhere(viewer, f, scope);
  const keys = sortKeys(f.sort);
  const cur = f.sort === 'unit' ? [sql`cur.unit`, sql`cur.submitted`, sql`cur.id`] : [sql`cur.submitted`, sql`cur.id`];
  const firstPast = (reverse: boolean) =>
    sql`(select ${reflections.id} from ${reflections}
          join ${users} on ${users.id} = ${reflections.authorId} left join ${units} on ${units.id} = ${users.unitId}
          where ${and(...where.conditions, keysetAfter(keys, cur, reverse))}
          order by ${sql.join(orderByKeys(keys, reverse), sql`, `)} limit 1)`;
  const rows = await allPrepared<{ nextId: number | null; prevId: number | null }>(
    `review:neighbours:${where.shape}:${f.sort}`,
    () =>
      sql`with cur as (
            select ${unitKey} as unit, ${reflections.submittedAt} as submitted, ${reflections.id} as id
            from ${reflections} join ${users} on ${users.id} = ${reflections.authorId} left join ${units} on ${units.id} = ${users.unitId}
            where ${reflections.id} = ${P('id')} and ${scope.condition} and ${inArray(reflections.status, HANDED_IN)})
          select ${firstPast(false)} as "nextId", ${firstPast(true)} as "prevId" from cur`,
    { ...where.values, id: reflectionId },
  );
  return { prevId: rows[0]?.prevId ?? null, nextId: rows[0]?.nextId ?? null };
}

/**
 * The next reflection still 待审阅 in the queue's order after this one (保存并下一篇), wrapping
 * round to the start; null when none is left.
 */
export async function nextPendingReflection(
  viewer: Viewer,
  { filter, afterId }: { filter: ReviewFilterInput; afterId: number },
): Promise<number | null> {
  assertRole(viewer, 'organizer', 'admin');
  const f = { ...reviewFilterSchema.parse(filter), state: 'submitted' as const };
  const values = await keyValuesOf(viewer, f.sort, afterId);
  if (values) {
    const after = await firstId(viewer, f, { after: values, notId: afterId });
    if (after) return after;
  }
  return await firstId(viewer, f, { notId: afterId });
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
export async function listReviewQueue(
  viewer: Viewer,
  filter: ReviewFilterInput = {},
  cursor: QueueCursor = {},
): Promise<SeekPage<QueueItemDto> & { filter: ReviewFilter; counts: StateCounts }> {
  assertRole(viewer, 'organizer', 'admin');
  const f = reviewFilterSchema.parse(filter);
  const base = await baseConditions(viewer, f);
  const state = stateCondition(f.state);
  const where = { conditions: [...base.conditions, state.condition], values: { ...base.values, ...state.values }, shape: `${base.shape}|${state.shape}` };
  const counts = await statesIn(viewer, f, base);
  const total = counts[f.state];
  const keys = sortKeys(f.sort);
  // The page's keys first (the filter and the time sorts need no join; the unit sort joins the
  // unit only), then the page's rows joined: a deep page never joins the rows it passes.
  const page = await seekPage({
    total,
    request: { after: cursor.after, before: cursor.before, page: f.page },
    pageSize: REVIEW_PAGE_SIZE,
    shape: keyShape(f.sort),
    run: async ({ after, reverse, limit, offset }) => {
      const values = { ...where.values, ...(after ? keyValues(keys, after) : {}), limit, offset };
      const seek = after ? keysetAfter(keys, keyPlaceholders(keys.length), reverse) : undefined;
      const key = `review:page:${where.shape}:${f.sort}:${after ? 'after' : ''}:${reverse ? 'rev' : ''}`;
      if (f.sort === 'unit') {
        return await allPrepared<{ id: number; submitted: number | null; unit: string }>(
          key,
          () =>
            sql`select ${reflections.id} as id, ${reflections.submittedAt} as submitted, ${unitKey} as unit from ${reflections}
                join ${users} on ${users.id} = ${reflections.authorId} left join ${units} on ${units.id} = ${users.unitId}
                where ${and(...where.conditions, seek)}
                order by ${sql.join(orderByKeys(keys, reverse), sql`, `)} limit ${P('limit')} offset ${P('offset')}`,
          values,
        );
      }
      if (f.state !== 'all') {
        return await allPrepared<{ id: number; submitted: number | null; unit: string }>(
          key,
          () =>
            sql`select ${reflections.id} as id, ${reflections.submittedAt} as submitted, '' as unit from ${reflections}
                where ${and(...where.conditions, seek)}
                order by ${sql.join(orderByKeys(keys, reverse), sql`, `)} limit ${P('limit')} offset ${P('offset')}`,
          values,
        );
      }
      // 全部 in time order: one seek per state, merged. With the states in one IN list SQLite
      // sorts every handed-in row of the scope for each page; per state, each walks its own
      // (status, submitted_at) or (course_id, status, submitted_at) index in order and stops
      // after the rows the page needs.
      const dir = (f.sort === 'old') !== reverse ? sql`asc` : sql`desc`;
      return await allPrepared<{ id: number; submitted: number | null; unit: string }>(
        key,
        () => {
          const branches = HANDED_IN.map(
            (st) =>
              sql`select * from (select ${reflections.id} as id, ${reflections.submittedAt} as submitted from ${reflections}
                    where ${and(...base.conditions, seek)} and ${reflections.status} = ${st}
                    order by ${sql.join(orderByKeys(keys, reverse), sql`, `)} limit ${P('branchLimit')}) as ${sql.identifier(`state_${st}`)}`,
          );
          // Aliased subqueries: PostgreSQL (before 16) refuses one without a name.
          return sql`select id, submitted, '' as unit from (${sql.join(branches, sql` union all `)}) as page_keys
                     order by submitted ${dir}, id ${dir} limit ${P('limit')} offset ${P('offset')}`;
        },
        { ...values, branchLimit: offset + limit },
      );
    },
    keyOf: (r) => (f.sort === 'unit' ? [r.unit, r.submitted ?? 0, r.id] : [r.submitted ?? 0, r.id]),
  });
  const ids = page.items.map((r) => r.id);
  const at = new Map(ids.map((id, i) => [id, i]));
  const rows = ids.length ? await pageRows(ids) : [];
  rows.sort((a, b) => (at.get(a.id) ?? 0) - (at.get(b.id) ?? 0));
  const tagMap = await tagsOf(
    getDb(),
    rows.map((r) => r.id),
  );
  return {
    ...page,
    items: rows.map((r) => ({ ...r, tags: tagMap.get(r.id) ?? [] })),
    filter: { ...f, page: page.page },
    counts,
  };
}

type PageRow = Omit<QueueItemDto, 'tags'>;

/** The rows of one page, by id (already scoped by the page's own query). */
async function pageRows(ids: number[]): Promise<PageRow[]> {
  // late and excellent: 0/1 from SQLite, true/false from PostgreSQL.
  const raw = await allPrepared<Omit<PageRow, 'submittedAt' | 'late' | 'excellent'> & { submittedAt: number | null; late: number | boolean; excellent: number | boolean }>(
    'review:rows',
    () =>
      sql`select ${reflections.id} as id, ${reflections.courseId} as "courseId", ${users.name} as "authorName", ${users.title} as "authorTitle",
            ${units.name} as "unitName", ${courses.name} as "courseName", ${meetings.title} as "meetingTitle", ${assignments.title} as "assignmentTitle",
            ${reflections.title} as title, ${reflections.charCount} as "charCount", ${reflections.submittedAt} as "submittedAt",
            ${reflections.late} as late, ${reflections.status} as status, ${reflections.excellent} as excellent,
            ${reflections.versionCount} as "versionCount", ${similarShareColumn} as similarity, ${courses.similarityThreshold} as "similarityThreshold"
          from ${reflections}
          join ${users} on ${users.id} = ${reflections.authorId}
          left join ${units} on ${units.id} = ${users.unitId}
          join ${courses} on ${courses.id} = ${reflections.courseId}
          join ${assignments} on ${assignments.id} = ${reflections.assignmentId}
          join ${meetings} on ${meetings.id} = ${assignments.meetingId}
          where ${inIds(reflections.id, P('ids'))}`,
    { ids: idList(ids) },
  );
  return raw.map((r) => ({ ...r, submittedAt: r.submittedAt === null ? null : new Date(r.submittedAt), late: Boolean(r.late), excellent: Boolean(r.excellent) }));
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
 * reflections there are. Scoped like the queue: the viewer's courses, or the chosen one. One pass
 * over the scope's rows with a sum per state: grouping them sorted every row first (an admin over
 * 200 courses: 0.49 ms against 0.11 ms).
 */
async function countedStates(viewer: Viewer, f: ReviewFilter): Promise<StateCounts> {
  const scope = { condition: managedCourse(viewer.role, reflectionStateCounts.courseId), values: { viewerId: viewer.id } };
  const n = reflectionStateCounts.n;
  const status = reflectionStateCounts.status;
  const row = (await allPrepared<{ submitted: number; returned: number; approved: number }>(
    `review:counters:${viewer.role}:${f.course ? 'course' : ''}`,
    () =>
      sql`select coalesce(sum(${n}) filter (where ${status} = 'submitted'), 0) as submitted, coalesce(sum(${n}) filter (where ${status} = 'returned'), 0) as returned,
            coalesce(sum(${n}) filter (where ${status} = 'approved'), 0) as approved from ${reflectionStateCounts}
          where ${and(scope.condition, f.course ? sql`${reflectionStateCounts.courseId} = ${P('course')}` : undefined)}`,
    { ...scope.values, ...(f.course ? { course: f.course } : {}) },
  ))[0];
  const submitted = row?.submitted ?? 0;
  const returned = row?.returned ?? 0;
  const approved = row?.approved ?? 0;
  return { submitted, returned, approved, all: submitted + returned + approved };
}

/** The chips under the filter: from the counters when they answer it, else counted. */
async function statesIn(viewer: Viewer, f: ReviewFilter, base: Where): Promise<StateCounts> {
  if (countersAnswer(f)) return await countedStates(viewer, f);
  return statesOf(
    await allPrepared<{ status: ReflectionStatus; n: number }>(
      `review:states:${base.shape}`,
      () =>
        sql`select ${reflections.status} as status, count(*) as n from ${reflections}
            where ${and(...base.conditions, inArray(reflections.status, HANDED_IN))} group by ${reflections.status}`,
      base.values,
    ),
  );
}

/** How many reflections are in each state under the rest of the filter (the chips). */
export async function countReviewStates(viewer: Viewer, filter: ReviewFilterInput = {}): Promise<StateCounts> {
  assertRole(viewer, 'organizer', 'admin');
  const f = reviewFilterSchema.parse(filter);
  return await statesIn(viewer, f, await baseConditions(viewer, f));
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
export async function listQueueFilterOptions(viewer: Viewer, { courseId, tagsOfCourses }: { courseId?: number; tagsOfCourses?: number[] }): Promise<QueueFilterOptions> {
  assertRole(viewer, 'organizer', 'admin');
  const db = getDb();
  const role = viewer.role;
  const viewerId = viewer.id;
  // Each query is built and prepared once per shape (reflections/prepared.ts), the viewer and the
  // course as placeholders.
  const courseRows = await prepared(`review-options:courses:${role}`, () =>
    db
      .select({ id: courses.id, name: courses.name })
      .from(courses)
      .where(and(managedCourse(role, courses.id), eq(courses.archived, false)))
      .orderBy(desc(courses.startsOn), desc(courses.id))
      .limit(200)
      .prepare(),
  ).all({ viewerId });
  const chosen = courseId ?? (courseRows.length === 1 ? courseRows[0]!.id : undefined);
  const inCourse = (col: SQLWrapper) => and(sql`${col} = ${P('course')}`, managedCourse(role, col));
  const meetingRows = chosen
    ? await prepared(`review-options:meetings:${role}`, () =>
        db.select({ id: meetings.id, name: meetings.title }).from(meetings).where(inCourse(meetings.courseId)).orderBy(asc(meetings.startsAt), asc(meetings.id)).prepare(),
      ).all({ course: chosen, viewerId })
    : [];
  const assignmentRows = chosen
    ? await prepared(`review-options:assignments:${role}`, () =>
        db
          .select({ id: assignments.id, name: assignments.title })
          .from(assignments)
          .where(inCourse(assignments.courseId))
          .orderBy(asc(assignments.dueAt), asc(assignments.id))
          .prepare(),
      ).all({ course: chosen, viewerId })
    : [];
  const groupRows = chosen
    ? await prepared(`review-options:groups:${role}`, () =>
        db
          .select({ id: courseGroups.id, name: courseGroups.name })
          .from(courseGroups)
          .where(inCourse(courseGroups.courseId))
          .orderBy(asc(courseGroups.sortOrder), asc(courseGroups.id))
          .prepare(),
      ).all({ course: chosen, viewerId })
    : [];
  const onlyCourses = tagsOfCourses ? [...new Set([...tagsOfCourses, ...(chosen ? [chosen] : [])])] : null;
  const allTags = await prepared(`review-options:tags:${role}:${onlyCourses ? 'some' : 'all'}`, () =>
    db
      .select({ id: tags.id, name: tags.name, courseId: tags.courseId, courseName: courses.name })
      .from(tags)
      .innerJoin(courses, eq(courses.id, tags.courseId))
      .where(
        and(
          managedCourse(role, tags.courseId),
          eq(courses.archived, false),
          onlyCourses ? inIds(tags.courseId, P('courses')) : undefined,
        ),
      )
      .orderBy(desc(courses.id), asc(tags.name))
      .prepare(),
  ).all({ viewerId, courses: onlyCourses ? idList(onlyCourses) : undefined });
  const tagsByCourse: QueueFilterOptions['tagsByCourse'] = [];
  for (const t of allTags) {
    let group = tagsByCourse.find((g) => g.courseId === t.courseId);
    if (!group) {
      group = { courseId: t.courseId, courseName: t.courseName, tags: [] };
      tagsByCourse.push(group);
    }
    group.tags.push({ id: t.id, name: t.name });
  }
  const unitRows = await allPrepared<{ id: number; name: string; depth: number }>(
    'review-options:units',
    () =>
      sql`with recursive tree(id, name, depth, path) as (
            select id, name, 0, ${zeroPadded(sql`sort_order`, 8)} || name from units where parent_id is null
            union all
            select u.id, u.name, tree.depth + 1, tree.path || '/' || ${zeroPadded(sql`u.sort_order`, 8)} || u.name
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
