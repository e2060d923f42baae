import * as factories from '@/db/factories';
import type { reflections } from '@/db/schema';

// Course rows for tests of the cadre's side (the organizer's screens make them in real use). The
// rows come from the shared factories (db/factories.ts); these are the names and argument shapes
// the tests were written against. Each helper returns the new id.

export { addMeetingReading, makeAssignment, makeCourse, makeMeeting, TIME } from '@/db/factories';

export function makeReading(title = '《论党的自我革命》'): number {
  return factories.makeReading(title);
}

export function enroll(courseId: number, ...userIds: number[]): void {
  factories.enroll(courseId, userIds);
}

/** A course with one meeting and one assignment, the given cadres enrolled. */
export function courseWithAssignment(
  cadreIds: number[],
  over: factories.AssignmentSpec = {},
): { courseId: number; meetingId: number; assignmentId: number } {
  const courseId = factories.makeCourse();
  const meetingId = factories.makeMeeting(courseId);
  const assignmentId = factories.makeAssignment(meetingId, over);
  if (cadreIds.length > 0) factories.enroll(courseId, cadreIds);
  return { courseId, meetingId, assignmentId };
}

export function addComment(reflectionId: number, over: factories.CommentSpec = {}): number {
  return factories.makeComment(reflectionId, over);
}

/** Puts a reflection in a status directly, as an organizer's decision would (revision and index untouched). */
export function setReflectionStatus(reflectionId: number, status: (typeof reflections.$inferSelect)['status']): void {
  factories.setReflectionStatus(reflectionId, status);
}
