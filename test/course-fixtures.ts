import { eq } from 'drizzle-orm';
import { getDb } from '@/db';
import {
  assignmentReadings,
  assignments,
  courseMembers,
  courses,
  meetingReadings,
  meetings,
  readings,
  reflectionComments,
  reflections,
} from '@/db/schema';

// Course rows inserted directly, for tests of the cadre's side (the organizer's screens make them
// in real use). Each helper returns the new id.

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
export const TIME = { HOUR, DAY };

let n = 0;

export function makeCourse(over: Partial<typeof courses.$inferInsert> = {}): number {
  n += 1;
  return getDb()
    .insert(courses)
    .values({ name: `2020年全区党组织书记读书班(${n})`, columnName: '书记读书班', startsOn: '2020-05-09', ...over })
    .returning({ id: courses.id })
    .get().id;
}

export function makeMeeting(courseId: number, over: Partial<typeof meetings.$inferInsert> = {}): number {
  n += 1;
  return getDb()
    .insert(meetings)
    .values({ courseId, title: `第${n}次集中学习`, startsAt: new Date('2020-05-09T01:00:00Z'), ...over })
    .returning({ id: meetings.id })
    .get().id;
}

export function makeReading(title = '《论党的自我革命》'): number {
  return getDb().insert(readings).values({ title }).returning({ id: readings.id }).get().id;
}

export function makeAssignment(
  meetingId: number,
  over: Partial<Omit<typeof assignments.$inferInsert, 'meetingId' | 'courseId'>> & { readingIds?: number[] } = {},
): number {
  const db = getDb();
  const { readingIds = [], ...rest } = over;
  const meeting = db.select({ courseId: meetings.courseId }).from(meetings).where(eq(meetings.id, meetingId)).get();
  if (!meeting) throw new Error(`no meeting ${meetingId}`);
  const courseId = meeting.courseId;
  const id = db
    .insert(assignments)
    .values({
      meetingId,
      courseId,
      title: '学习心得',
      prompt: '结合本职工作谈谈学习体会',
      dueAt: new Date(Date.now() + 3 * DAY),
      minChars: 0,
      maxChars: 0,
      ...rest,
    })
    .returning({ id: assignments.id })
    .get().id;
  if (readingIds.length > 0) db.insert(assignmentReadings).values(readingIds.map((readingId) => ({ assignmentId: id, readingId }))).run();
  return id;
}

export function addMeetingReading(meetingId: number, readingId: number): void {
  getDb().insert(meetingReadings).values({ meetingId, readingId }).run();
}

export function enroll(courseId: number, ...userIds: number[]): void {
  getDb()
    .insert(courseMembers)
    .values(userIds.map((userId) => ({ courseId, userId })))
    .run();
}

/** A course with one meeting and one assignment, the given cadres enrolled. */
export function courseWithAssignment(
  cadreIds: number[],
  over: Parameters<typeof makeAssignment>[1] = {},
): { courseId: number; meetingId: number; assignmentId: number } {
  const courseId = makeCourse();
  const meetingId = makeMeeting(courseId);
  const assignmentId = makeAssignment(meetingId, over);
  if (cadreIds.length > 0) enroll(courseId, ...cadreIds);
  return { courseId, meetingId, assignmentId };
}

export function addComment(
  reflectionId: number,
  over: Partial<typeof reflectionComments.$inferInsert> = {},
): number {
  return getDb()
    .insert(reflectionComments)
    .values({ reflectionId, body: '请结合本单位实际展开。', ...over })
    .returning({ id: reflectionComments.id })
    .get().id;
}

/** Puts a reflection in a status directly, as an organizer's decision would. */
export function setReflectionStatus(reflectionId: number, status: (typeof reflections.$inferSelect)['status']): void {
  getDb().update(reflections).set({ status }).where(eq(reflections.id, reflectionId)).run();
}
