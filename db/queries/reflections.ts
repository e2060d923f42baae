import 'server-only';
import { and, asc, count, desc, eq, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import { notFound } from 'next/navigation';
import { getDb, type Tx } from '@/db';
import {
  assignmentReadings,
  assignments,
  courses,
  meetingReadings,
  meetings,
  readings,
  reflectionComments,
  reflectionReadings,
  reflections,
  reflectionVersions,
  users,
  type Reflection,
  type ReflectionStatus,
} from '@/db/schema';
import { fail, type FieldErrors, type Failure } from '@/lib/action-result';
import { writeAudit } from '@/db/audit';
import { assertRole } from '@/lib/auth/guard';
import type { Viewer } from '@/lib/auth/viewer-type';
import { deadlineState, submitClosedReason, type DeadlineState } from '@/lib/reflection/deadline';
import { charLimitProblem, finalBody, finalTitle, normalizeBody, sameContent, sortedIds } from '@/lib/reflection/limits';
import { authorCanEdit, nextStatus } from '@/lib/reflection/state';
import { countChars } from '@/lib/text/char-count';
import { formatDateTime } from '@/lib/time';
import type { RequestInfo } from '@/lib/request';
import type { SaveDraftInput, SubmitReflectionInput } from '@/lib/validation/reflections';
import { indexReflection } from './search';
import { courseVisibleTo } from './scope';

// The cadre's side of reflections: their assignments, their own working copy, its versions.
// Every function is for the author alone: the role is checked first, the assignment must be in
// a course the cadre is a member of, and the reflection must be theirs (both in the WHERE
// clause). Anything else is "not found", the same answer as for an id that does not exist.

export const MY_ASSIGNMENTS_PAGE_SIZE = 20;

export type DisplayStatus = ReflectionStatus | 'not_started';

// ---------------------------------------------------------------------------------------------
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

function writableAt(status: DisplayStatus, deadline: DeadlineState, archived: boolean): boolean {
  if (archived) return false;
  if (status === 'returned') return true;
  if (status !== 'not_started' && !authorCanEdit(status)) return false;
  return deadline.kind !== 'closed';
}

export const COURSE_ARCHIVED_MESSAGE = '这个读书班已经结束,不能再提交心得';

/** The latest comment the cadre may read (never an internal one) for each reflection. */
function latestVisibleComments(reflectionIds: number[]): Map<number, CommentDto> {
  const out = new Map<number, CommentDto>();
  if (reflectionIds.length === 0) return out;
  const rows = getDb()
    .select({
      id: reflectionComments.id,
      reflectionId: reflectionComments.reflectionId,
      body: reflectionComments.body,
      decision: reflectionComments.decision,
      version: reflectionComments.version,
      authorName: users.name,
      createdAt: reflectionComments.createdAt,
    })
    .from(reflectionComments)
    .leftJoin(users, eq(users.id, reflectionComments.authorId))
    .where(
      and(
        inArray(reflectionComments.reflectionId, reflectionIds),
        eq(reflectionComments.internal, false),
        ne(reflectionComments.body, ''),
      ),
    )
    .orderBy(desc(reflectionComments.createdAt), desc(reflectionComments.id))
    .all();
  for (const { reflectionId, ...c } of rows) if (!out.has(reflectionId)) out.set(reflectionId, c);
  return out;
}

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
};

type ItemRow = ReturnType<ReturnType<typeof myItemsQuery>['all']>[number];

function toItem(r: ItemRow, comments: Map<number, CommentDto>, now: Date): MyAssignmentItem {
  const status: DisplayStatus = r.status ?? 'not_started';
  const deadline = deadlineState(r, now);
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

function myItemsQuery(viewer: Viewer) {
  return getDb()
    .select(itemColumns)
    .from(assignments)
    .innerJoin(meetings, eq(meetings.id, assignments.meetingId))
    .innerJoin(courses, eq(courses.id, assignments.courseId))
    .leftJoin(reflections, and(eq(reflections.assignmentId, assignments.id), eq(reflections.authorId, viewer.id)));
}

/**
 * Every assignment of every course the cadre is in, newest course and meeting first, a page at
 * a time, with the cadre's own reflection state and the organizer's latest comment.
 */
export function listMyAssignments(viewer: Viewer, { page }: { page: number }, now = new Date()): MyAssignmentsPage {
  assertRole(viewer, 'cadre');
  const db = getDb();
  const mine = courseVisibleTo(viewer, assignments.courseId);
  const total = db.select({ n: count() }).from(assignments).where(mine).get()?.n ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / MY_ASSIGNMENTS_PAGE_SIZE));
  const current = Math.min(Math.max(1, Math.trunc(page) || 1), pageCount);
  const rows = myItemsQuery(viewer)
    .where(mine)
    // SQLite sorts NULL lowest, so undated courses and meetings come after dated ones.
    .orderBy(
      desc(courses.startsOn),
      desc(courses.id),
      desc(meetings.startsAt),
      desc(meetings.id),
      asc(assignments.dueAt),
      asc(assignments.id),
    )
    .limit(MY_ASSIGNMENTS_PAGE_SIZE)
    .offset((current - 1) * MY_ASSIGNMENTS_PAGE_SIZE)
    .all();
  const comments = latestVisibleComments(rows.flatMap((r) => (r.reflectionId === null ? [] : [r.reflectionId])));
  return { items: rows.map((r) => toItem(r, comments, now)), total, page: current, pageCount };
}

/**
 * What is still to be written: not started, draft or returned, and still open for submitting,
 * soonest due first (courses that are archived are over and left out).
 */
export function listMyOpenAssignments(viewer: Viewer, now = new Date(), limit = 5): { total: number; items: MyAssignmentItem[] } {
  assertRole(viewer, 'cadre');
  const t = now.getTime();
  const open = and(
    courseVisibleTo(viewer, assignments.courseId),
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
  const db = getDb();
  const total =
    db
      .select({ n: count() })
      .from(assignments)
      .innerJoin(courses, eq(courses.id, assignments.courseId))
      .leftJoin(reflections, and(eq(reflections.assignmentId, assignments.id), eq(reflections.authorId, viewer.id)))
      .where(open)
      .get()?.n ?? 0;
  const rows = myItemsQuery(viewer).where(open).orderBy(asc(assignments.dueAt), asc(assignments.id)).limit(limit).all();
  return { total, items: rows.map((r) => toItem(r, new Map(), now)) };
}

export interface ReadingOption {
  id: number;
  title: string;
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
  reflection: MyReflectionDto | null;
  status: DisplayStatus;
  deadline: DeadlineState;
  /** The cadre may change the text and submit it now. */
  writable: boolean;
  /** Why not, when not writable. */
  lockedReason: string | null;
  comments: CommentDto[];
  versions: VersionSummary[];
}

/** The assignment row when it is in a course this cadre is a member of. */
function memberAssignment(db: Tx | ReturnType<typeof getDb>, viewer: Viewer, assignmentId: number) {
  return db
    .select({
      id: assignments.id,
      courseId: assignments.courseId,
      meetingId: assignments.meetingId,
      title: assignments.title,
      prompt: assignments.prompt,
      dueAt: assignments.dueAt,
      cutoffAt: assignments.cutoffAt,
      allowLate: assignments.allowLate,
      minChars: assignments.minChars,
      maxChars: assignments.maxChars,
      courseArchived: courses.archived,
    })
    .from(assignments)
    .innerJoin(courses, eq(courses.id, assignments.courseId))
    .where(and(eq(assignments.id, assignmentId), courseVisibleTo(viewer, assignments.courseId)))
    .get();
}

/** The readings a reflection may refer to: the assignment's, or the meeting's when it names none. */
function readingOptions(db: Tx | ReturnType<typeof getDb>, assignmentId: number, meetingId: number): ReadingOption[] {
  const own = db
    .select({ id: readings.id, title: readings.title })
    .from(assignmentReadings)
    .innerJoin(readings, eq(readings.id, assignmentReadings.readingId))
    .where(eq(assignmentReadings.assignmentId, assignmentId))
    .orderBy(asc(readings.id))
    .all();
  if (own.length > 0) return own;
  return db
    .select({ id: readings.id, title: readings.title })
    .from(meetingReadings)
    .innerJoin(readings, eq(readings.id, meetingReadings.readingId))
    .where(eq(meetingReadings.meetingId, meetingId))
    .orderBy(asc(readings.id))
    .all();
}

function ownReflection(db: Tx | ReturnType<typeof getDb>, viewer: Viewer, assignmentId: number): Reflection | undefined {
  return db
    .select()
    .from(reflections)
    .where(and(eq(reflections.assignmentId, assignmentId), eq(reflections.authorId, viewer.id)))
    .get();
}

function readingIdsOf(db: Tx | ReturnType<typeof getDb>, reflectionId: number): number[] {
  return db
    .select({ id: reflectionReadings.readingId })
    .from(reflectionReadings)
    .where(eq(reflectionReadings.reflectionId, reflectionId))
    .orderBy(asc(reflectionReadings.readingId))
    .all()
    .map((r) => r.id);
}

function lockedMessage(row: Pick<Reflection, 'status' | 'versionCount' | 'submittedAt'>): string {
  if (row.status === 'approved') return '这篇心得已通过,不能再修改或提交';
  const when = row.submittedAt ? `,${formatDateTime(row.submittedAt)}` : '';
  return `这篇心得已提交(第 ${row.versionCount} 版${when}),等待审阅期间不能修改或再次提交`;
}

/** One assignment with the cadre's own reflection, comments and versions, for the editor. */
export function getMyAssignment(viewer: Viewer, { assignmentId }: { assignmentId: number }, now = new Date()): MyAssignmentDetail {
  assertRole(viewer, 'cadre');
  const db = getDb();
  const a = memberAssignment(db, viewer, assignmentId);
  if (!a) notFound();
  const meeting = db
    .select({ id: meetings.id, title: meetings.title, startsAt: meetings.startsAt, place: meetings.place })
    .from(meetings)
    .where(eq(meetings.id, a.meetingId))
    .get();
  const course = db
    .select({ id: courses.id, name: courses.name, archived: courses.archived })
    .from(courses)
    .where(eq(courses.id, a.courseId))
    .get();
  if (!meeting || !course) notFound();

  const row = ownReflection(db, viewer, a.id);
  const status: DisplayStatus = row?.status ?? 'not_started';
  const deadline = deadlineState(a, now);
  const writable = writableAt(status, deadline, a.courseArchived);
  let lockedReason: string | null = null;
  if (!writable) {
    if (row && !authorCanEdit(row.status)) lockedReason = lockedMessage(row);
    else if (a.courseArchived) lockedReason = COURSE_ARCHIVED_MESSAGE;
    else lockedReason = submitClosedReason(a, now, false) ?? '现在不能提交';
  }

  const comments = row
    ? db
        .select({
          id: reflectionComments.id,
          body: reflectionComments.body,
          decision: reflectionComments.decision,
          version: reflectionComments.version,
          authorName: users.name,
          createdAt: reflectionComments.createdAt,
        })
        .from(reflectionComments)
        .leftJoin(users, eq(users.id, reflectionComments.authorId))
        .where(and(eq(reflectionComments.reflectionId, row.id), eq(reflectionComments.internal, false)))
        .orderBy(asc(reflectionComments.createdAt), asc(reflectionComments.id))
        .all()
    : [];
  const versions = row
    ? db
        .select({
          version: reflectionVersions.version,
          title: reflectionVersions.title,
          charCount: reflectionVersions.charCount,
          late: reflectionVersions.late,
          submittedAt: reflectionVersions.submittedAt,
        })
        .from(reflectionVersions)
        .where(eq(reflectionVersions.reflectionId, row.id))
        .orderBy(desc(reflectionVersions.version))
        .all()
    : [];

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
    readings: readingOptions(db, a.id, a.meetingId),
    reflection: row
      ? {
          id: row.id,
          title: row.title,
          body: row.body,
          readingIds: readingIdsOf(db, row.id),
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
export function getMyReflectionVersion(
  viewer: Viewer,
  { assignmentId, version }: { assignmentId: number; version: number },
): MyVersionDto {
  assertRole(viewer, 'cadre');
  const row = getDb()
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

// ---------------------------------------------------------------------------------------------
// Writing

/** The copy on the server, sent back when the editor's base revision is stale. */
export interface ServerCopy {
  title: string;
  body: string;
  readingIds: number[];
  charCount: number;
  revision: number;
  status: ReflectionStatus;
  /** ms since the epoch */
  updatedAt: number;
}

export type ConflictFailure = Failure & { code: 'conflict'; server: ServerCopy };
export type LockedFailure = Failure & { code: 'locked'; status: ReflectionStatus };

export type SaveDraftResult =
  | { ok: true; reflectionId: number; revision: number; savedAt: number; created: boolean }
  | ConflictFailure
  | LockedFailure;

export type SubmitResult =
  | {
      ok: true;
      reflectionId: number;
      version: number;
      revision: number;
      status: ReflectionStatus;
      late: boolean;
      submittedAt: number;
      /** True when this was a retry of a submission already made. */
      repeated: boolean;
    }
  | ConflictFailure
  | LockedFailure
  | Failure;

export const CONFLICT_MESSAGE = '这篇心得已在别处(另一个窗口或设备)修改过,请选择保留哪一份';

function conflict(tx: Tx, row: Reflection): ConflictFailure {
  return {
    ok: false,
    code: 'conflict',
    message: CONFLICT_MESSAGE,
    server: {
      title: row.title,
      body: row.body,
      readingIds: readingIdsOf(tx, row.id),
      charCount: row.charCount,
      revision: row.revision,
      status: row.status,
      updatedAt: row.updatedAt.getTime(),
    },
  };
}

function locked(row: Reflection): LockedFailure {
  return { ok: false, code: 'locked', message: lockedMessage(row), status: row.status };
}

function setReadings(tx: Tx, reflectionId: number, readingIds: number[]): void {
  tx.delete(reflectionReadings).where(eq(reflectionReadings.reflectionId, reflectionId)).run();
  if (readingIds.length > 0) {
    tx.insert(reflectionReadings)
      .values(readingIds.map((readingId) => ({ reflectionId, readingId })))
      .run();
  }
}

/** Only readings the assignment offers; one an organizer has since removed is quietly dropped. */
function allowedReadings(tx: Tx, a: { id: number; meetingId: number }, wanted: number[]): number[] {
  const allowed = new Set(readingOptions(tx, a.id, a.meetingId).map((r) => r.id));
  return sortedIds(wanted.filter((id) => allowed.has(id)));
}

/**
 * The cadre's row for this assignment, made (as an empty draft) when there is none. Two
 * requests racing to make it both end with the one row: the loser re-reads the winner's.
 */
function ensureOwnRow(
  tx: Tx,
  viewer: Viewer,
  a: { id: number; courseId: number },
  initial: { title: string; body: string },
  now: Date,
): { row: Reflection; created: boolean } {
  const existing = ownReflection(tx, viewer, a.id);
  if (existing) return { row: existing, created: false };
  const inserted = tx
    .insert(reflections)
    .values({
      assignmentId: a.id,
      courseId: a.courseId,
      authorId: viewer.id,
      title: initial.title,
      body: initial.body,
      charCount: countChars(initial.body),
      status: 'draft',
      revision: 1,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing()
    .returning()
    .get();
  if (inserted) {
    writeAudit(tx, {
      actorId: viewer.id,
      actorUsername: viewer.username,
      action: 'reflection.create',
      targetType: 'reflection',
      targetId: inserted.id,
      detail: { assignmentId: a.id },
    });
    return { row: inserted, created: true };
  }
  const winner = ownReflection(tx, viewer, a.id);
  if (!winner) throw new Error('reflection row vanished while being created');
  return { row: winner, created: false };
}

/**
 * Saves the working copy. The editor names the revision its text started from; when the
 * server's copy has moved on since (another tab, another device) and says something else, nothing
 * is written and both copies go back so that the cadre chooses. Saving the same text again is
 * a no-op that reports the current revision.
 */
export function saveDraft(viewer: Viewer, input: SaveDraftInput, now = new Date()): SaveDraftResult {
  assertRole(viewer, 'cadre');
  const body = normalizeBody(input.body);
  return getDb().transaction((tx) => {
    const a = memberAssignment(tx, viewer, input.assignmentId);
    if (!a) notFound();
    const readingIds = allowedReadings(tx, a, input.readingIds);
    const content = { title: input.title, body, readingIds };

    const { row, created } = ensureOwnRow(tx, viewer, a, { title: input.title, body }, now);
    if (created) {
      setReadings(tx, row.id, readingIds);
      return { ok: true, reflectionId: row.id, revision: row.revision, savedAt: row.updatedAt.getTime(), created: true };
    }
    if (!authorCanEdit(row.status)) return locked(row);
    if (sameContent(content, { title: row.title, body: row.body, readingIds: readingIdsOf(tx, row.id) })) {
      return { ok: true, reflectionId: row.id, revision: row.revision, savedAt: row.updatedAt.getTime(), created: false };
    }
    if (row.revision !== input.baseRevision) return conflict(tx, row);

    const next = nextStatus(row.status, 'save');
    if (!next) return locked(row);
    const changed = tx
      .update(reflections)
      .set({ title: input.title, body, charCount: countChars(body), status: next, revision: row.revision + 1, updatedAt: now })
      .where(and(eq(reflections.id, row.id), eq(reflections.revision, row.revision)))
      .run();
    if (changed.changes !== 1) throw new Error('reflection changed inside its own transaction');
    setReadings(tx, row.id, readingIds);
    indexReflection(tx, row.id);
    return { ok: true, reflectionId: row.id, revision: row.revision + 1, savedAt: now.getTime(), created: false };
  });
}

/**
 * Submits the reflection as a new version. A retry with the same submitKey (double click, a
 * timeout, a second request in flight) returns the first one's result and writes nothing.
 */
export function submitReflection(
  viewer: Viewer,
  input: SubmitReflectionInput,
  req: RequestInfo | null,
  now = new Date(),
): SubmitResult {
  assertRole(viewer, 'cadre');
  return getDb().transaction((tx): SubmitResult => {
    const a = memberAssignment(tx, viewer, input.assignmentId);
    if (!a) notFound();
    let row = ownReflection(tx, viewer, a.id);

    if (row) {
      const done = tx
        .select()
        .from(reflectionVersions)
        .where(and(eq(reflectionVersions.reflectionId, row.id), eq(reflectionVersions.submitKey, input.submitKey)))
        .get();
      if (done) {
        return {
          ok: true,
          reflectionId: row.id,
          version: done.version,
          revision: row.revision,
          status: row.status,
          late: done.late,
          submittedAt: done.submittedAt.getTime(),
          repeated: true,
        };
      }
      if (!authorCanEdit(row.status)) return locked(row);
    }

    if (a.courseArchived) return fail('closed', COURSE_ARCHIVED_MESSAGE);
    const closed = submitClosedReason(a, now, row?.status === 'returned');
    if (closed) return fail('closed', closed);

    const title = finalTitle(input.title);
    const body = finalBody(input.body);
    const readingIds = allowedReadings(tx, a, input.readingIds);
    if (row && row.revision !== input.baseRevision) {
      const stored = { title: row.title, body: row.body, readingIds: readingIdsOf(tx, row.id) };
      const asSent = { title: input.title, body: normalizeBody(input.body), readingIds };
      if (!sameContent(stored, asSent) && !sameContent(stored, { title, body, readingIds })) return conflict(tx, row);
    }

    const charCount = countChars(body);
    const errors: FieldErrors = {};
    if (!title) errors.title = ['请填写标题'];
    if (!body) errors.body = ['请填写正文'];
    else {
      const problem = charLimitProblem(charCount, a.minChars, a.maxChars);
      if (problem) errors.body = [problem];
    }
    if (!input.declaration) errors.declaration = ['请勾选“本人承诺所交心得为本人撰写”'];
    const problems = Object.values(errors).flatMap((e) => e ?? []);
    if (problems.length > 0) return fail('invalid', `未能提交:${problems.join(';')}`, errors);

    if (!row) row = ensureOwnRow(tx, viewer, a, { title, body }, now).row;
    const status = nextStatus(row.status, 'submit');
    if (!status) return locked(row);
    const version = row.versionCount + 1;
    // A resubmission after 退回修改 keeps the reflection's own punctuality: the organizer asked for it.
    const late = row.status === 'returned' ? row.late : now.getTime() > a.dueAt.getTime();

    const changed = tx
      .update(reflections)
      .set({
        title,
        body,
        charCount,
        status,
        revision: row.revision + 1,
        versionCount: version,
        submittedAt: now,
        late,
        updatedAt: now,
      })
      .where(and(eq(reflections.id, row.id), eq(reflections.revision, row.revision)))
      .run();
    if (changed.changes !== 1) throw new Error('reflection changed inside its own transaction');
    setReadings(tx, row.id, readingIds);
    tx.insert(reflectionVersions)
      .values({ reflectionId: row.id, version, title, body, charCount, late, submitKey: input.submitKey, submittedAt: now })
      .run();
    indexReflection(tx, row.id);
    writeAudit(tx, {
      actorId: viewer.id,
      actorUsername: viewer.username,
      action: 'reflection.submit',
      targetType: 'reflection',
      targetId: row.id,
      detail: { assignmentId: a.id, version, charCount, late, from: row.status },
      ip: req?.ip ?? null,
    });
    return {
      ok: true,
      reflectionId: row.id,
      version,
      revision: row.revision + 1,
      status,
      late,
      submittedAt: now.getTime(),
      repeated: false,
    };
  });
}

