import 'server-only';
import { and, asc, count, desc, eq, inArray, ne, or, sql, type SQL } from 'drizzle-orm';
import { notFound } from 'next/navigation';
import { getDb, type DB, type Tx } from '@/db';
import { actorOf } from '@/db/audit';
import { pageWindow, qualified, type PageDto } from '@/db/sql-kit';
import { notify } from '@/db/queries/notifications';
import { courseManagedBy } from '@/db/queries/scope';
import {
  assignmentReadings,
  assignments,
  courseGroups,
  courseMembers,
  courseOrganizers,
  courses,
  meetingReadings,
  meetings,
  readings,
  reflectionComments,
  reflections,
  reflectionTags,
  reflectionVersions,
  tags,
  units,
  users,
  type ReflectionStatus,
} from '@/db/schema';
import { fail, type Failure } from '@/lib/action-result';
import { writeAudit } from '@/db/audit';
import { assertRole } from '@/lib/auth/guard';
import type { Viewer } from '@/lib/auth/viewer-type';
import { nextStatus, refusalMessage } from '@/lib/reflection/state';
import type { RequestInfo } from '@/lib/request';
import {
  RETURN_NEEDS_COMMENT,
  reviewFilterSchema,
  type DecideInput,
  type ReviewFilter,
  type ReviewFilterInput,
} from '@/lib/validation/review';

// The organizer's review desk: the queue of handed-in reflections of the courses they run, one
// reflection beside its assignment, and the decisions on it. Drafts are the cadre's private
// working copy and never appear here. Every read and write is scoped by courseManagedBy in the
// WHERE clause; another course's reflection is "not found", and counts never include it.

export const REVIEW_PAGE_SIZE = 25;
const HANDED_IN: ReflectionStatus[] = ['submitted', 'returned', 'approved'];

type Reader = DB | Tx;

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

type SortKey = { expr: SQL | typeof reflections.id | typeof reflections.submittedAt; dir: 'asc' | 'desc' };

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

function orderBy(keys: SortKey[], reverse = false): SQL[] {
  return keys.map((k) => ((k.dir === 'asc') !== reverse ? asc(k.expr) : desc(k.expr)));
}

/** Rows strictly after (or before) the given key values in this order. */
function keysetAfter(keys: SortKey[], values: (string | number)[], reverse = false): SQL {
  const branches: SQL[] = keys.map((k, i) => {
    const equalBefore = keys.slice(0, i).map((p, j) => sql`${p.expr} = ${values[j]}`);
    const forward = (k.dir === 'asc') !== reverse;
    const cmp = forward ? sql`${k.expr} > ${values[i]}` : sql`${k.expr} < ${values[i]}`;
    return and(...equalBefore, cmp) as SQL;
  });
  return or(...branches) as SQL;
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
      .orderBy(...orderBy(sortKeys(f.sort), reverse))
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

export interface TagRef {
  id: number;
  name: string;
}

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
  tags: TagRef[];
}

export type StateCounts = Record<'submitted' | 'returned' | 'approved' | 'all', number>;

function tagsOf(db: Reader, reflectionIds: number[]): Map<number, TagRef[]> {
  const out = new Map<number, TagRef[]>();
  if (reflectionIds.length === 0) return out;
  const rows = db
    .select({ reflectionId: reflectionTags.reflectionId, id: tags.id, name: tags.name })
    .from(reflectionTags)
    .innerJoin(tags, eq(tags.id, reflectionTags.tagId))
    .where(inArray(reflectionTags.reflectionId, reflectionIds))
    .orderBy(asc(tags.name))
    .all();
  for (const { reflectionId, ...t } of rows) {
    const list = out.get(reflectionId);
    if (list) list.push(t);
    else out.set(reflectionId, [t]);
  }
  return out;
}

/** One page of the queue: handed-in reflections of the viewer's courses, filtered and sorted. */
export function listReviewQueue(viewer: Viewer, filter: ReviewFilterInput = {}): PageDto<QueueItemDto> & { filter: ReviewFilter } {
  assertRole(viewer, 'organizer', 'admin');
  const f = reviewFilterSchema.parse(filter);
  const db = getDb();
  const where = queueWhere(db, viewer, f);
  const total = db.select({ n: count() }).from(reflections).where(where).get()?.n ?? 0;
  const w = pageWindow(total, f.page, REVIEW_PAGE_SIZE);
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
  let rows: ReturnType<ReturnType<typeof joined>['all']>;
  if (f.sort === 'unit') {
    rows = joined().where(where).orderBy(...orderBy(keys)).limit(w.pageSize).offset(w.offset).all();
  } else {
    // Page over reflection ids alone (the filter and the time sort need no join), then join the
    // page's rows: a deep page no longer joins every row it skips.
    const ids = db
      .select({ id: reflections.id })
      .from(reflections)
      .where(where)
      .orderBy(...orderBy(keys))
      .limit(w.pageSize)
      .offset(w.offset)
      .all()
      .map((r) => r.id);
    const at = new Map(ids.map((id, i) => [id, i]));
    rows = ids.length ? joined().where(inArray(reflections.id, ids)).all() : [];
    rows.sort((a, b) => (at.get(a.id) ?? 0) - (at.get(b.id) ?? 0));
  }
  const tagMap = tagsOf(
    db,
    rows.map((r) => r.id),
  );
  return {
    items: rows.map((r) => ({ ...r, tags: tagMap.get(r.id) ?? [] })),
    total,
    page: w.page,
    pageCount: w.pageCount,
    pageSize: w.pageSize,
    filter: { ...f, page: w.page },
  };
}

/** How many reflections are in each state under the rest of the filter (the chips). */
export function countReviewStates(viewer: Viewer, filter: ReviewFilterInput = {}): StateCounts {
  assertRole(viewer, 'organizer', 'admin');
  const f = reviewFilterSchema.parse(filter);
  const db = getDb();
  const rows = db
    .select({ status: reflections.status, n: count() })
    .from(reflections)
    .where(and(...baseConditions(db, viewer, f), inArray(reflections.status, HANDED_IN)))
    .groupBy(reflections.status)
    .all();
  const out: StateCounts = { submitted: 0, returned: 0, approved: 0, all: 0 };
  for (const r of rows) {
    if (r.status === 'submitted' || r.status === 'returned' || r.status === 'approved') out[r.status] = r.n;
    out.all += r.n;
  }
  return out;
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

/** The choices of the filter form; meetings, assignments, groups and tags are those of the chosen course. */
export function listQueueFilterOptions(viewer: Viewer, { courseId }: { courseId?: number }): QueueFilterOptions {
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
    .where(and(courseManagedBy(viewer, tags.courseId), eq(courses.archived, false)))
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

// ---------------------------------------------------------------------------------------------
// One reflection

export interface ReviewCommentDto {
  id: number;
  decision: 'approve' | 'return' | null;
  body: string;
  internal: boolean;
  version: number | null;
  authorName: string | null;
  createdAt: Date;
}

export interface ReviewVersionDto {
  version: number;
  title: string;
  body: string;
  charCount: number;
  late: boolean;
  submittedAt: Date;
}

export interface ReviewReflectionDto {
  id: number;
  revision: number;
  status: ReflectionStatus;
  excellent: boolean;
  late: boolean;
  title: string;
  body: string;
  charCount: number;
  versionCount: number;
  submittedAt: Date | null;
  author: { id: number; name: string; title: string; unitName: string | null; groupName: string | null };
  course: { id: number; name: string };
  meeting: { id: number; title: string; startsAt: Date | null };
  assignment: { id: number; title: string; prompt: string; dueAt: Date; minChars: number; maxChars: number };
  readings: { id: number; title: string; source: string }[];
  /** The readings the cadre said they drew on. */
  citedReadingIds: number[];
  versions: ReviewVersionDto[];
  comments: ReviewCommentDto[];
  tags: TagRef[];
  courseTags: TagRef[];
}

/** The reflection as the organizer reviews it; another course's, a draft or a missing one is notFound(). */
export function getReviewReflection(viewer: Viewer, { id }: { id: number }): ReviewReflectionDto {
  assertRole(viewer, 'organizer', 'admin');
  const db = getDb();
  const row = db
    .select({
      id: reflections.id,
      revision: reflections.revision,
      status: reflections.status,
      excellent: reflections.excellent,
      late: reflections.late,
      title: reflections.title,
      body: reflections.body,
      charCount: reflections.charCount,
      versionCount: reflections.versionCount,
      submittedAt: reflections.submittedAt,
      authorId: users.id,
      authorName: users.name,
      authorTitle: users.title,
      unitName: units.name,
      courseId: courses.id,
      courseName: courses.name,
      meetingId: meetings.id,
      meetingTitle: meetings.title,
      meetingStartsAt: meetings.startsAt,
      assignmentId: assignments.id,
      assignmentTitle: assignments.title,
      prompt: assignments.prompt,
      dueAt: assignments.dueAt,
      minChars: assignments.minChars,
      maxChars: assignments.maxChars,
    })
    .from(reflections)
    .innerJoin(users, eq(users.id, reflections.authorId))
    .leftJoin(units, eq(units.id, users.unitId))
    .innerJoin(courses, eq(courses.id, reflections.courseId))
    .innerJoin(assignments, eq(assignments.id, reflections.assignmentId))
    .innerJoin(meetings, eq(meetings.id, assignments.meetingId))
    .where(and(eq(reflections.id, id), courseManagedBy(viewer, reflections.courseId), inArray(reflections.status, HANDED_IN)))
    .get();
  if (!row) notFound();

  const group = db
    .select({ name: courseGroups.name })
    .from(courseMembers)
    .innerJoin(courseGroups, eq(courseGroups.id, courseMembers.groupId))
    .where(and(eq(courseMembers.courseId, row.courseId), eq(courseMembers.userId, row.authorId)))
    .get();
  let readingRows = db
    .select({ id: readings.id, title: readings.title, source: readings.source })
    .from(assignmentReadings)
    .innerJoin(readings, eq(readings.id, assignmentReadings.readingId))
    .where(eq(assignmentReadings.assignmentId, row.assignmentId))
    .orderBy(asc(readings.id))
    .all();
  if (readingRows.length === 0) {
    readingRows = db
      .select({ id: readings.id, title: readings.title, source: readings.source })
      .from(meetingReadings)
      .innerJoin(readings, eq(readings.id, meetingReadings.readingId))
      .where(eq(meetingReadings.meetingId, row.meetingId))
      .orderBy(asc(readings.id))
      .all();
  }
  const cited = db
    .all<{ id: number }>(sql`select reading_id as id from reflection_readings where reflection_id = ${row.id} order by reading_id`)
    .map((r) => r.id);
  const versions = db
    .select({
      version: reflectionVersions.version,
      title: reflectionVersions.title,
      body: reflectionVersions.body,
      charCount: reflectionVersions.charCount,
      late: reflectionVersions.late,
      submittedAt: reflectionVersions.submittedAt,
    })
    .from(reflectionVersions)
    .where(eq(reflectionVersions.reflectionId, row.id))
    .orderBy(desc(reflectionVersions.version))
    .all();
  const comments = db
    .select({
      id: reflectionComments.id,
      decision: reflectionComments.decision,
      body: reflectionComments.body,
      internal: reflectionComments.internal,
      version: reflectionComments.version,
      authorName: users.name,
      createdAt: reflectionComments.createdAt,
    })
    .from(reflectionComments)
    .leftJoin(users, eq(users.id, reflectionComments.authorId))
    .where(eq(reflectionComments.reflectionId, row.id))
    .orderBy(asc(reflectionComments.createdAt), asc(reflectionComments.id))
    .all();
  const courseTags = db
    .select({ id: tags.id, name: tags.name })
    .from(tags)
    .where(eq(tags.courseId, row.courseId))
    .orderBy(asc(tags.name))
    .all();
  return {
    id: row.id,
    revision: row.revision,
    status: row.status,
    excellent: row.excellent,
    late: row.late,
    title: row.title,
    body: row.body,
    charCount: row.charCount,
    versionCount: row.versionCount,
    submittedAt: row.submittedAt,
    author: { id: row.authorId, name: row.authorName, title: row.authorTitle, unitName: row.unitName, groupName: group?.name ?? null },
    course: { id: row.courseId, name: row.courseName },
    meeting: { id: row.meetingId, title: row.meetingTitle, startsAt: row.meetingStartsAt },
    assignment: {
      id: row.assignmentId,
      title: row.assignmentTitle,
      prompt: row.prompt,
      dueAt: row.dueAt,
      minChars: row.minChars,
      maxChars: row.maxChars,
    },
    readings: readingRows,
    citedReadingIds: cited,
    versions,
    comments,
    tags: tagsOf(db, [row.id]).get(row.id) ?? [],
    courseTags,
  };
}

// ---------------------------------------------------------------------------------------------
// Decisions

export interface CurrentState {
  status: ReflectionStatus;
  revision: number;
  excellent: boolean;
  lastDecision: { decision: 'approve' | 'return'; body: string; authorName: string | null; createdAt: Date } | null;
}

export type StaleFailure = Failure & { code: 'stale'; current: CurrentState };
export type ReviewChangeResult = { ok: true; status: ReflectionStatus; revision: number; excellent: boolean } | StaleFailure | Failure;

export const STALE_MESSAGE = '这篇心得刚被其他人处理过';

interface ScopedRow {
  id: number;
  courseId: number;
  assignmentId: number;
  authorId: number;
  title: string;
  status: ReflectionStatus;
  revision: number;
  versionCount: number;
  excellent: boolean;
}

/** The reflection when this viewer manages its course and it has been handed in; notFound() otherwise. */
function scopedReflection(tx: Reader, viewer: Viewer, id: number): ScopedRow {
  const row = tx
    .select({
      id: reflections.id,
      courseId: reflections.courseId,
      assignmentId: reflections.assignmentId,
      authorId: reflections.authorId,
      title: reflections.title,
      status: reflections.status,
      revision: reflections.revision,
      versionCount: reflections.versionCount,
      excellent: reflections.excellent,
    })
    .from(reflections)
    .where(and(eq(reflections.id, id), courseManagedBy(viewer, reflections.courseId), inArray(reflections.status, HANDED_IN)))
    .get();
  if (!row) notFound();
  return row;
}

function currentState(tx: Reader, row: ScopedRow): CurrentState {
  const last = tx
    .select({
      decision: reflectionComments.decision,
      body: reflectionComments.body,
      authorName: users.name,
      createdAt: reflectionComments.createdAt,
    })
    .from(reflectionComments)
    .leftJoin(users, eq(users.id, reflectionComments.authorId))
    .where(and(eq(reflectionComments.reflectionId, row.id), sql`${reflectionComments.decision} is not null`))
    .orderBy(desc(reflectionComments.createdAt), desc(reflectionComments.id))
    .limit(1)
    .get();
  return {
    status: row.status,
    revision: row.revision,
    excellent: row.excellent,
    lastDecision: last?.decision ? { decision: last.decision, body: last.body, authorName: last.authorName, createdAt: last.createdAt } : null,
  };
}

function stale(tx: Reader, row: ScopedRow): StaleFailure {
  return { ok: false, code: 'stale', message: STALE_MESSAGE, current: currentState(tx, row) };
}

/** Moves the revision on from the one the change was based on; the WHERE makes a lost race loud. */
function bump(tx: Tx, row: ScopedRow, set: Partial<typeof reflections.$inferInsert>): number {
  const changed = tx
    .update(reflections)
    .set({ ...set, revision: row.revision + 1 })
    .where(and(eq(reflections.id, row.id), eq(reflections.revision, row.revision)))
    .run();
  if (changed.changes !== 1) throw new Error('reflection changed inside its own transaction');
  return row.revision + 1;
}

/**
 * 通过 or 退回修改, in one transaction with its comments, the author's notification and the audit
 * row. A decision based on a revision that has since moved on changes nothing and reports the
 * current state, so that two organizers never overwrite each other unseen.
 */
export function decideReflection(viewer: Viewer, input: DecideInput, req: RequestInfo): ReviewChangeResult {
  assertRole(viewer, 'organizer', 'admin');
  const comment = input.comment.trim();
  const note = input.internalNote.trim();
  return getDb().transaction((tx): ReviewChangeResult => {
    const row = scopedReflection(tx, viewer, input.reflectionId);
    if (row.revision !== input.expectedRevision) return stale(tx, row);
    const next = nextStatus(row.status, input.decision);
    if (!next) return fail('not_allowed', refusalMessage(row.status, input.decision));
    if (input.decision === 'return' && comment.length < 2) {
      return fail('invalid', RETURN_NEEDS_COMMENT, { comment: [RETURN_NEEDS_COMMENT] });
    }
    const excellent = input.decision === 'approve' ? input.excellent : false;
    const revision = bump(tx, row, { status: next, excellent });
    tx.insert(reflectionComments)
      .values({ reflectionId: row.id, authorId: viewer.id, decision: input.decision, body: comment, internal: false, version: row.versionCount })
      .run();
    if (note) {
      tx.insert(reflectionComments)
        .values({ reflectionId: row.id, authorId: viewer.id, decision: null, body: note, internal: true, version: row.versionCount })
        .run();
    }
    const link = `/my/assignments/${row.assignmentId}`;
    if (input.decision === 'return') {
      notify(tx, [row.authorId], { kind: 'returned', title: '心得被退回修改', body: comment, link });
    } else {
      notify(tx, [row.authorId], { kind: 'approved', title: '心得已通过', body: comment, link });
    }
    writeAudit(tx, {
      ...actorOf(viewer, req),
      action: input.decision === 'approve' ? 'reflection.approve' : 'reflection.return',
      targetType: 'reflection',
      targetId: row.id,
      detail: { version: row.versionCount, from: row.status, to: next, excellent, internalNote: note.length > 0 },
    });
    return { ok: true, status: next, revision, excellent };
  });
}

/** 优秀: only an approved reflection can carry it; taking it off is always possible. */
export function setReflectionExcellent(
  viewer: Viewer,
  input: { reflectionId: number; expectedRevision: number; excellent: boolean },
  req: RequestInfo,
): ReviewChangeResult {
  assertRole(viewer, 'organizer', 'admin');
  return getDb().transaction((tx): ReviewChangeResult => {
    const row = scopedReflection(tx, viewer, input.reflectionId);
    if (row.revision !== input.expectedRevision) return stale(tx, row);
    if (input.excellent && row.status !== 'approved') return fail('not_allowed', '通过之后才能标为优秀');
    if (row.excellent === input.excellent) return { ok: true, status: row.status, revision: row.revision, excellent: row.excellent };
    const revision = bump(tx, row, { excellent: input.excellent });
    writeAudit(tx, {
      ...actorOf(viewer, req),
      action: 'reflection.excellent',
      targetType: 'reflection',
      targetId: row.id,
      detail: { excellent: input.excellent },
    });
    return { ok: true, status: row.status, revision, excellent: input.excellent };
  });
}

/**
 * An internal note: organizers of the course read it; the cadre never does. Notes are only ever
 * added, never overwrite anything, so they neither check nor bump the reflection's revision —
 * which the cadre's editor also checks, and must not see move for a note it cannot read.
 */
export function addInternalNote(
  viewer: Viewer,
  input: { reflectionId: number; body: string },
  req: RequestInfo,
): ReviewChangeResult {
  assertRole(viewer, 'organizer', 'admin');
  const body = input.body.trim();
  if (!body) return fail('invalid', '请填写内部备注', { body: ['请填写内部备注'] });
  return getDb().transaction((tx): ReviewChangeResult => {
    const row = scopedReflection(tx, viewer, input.reflectionId);
    tx.insert(reflectionComments)
      .values({ reflectionId: row.id, authorId: viewer.id, decision: null, body, internal: true, version: row.versionCount })
      .run();
    writeAudit(tx, {
      ...actorOf(viewer, req),
      action: 'reflection.note',
      targetType: 'reflection',
      targetId: row.id,
      detail: { version: row.versionCount, length: body.length },
    });
    return { ok: true, status: row.status, revision: row.revision, excellent: row.excellent };
  });
}

/** For other review queries (tags): the reflection in scope, or notFound(). */
export function reviewableReflection(tx: Reader, viewer: Viewer, id: number) {
  return scopedReflection(tx, viewer, id);
}

export { HANDED_IN };
