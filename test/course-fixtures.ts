import * as factories from '@/db/factories';
import type { reflections } from '@/db/schema';

// Course rows for tests of the cadre's side (the organizer's screens make them in real use). The
// rows come from the shared factories (db/factories.ts); these are the names and argument shapes
// the tests were written against. Each helper returns the new id.

export { addMeetingReading, makeAssignment, makeCourse, makeMeeting, TIME } from '@/db/factories';

export async function makeReading(title = '《论党的自我革命》'): Promise<number> {
  return await factories.makeReading(title);
}

export async function enroll(courseId: number, ...userIds: number[]): Promise<void> {
  await factories.enroll(courseId, userIds);
}

/** A course with one meeting and one assignment, the given cadres enrolled. */
export async function courseWithAssignment(
  cadreIds: number[],
  over: factories.AssignmentSpec = {},
): Promise<{ courseId: number; meetingId: number; assignmentId: number }> {
  const courseId = await factories.makeCourse();
  const meetingId = await factories.makeMeeting(courseId);
  const assignmentId = await factories.makeAssignment(meetingId, over);
  if (cadreIds.length > 0) await factories.enroll(courseId, cadreIds);
  return { courseId, meetingId, assignmentId };
}

export async function addComment(reflectionId: number, over: factories.CommentSpec = {}): Promise<number> {
  return await factories.makeComment(reflectionId, over);
}

/** Puts a reflection in a status directly, as an organizer's decision would (revision and index untouched). */
export async function setReflectionStatus(reflectionId: number, status: (typeof reflections.$inferSelect)['status']): Promise<void> {
  await factories.setReflectionStatus(reflectionId, status);
}
