import { describe, expect, it } from 'vitest';
import { getAssignment } from '@/db/queries/assignments';
import { getCourse } from '@/db/queries/courses';
import { closesAt, isExpected } from '@/db/queries/expected';
import { addOrganizer, enroll, makeAssignment, makeCourse, makeMeeting, makeUser, signedIn, TIME } from '@/db/factories';
import { useTestDatabase } from '@/test/db';

useTestDatabase();

describe('who is expected to write', () => {
  const due = new Date('2026-11-10T09:00:00Z');
  it('closes at the cut-off, else at the due time without late submissions, else never', () => {
    const cutoff = new Date('2026-11-12T09:00:00Z');
    expect(closesAt({ dueAt: due, cutoffAt: cutoff, allowLate: false })).toEqual(cutoff);
    expect(closesAt({ dueAt: due, cutoffAt: null, allowLate: false })).toEqual(due);
    expect(closesAt({ dueAt: due, cutoffAt: null, allowLate: true })).toBeNull();
    expect(isExpected({ dueAt: due, cutoffAt: null, allowLate: false }, new Date(due.getTime() + TIME.HOUR))).toBe(false);
    expect(isExpected({ dueAt: due, cutoffAt: null, allowLate: false }, new Date(due.getTime() - TIME.HOUR))).toBe(true);
    expect(isExpected({ dueAt: due, cutoffAt: null, allowLate: true }, new Date(due.getTime() + 30 * TIME.DAY))).toBe(true);
  });

  it('leaves a late joiner out of the expected counts of closed assignments only', async () => {
    const organizer = await signedIn('organizer');
    const courseId = await makeCourse();
    await addOrganizer(courseId, organizer.id);
    const meetingId = await makeMeeting(courseId);
    const closed = await makeAssignment(meetingId, { dueAt: due, cutoffAt: null, allowLate: false });
    const open = await makeAssignment(meetingId, { dueAt: due, cutoffAt: null, allowLate: true });
    await enroll(courseId, [await makeUser('cadre'), await makeUser('cadre')], { enrolledAt: new Date(due.getTime() - TIME.DAY) });
    await enroll(courseId, [await makeUser('cadre')], { enrolledAt: new Date(due.getTime() + TIME.DAY) });

    expect((await getAssignment(organizer, { id: closed })).expectedCount).toBe(2);
    expect((await getAssignment(organizer, { id: open })).expectedCount).toBe(3);
    expect((await getCourse(organizer, { id: courseId })).expectedCount).toBe(5);
  });
});
