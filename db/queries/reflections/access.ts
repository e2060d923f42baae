import 'server-only';
import { and, asc, eq, exists, sql } from 'drizzle-orm';
import type { getDb, Tx } from '@/db';
import { assignmentReadings, assignments, courseMembers, courses, meetingReadings, readings, reflectionReadings, reflections, type Reflection } from '@/db/schema';
import type { Viewer } from '@/lib/auth/viewer-type';
import { formatDateTime } from '@/lib/time';
import { courseVisibleTo } from '../scope';
import { prepared } from './prepared';

// The cadre's reach, shared by their reads and their writes: an assignment only in a course
// they are a member of, a reflection only their own (both in the WHERE clause). Anything else
// is "not found", the same answer as for an id that does not exist.

export const COURSE_ARCHIVED_MESSAGE = '这个读书班已经结束，不能再提交心得';
export const ASSIGNMENT_NOT_FOUND_MESSAGE = '找不到这项心得任务';

type Reader = Tx | ReturnType<typeof getDb>;

export interface ReadingOption {
  id: number;
  title: string;
}

// A cadre's autosaves and submits run these on every request (a deadline brings a hundred at
// once): built and prepared once per connection (./prepared.ts), with the same WHERE as the
// general form below. They run on the process's one connection, inside the caller's transaction.
export const assignmentColumns = {
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
};

const memberAssignmentOfCadre = () =>
  prepared('member-assignment', (db) =>
    db
      .select(assignmentColumns)
      .from(assignments)
      .innerJoin(courses, eq(courses.id, assignments.courseId))
      .where(
        and(
          eq(assignments.id, sql.placeholder('assignmentId')),
          // courseVisibleTo for a cadre: a member of the course.
          exists(
            db
              .select({ one: sql`1` })
              .from(courseMembers)
              .where(and(eq(courseMembers.courseId, assignments.courseId), eq(courseMembers.userId, sql.placeholder('userId')))),
          ),
        ),
      )
      .prepare(),
  );

/** The assignment row when it is in a course this cadre is a member of. */
export async function memberAssignment(db: Reader, viewer: Viewer, assignmentId: number) {
  if (viewer.role === 'cadre') return await memberAssignmentOfCadre().get({ assignmentId, userId: viewer.id });
  return await db
    .select(assignmentColumns)
    .from(assignments)
    .innerJoin(courses, eq(courses.id, assignments.courseId))
    .where(and(eq(assignments.id, assignmentId), courseVisibleTo(viewer, assignments.courseId)))
    .get();
}

const assignmentReadingOptions = () =>
  prepared('assignment-reading-options', (db) =>
    db
      .select({ id: readings.id, title: readings.title })
      .from(assignmentReadings)
      .innerJoin(readings, eq(readings.id, assignmentReadings.readingId))
      .where(eq(assignmentReadings.assignmentId, sql.placeholder('assignmentId')))
      .orderBy(asc(readings.id))
      .prepare(),
  );

const meetingReadingOptions = () =>
  prepared('meeting-reading-options', (db) =>
    db
      .select({ id: readings.id, title: readings.title })
      .from(meetingReadings)
      .innerJoin(readings, eq(readings.id, meetingReadings.readingId))
      .where(eq(meetingReadings.meetingId, sql.placeholder('meetingId')))
      .orderBy(asc(readings.id))
      .prepare(),
  );

/** The readings a reflection may refer to: the assignment's, or the meeting's when it names none. */
export async function readingOptions(_db: Reader, assignmentId: number, meetingId: number): Promise<ReadingOption[]> {
  const own = await assignmentReadingOptions().all({ assignmentId });
  if (own.length > 0) return own;
  return await meetingReadingOptions().all({ meetingId });
}

const ownReflectionRow = () =>
  prepared('own-reflection', (db) =>
    db
      .select()
      .from(reflections)
      .where(and(eq(reflections.assignmentId, sql.placeholder('assignmentId')), eq(reflections.authorId, sql.placeholder('authorId'))))
      .prepare(),
  );

export async function ownReflection(_db: Reader, viewer: Viewer, assignmentId: number): Promise<Reflection | undefined> {
  return await ownReflectionRow().get({ assignmentId, authorId: viewer.id });
}

const readingIdsQuery = () =>
  prepared('reflection-reading-ids', (db) =>
    db
      .select({ id: reflectionReadings.readingId })
      .from(reflectionReadings)
      .where(eq(reflectionReadings.reflectionId, sql.placeholder('reflectionId')))
      .orderBy(asc(reflectionReadings.readingId))
      .prepare(),
  );

export async function readingIdsOf(_db: Reader, reflectionId: number): Promise<number[]> {
  return (await readingIdsQuery()
    .all({ reflectionId }))
    .map((r) => r.id);
}

export function lockedMessage(row: Pick<Reflection, 'status' | 'versionCount' | 'submittedAt'>): string {
  if (row.status === 'approved') return '这篇心得已通过，不能再修改或提交';
  const when = row.submittedAt ? `，${formatDateTime(row.submittedAt)}` : '';
  return `这篇心得已提交（第 ${row.versionCount} 版${when}），等待审阅期间不能修改或再次提交`;
}

