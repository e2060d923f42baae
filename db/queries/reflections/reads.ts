import 'server-only';
import { idsValue, inIds, instant } from '@/db/sql-kit';
import { and, asc, count, desc, eq, inArray, isNull, ne, or, sql, type SQL } from 'drizzle-orm';
import { notFound } from 'next/navigation';
import { getDb, queryCached } from '@/db';
import { assignments, courseMembers, courses, meetings, reflectionComments, reflections, reflectionVersions, users, type ReflectionStatus } from '@/db/schema';
import { assertRole } from '@/lib/auth/guard';
import type { Viewer } from '@/lib/auth/viewer-type';
import { deadlineState, submitClosedReason, type DeadlineState } from '@/lib/reflection/deadline';
import { authorCanEdit } from '@/lib/reflection/state';
import { isExpected, type ClosingRule } from '../expected';
import { courseVisibleTo } from '../scope';
import { prepared } from './prepared';
import {
  COURSE_ARCHIVED_MESSAGE,
  assignmentColumns,
  lockedMessage,
  readingIdsOf,
  type ReadingOption,
} from './access';

// What the cadre reads of their own work: the /my list, one assignment with their working copy
// for the editor, and the versions they have handed in. The role is checked first; the reach is
// that of ./access.

export const MY_ASSIGNMENTS_PAGE_SIZE = 20;

export const NOT_REQUIRED_MESSAGE = '你加入读书班时这项任务已经截止，无需提交。';

/** not_required: closed before the cadre joined the course, so never expected of them. */
/** missed: expected of them, closed, and never handed in (未交 rather than 未开始). */
export type DisplayStatus = ReflectionStatus | 'not_started' | 'not_required' | 'missed';

// Reading

export interface CommentDto {
  id: number;
  body: string;
  decision: 'approve' | 'return' | null;
  version: number | null;
  authorName: string | null;
  createdAt: Date;
}

export interface MyAssignmentItem {
  assignmentId: number;
  title: string;
  dueAt: Date;
  cutoffAt: Date | null;
  allowLate: boolean;
  minChars: number;
  maxChars: number;
  course: { id: number; name: string; archived: boolean };
  meeting: { id: number; title: string; startsAt: Date | null };
  status: DisplayStatus;
  deadline: DeadlineState;
  /** Whether the cadre can still write here: a draft or return that is open for submitting. */
  writable: boolean;
  reflection: {
    id: number;
    title: string;
    charCount: number;
    versionCount: number;
    submittedAt: Date | null;
    late: boolean;
    updatedAt: Date;
  } | null;
  latestComment: CommentDto | null;
}

export interface MyAssignmentsPage {
  items: MyAssignmentItem[];
  total: number;
  page: number;
  pageCount: number;
}

/** The status the cadre sees: nothing (or an untouched draft) for an assignment never expected of them is 无需提交. */
function displayStatus(status: ReflectionStatus | null, a: ClosingRule, enrolledAt: Date | null, deadline: DeadlineState): DisplayStatus {
  const neverHandedIn = status === null || status === 'draft';
  if (neverHandedIn && enrolledAt && !isExpected(a, enrolledAt)) return 'not_required';
  if (neverHandedIn && deadline.kind === 'closed') return 'missed';
  return status ?? 'not_started';
}

function writableAt(status: DisplayStatus, deadline: DeadlineState, archived: boolean): boolean {
  if (archived || status === 'not_required' || status === 'missed') return false;
  if (status === 'returned') return true;
  if (status !== 'not_started' && !authorCanEdit(status)) return false;
  return deadline.kind !== 'closed';
}

/** The latest comment the cadre may read (never an internal one) for each reflection. */
async function latestVisibleComments(reflectionIds: number[]): Promise<Map<number, CommentDto>> {
  const out = new Map<number, CommentDto>();
  if (reflectionIds.length === 0) return out;
  const rows = await latestCommentsOf().all({ ids: idsValue(reflectionIds) });
  for (const { reflectionId, ...c } of rows) if (!out.has(reflectionId)) out.set(reflectionId, c);
  return out;
}

/** What a cadre sees of a comment (its author by name). */
const commentColumns = () => ({
  id: reflectionComments.id,
  body: reflectionComments.body,
  decision: reflectionComments.decision,
  version: reflectionComments.version,
  authorName: users.name,
  createdAt: reflectionComments.createdAt,
});

// Prepared once (./prepared.ts), the page's reflection ids as one JSON parameter: built by drizzle
// on every call it cost as much as the rest of the /my list (issue 15).
const latestCommentsOf = () =>
  prepared('my-latest-comments', (db) =>
    db
      .select({ ...commentColumns(), reflectionId: reflectionComments.reflectionId })
      .from(reflectionComments)
      .leftJoin(users, eq(users.id, reflectionComments.authorId))
      .where(
        and(
          inIds(reflectionComments.reflectionId, sql.placeholder('ids')),
          eq(reflectionComments.internal, false),
          ne(reflectionComments.body, ''),
        ),
      )
      .orderBy(desc(reflectionComments.createdAt), desc(reflectionComments.id))
      .prepare(),
  );

const itemColumns = {
  assignmentId: assignments.id,
  title: assignments.title,
  dueAt: assignments.dueAt,
  cutoffAt: assignments.cutoffAt,
  allowLate: assignments.allowLate,
  minChars: assignments.minChars,
  maxChars: assignments.maxChars,
  courseId: courses.id,
  courseName: courses.name,
  courseArchived: courses.archived,
  meetingId: meetings.id,
  meetingTitle: meetings.title,
  meetingStartsAt: meetings.startsAt,
  reflectionId: reflections.id,
  reflectionTitle: reflections.title,
  status: reflections.status,
  charCount: reflections.charCount,
  versionCount: reflections.versionCount,
  submittedAt: reflections.submittedAt,
  late: reflections.late,
  updatedAt: reflections.updatedAt,
  enrolledAt: courseMembers.enrolledAt,
};

type ItemRow = Awaited<ReturnType<ReturnType<typeof myItemsQuery>['all']>>[number];

function toItem(r: ItemRow, comments: Map<number, CommentDto>, now: Date): MyAssignmentItem {
  const deadline = deadlineState(r, now);
  const status = displayStatus(r.status, r, r.enrolledAt, deadline);
  return {
    assignmentId: r.assignmentId,
    title: r.title,
    dueAt: r.dueAt,
    cutoffAt: r.cutoffAt,
    allowLate: r.allowLate,
    minChars: r.minChars,
    maxChars: r.maxChars,
    course: { id: r.courseId, name: r.courseName, archived: r.courseArchived },
    meeting: { id: r.meetingId, title: r.meetingTitle, startsAt: r.meetingStartsAt },
    status,
    deadline,
    writable: writableAt(status, deadline, r.courseArchived),
    reflection:
      r.reflectionId === null
        ? null
        : {
            id: r.reflectionId,
            title: r.reflectionTitle ?? '',
            charCount: r.charCount ?? 0,
            versionCount: r.versionCount ?? 0,
            submittedAt: r.submittedAt,
            late: r.late ?? false,
            updatedAt: r.updatedAt ?? new Date(0),
          },
    latestComment: r.reflectionId === null ? null : (comments.get(r.reflectionId) ?? null),
  };
}

/**
 * Assignments of the courses the cadre is in. The same rows as courseVisibleTo, asked from the
 * cadre's memberships (a few) into the assignments' course index, rather than testing every
 * assignment of every course for a membership.
 */
function inMyCourses() {
  return inArray(
    assignments.courseId,
    getDb().select({ id: courseMembers.courseId }).from(courseMembers).where(eq(courseMembers.userId, sql.placeholder('uid'))),
  );
}

/** The list's columns for the cadre :uid (the placeholders are filled when the prepared query runs). */
function myItemsQuery<E extends Record<string, SQL.Aliased | SQL>>(extra: E = {} as E) {
  const uid = sql.placeholder('uid');
  return getDb()
    .select({ ...itemColumns, ...extra })
    .from(assignments)
    .innerJoin(meetings, eq(meetings.id, assignments.meetingId))
    .innerJoin(courses, eq(courses.id, assignments.courseId))
    .leftJoin(reflections, and(eq(reflections.assignmentId, assignments.id), eq(reflections.authorId, uid)))
    .leftJoin(courseMembers, and(eq(courseMembers.courseId, assignments.courseId), eq(courseMembers.userId, uid)));
}

/**
 * Every assignment of every course the cadre is in, newest course and meeting first, a page at
 * a time, with the cadre's own reflection state and the organizer's latest comment.
 */
export async function listMyAssignments(viewer: Viewer, { page }: { page: number }, now = new Date()): Promise<MyAssignmentsPage> {
  assertRole(viewer, 'cadre');
  // The page and the total in one statement (a window count): /my loads on every visit, and each
  // statement of a page costs the server far more than SQLite's work for it (issue 15). Only a
  // page past the end counts apart, to show the last page instead.
  const read = async (p: number) => await myAssignmentPage().all({ uid: viewer.id, limit: MY_ASSIGNMENTS_PAGE_SIZE, offset: (p - 1) * MY_ASSIGNMENTS_PAGE_SIZE });
  let current = Math.max(1, Math.trunc(page) || 1);
  let rows = await read(current);
  let total = Number(rows[0]?.total ?? 0);
  if (rows.length === 0 && current > 1) {
    total = Number((await myAssignmentCount().get({ uid: viewer.id }))?.n ?? 0);
    current = Math.max(1, Math.ceil(total / MY_ASSIGNMENTS_PAGE_SIZE));
    rows = await read(current);
  }
  const pageCount = Math.max(1, Math.ceil(total / MY_ASSIGNMENTS_PAGE_SIZE));
  const comments = await latestVisibleComments(rows.flatMap((r) => (r.reflectionId === null ? [] : [r.reflectionId])));
  return { items: rows.map((r) => toItem(r, comments, now)), total, page: current, pageCount };
}

const myAssignmentCount = () =>
  prepared('my-assignment-count', (db) => db.select({ n: count() }).from(assignments).where(inMyCourses()).prepare());

const myAssignmentPage = () =>
  prepared('my-assignment-page', () =>
    myItemsQuery({ total: sql<number | string>`count(*) over ()` })
      .where(inMyCourses())
      // SQLite sorts NULL lowest, so undated courses and meetings come after dated ones.
      .orderBy(
        desc(courses.startsOn),
        desc(courses.id),
        desc(meetings.startsAt),
        desc(meetings.id),
        asc(assignments.dueAt),
        asc(assignments.id),
      )
      .limit(sql.placeholder('limit'))
      .offset(sql.placeholder('offset'))
      .prepare(),
  );

/** Still to be written: not started, draft or returned, open for submitting at :t, in a course not archived. */
function openAt() {
  const t = sql.placeholder('t');
  return and(
    inMyCourses(),
    eq(courses.archived, false),
    or(
      eq(reflections.status, 'returned'),
      and(
        or(isNull(reflections.id), eq(reflections.status, 'draft')),
        or(isNull(assignments.cutoffAt), sql`${assignments.cutoffAt} >= ${t}`),
        or(eq(assignments.allowLate, true), sql`${assignments.dueAt} >= ${t}`),
      ),
    ),
  );
}

const myOpenItems = () =>
  prepared('my-open-items', () =>
    myItemsQuery({ total: sql<number | string>`count(*) over ()` })
      .where(openAt())
      .orderBy(asc(assignments.dueAt), asc(assignments.id))
      .limit(sql.placeholder('limit'))
      .prepare(),
  );

/**
 * What is still to be written: not started, draft or returned, and still open for submitting,
 * soonest due first (courses that are archived are over and left out).
 */
export async function listMyOpenAssignments(viewer: Viewer, now = new Date(), limit = 5): Promise<{ total: number; items: MyAssignmentItem[] }> {
  assertRole(viewer, 'cadre');
  const t = instant(now);
  // The first few and how many in all, in one statement (a window count).
  const rows = await myOpenItems().all({ uid: viewer.id, t, limit });
  return { total: Number(rows[0]?.total ?? 0), items: rows.map((r) => toItem(r, new Map(), now)) };
}

export interface MyReflectionDto {
  id: number;
  title: string;
  body: string;
  readingIds: number[];
  charCount: number;
  status: ReflectionStatus;
  revision: number;
  versionCount: number;
  submittedAt: Date | null;
  late: boolean;
  updatedAt: Date;
}

export interface VersionSummary {
  version: number;
  title: string;
  charCount: number;
  late: boolean;
  submittedAt: Date;
}

export interface MyAssignmentDetail {
  assignment: {
    id: number;
    title: string;
    prompt: string;
    dueAt: Date;
    cutoffAt: Date | null;
    allowLate: boolean;
    minChars: number;
    maxChars: number;
  };
  course: { id: number; name: string; archived: boolean };
  meeting: { id: number; title: string; startsAt: Date | null; place: string };
  readings: ReadingOption[];
  /** Of `readings`, those with a text to read in the reader. */
  readingsWithText: number[];
  reflection: MyReflectionDto | null;
  status: DisplayStatus;
  deadline: DeadlineState;
  /** The cadre may change the text and submit it now. */
  writable: boolean;
  /** Why not, when not writable. */
  lockedReason: string | null;
  /** 撤回 is offered: handed in, not yet decided on, and it could be handed in again. */
  canWithdraw: boolean;
  comments: CommentDto[];
  versions: VersionSummary[];
}

// The editor page's own queries, prepared once (see ./prepared.ts).
const myAssignmentEditor = () =>
  prepared('my-assignment-editor', (db) =>
    db
      .select({
        ...assignmentColumns,
        courseName: courses.name,
        meetingTitle: meetings.title,
        meetingStartsAt: meetings.startsAt,
        meetingPlace: meetings.place,
        enrolledAt: courseMembers.enrolledAt,
        reflection: reflections,
      })
      .from(assignments)
      .innerJoin(courses, eq(courses.id, assignments.courseId))
      .innerJoin(meetings, eq(meetings.id, assignments.meetingId))
      // courseVisibleTo for a cadre: a member of the course.
      .innerJoin(courseMembers, and(eq(courseMembers.courseId, assignments.courseId), eq(courseMembers.userId, sql.placeholder('uid'))))
      .leftJoin(reflections, and(eq(reflections.assignmentId, assignments.id), eq(reflections.authorId, sql.placeholder('uid'))))
      .where(eq(assignments.id, sql.placeholder('assignmentId')))
      .prepare(),
  );

const visibleComments = () =>
  prepared('my-comments', (db) =>
    db
      .select(commentColumns())
      .from(reflectionComments)
      .leftJoin(users, eq(users.id, reflectionComments.authorId))
      .where(and(eq(reflectionComments.reflectionId, sql.placeholder('reflectionId')), eq(reflectionComments.internal, false)))
      .orderBy(asc(reflectionComments.createdAt), asc(reflectionComments.id))
      .prepare(),
  );

const versionsOf = () =>
  prepared('my-versions', (db) =>
    db
      .select({
        version: reflectionVersions.version,
        title: reflectionVersions.title,
        charCount: reflectionVersions.charCount,
        late: reflectionVersions.late,
        submittedAt: reflectionVersions.submittedAt,
      })
      .from(reflectionVersions)
      .where(eq(reflectionVersions.reflectionId, sql.placeholder('reflectionId')))
      .orderBy(desc(reflectionVersions.version))
      .prepare(),
  );

/** One assignment with the cadre's own reflection, comments and versions, for the editor. */
export async function getMyAssignment(viewer: Viewer, { assignmentId }: { assignmentId: number }, now = new Date()): Promise<MyAssignmentDetail> {
  assertRole(viewer, 'cadre');
  const db = getDb();
  // The assignment in a course the cadre is a member of, its meeting and course, when they joined
  // and their own reflection: one statement (the editor opens on every visit, and each statement
  // of a page costs the server far more than SQLite's work for it, issue 15).
  const found = await myAssignmentEditor().get({ assignmentId, uid: viewer.id });
  if (!found) notFound();
  const { meetingTitle, meetingStartsAt, meetingPlace, courseName, enrolledAt, reflection, ...a } = found;
  const meeting = { id: a.meetingId, title: meetingTitle, startsAt: meetingStartsAt, place: meetingPlace };
  const course = { id: a.courseId, name: courseName, archived: a.courseArchived };
  const row = reflection ?? undefined;
  const deadline = deadlineState(a, now);
  const status = displayStatus(row?.status ?? null, a, enrolledAt, deadline);
  const writable = writableAt(status, deadline, a.courseArchived);
  let lockedReason: string | null = null;
  if (!writable) {
    if (status === 'not_required') lockedReason = NOT_REQUIRED_MESSAGE;
    else if (row && !authorCanEdit(row.status)) lockedReason = lockedMessage(row);
    else if (a.courseArchived) lockedReason = COURSE_ARCHIVED_MESSAGE;
    else lockedReason = submitClosedReason(a, now, false) ?? '现在不能提交';
  }

  const comments = row ? await visibleComments().all({ reflectionId: row.id }) : [];
  const versions = row ? await versionsOf().all({ reflectionId: row.id }) : [];
  // The readings offered (readingOptions: the assignment's, or its meeting's when it lists none),
  // each with whether it has a text to read: one statement. hasText: 0/1 from SQLite, true/false
  // from PostgreSQL.
  const offered = await queryCached<{ id: number; title: string; hasText: number | boolean }>(
    'my-assignment-readings',
    () => sql`select r.id as id, r.title as title, exists (select 1 from reading_sections s where s.reading_id = r.id) as "hasText"
              from readings r
              where r.id in (select ar.reading_id from assignment_readings ar where ar.assignment_id = ${sql.placeholder('assignmentId')})
                 or (r.id in (select mr.reading_id from meeting_readings mr where mr.meeting_id = ${sql.placeholder('meetingId')})
                     and not exists (select 1 from assignment_readings ar where ar.assignment_id = ${sql.placeholder('assignmentId')}))
              order by r.id`,
    { assignmentId: a.id, meetingId: a.meetingId },
  );

  return {
    assignment: {
      id: a.id,
      title: a.title,
      prompt: a.prompt,
      dueAt: a.dueAt,
      cutoffAt: a.cutoffAt,
      allowLate: a.allowLate,
      minChars: a.minChars,
      maxChars: a.maxChars,
    },
    course,
    meeting,
    readings: offered.map((r) => ({ id: r.id, title: r.title })),
    readingsWithText: offered.filter((r) => Boolean(r.hasText)).map((r) => r.id),
    reflection: row
      ? {
          id: row.id,
          title: row.title,
          body: row.body,
          readingIds: await readingIdsOf(db, row.id),
          charCount: row.charCount,
          status: row.status,
          revision: row.revision,
          versionCount: row.versionCount,
          submittedAt: row.submittedAt,
          late: row.late,
          updatedAt: row.updatedAt,
        }
      : null,
    status,
    deadline,
    writable,
    lockedReason,
    canWithdraw:
      status === 'submitted' &&
      !a.courseArchived &&
      (deadline.kind !== 'closed' || comments.some((c) => c.decision === 'return')),
    comments,
    versions,
  };
}

export interface MyVersionDto extends VersionSummary {
  body: string;
  assignmentTitle: string;
  assignmentId: number;
  courseName: string;
  versionCount: number;
}

/** One submitted version of the cadre's own reflection. */
export async function getMyReflectionVersion(
  viewer: Viewer,
  { assignmentId, version }: { assignmentId: number; version: number },
): Promise<MyVersionDto> {
  assertRole(viewer, 'cadre');
  const row = await getDb()
    .select({
      version: reflectionVersions.version,
      title: reflectionVersions.title,
      body: reflectionVersions.body,
      charCount: reflectionVersions.charCount,
      late: reflectionVersions.late,
      submittedAt: reflectionVersions.submittedAt,
      assignmentTitle: assignments.title,
      assignmentId: assignments.id,
      courseName: courses.name,
      versionCount: reflections.versionCount,
    })
    .from(reflectionVersions)
    .innerJoin(reflections, eq(reflections.id, reflectionVersions.reflectionId))
    .innerJoin(assignments, eq(assignments.id, reflections.assignmentId))
    .innerJoin(courses, eq(courses.id, assignments.courseId))
    .where(
      and(
        eq(reflectionVersions.version, version),
        eq(reflections.assignmentId, assignmentId),
        eq(reflections.authorId, viewer.id),
        courseVisibleTo(viewer, assignments.courseId),
      ),
    )
    .get();
  if (!row) notFound();
  return row;
}

