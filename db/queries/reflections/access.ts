import 'server-only';
import { and, asc, eq } from 'drizzle-orm';
import type { getDb, Tx } from '@/db';
import { assignmentReadings, assignments, courses, meetingReadings, readings, reflectionReadings, reflections, type Reflection } from '@/db/schema';
import type { Viewer } from '@/lib/auth/viewer-type';
import { formatDateTime } from '@/lib/time';
import { courseVisibleTo } from '../scope';

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

/** The assignment row when it is in a course this cadre is a member of. */
export function memberAssignment(db: Reader, viewer: Viewer, assignmentId: number) {
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
export function readingOptions(db: Reader, assignmentId: number, meetingId: number): ReadingOption[] {
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

export function ownReflection(db: Reader, viewer: Viewer, assignmentId: number): Reflection | undefined {
  return db
    .select()
    .from(reflections)
    .where(and(eq(reflections.assignmentId, assignmentId), eq(reflections.authorId, viewer.id)))
    .get();
}

export function readingIdsOf(db: Reader, reflectionId: number): number[] {
  return db
    .select({ id: reflectionReadings.readingId })
    .from(reflectionReadings)
    .where(eq(reflectionReadings.reflectionId, reflectionId))
    .orderBy(asc(reflectionReadings.readingId))
    .all()
    .map((r) => r.id);
}

export function lockedMessage(row: Pick<Reflection, 'status' | 'versionCount' | 'submittedAt'>): string {
  if (row.status === 'approved') return '这篇心得已通过，不能再修改或提交';
  const when = row.submittedAt ? `，${formatDateTime(row.submittedAt)}` : '';
  return `这篇心得已提交（第 ${row.versionCount} 版${when}），等待审阅期间不能修改或再次提交`;
}

