// Fixtures for the course query tests: two courses run by different organizers, each with a
// meeting, an assignment, a group and a member, so that every test can reach across.
import { asc } from 'drizzle-orm';
import { getDb } from '@/db';
import {
  assignmentReadings,
  assignments,
  auditLog,
  courseGroups,
  courseMembers,
  courseOrganizers,
  courses,
  meetingReadings,
  meetings,
  readings,
  reflections,
} from '@/db/schema';
import {
  enroll,
  makeAssignment,
  makeCourse,
  makeGroup,
  makeMeeting,
  makeReading,
  makeReflection,
  makeUnit,
  makeUser,
  SAMPLE_BODY,
  signedIn,
  viewerFor,
} from '@/db/factories';
import type { Viewer } from '@/lib/auth/viewer-type';

export const req = { ip: '198.51.100.7', userAgent: 'vitest' };

export interface CourseFixture {
  courseId: number;
  meetingId: number;
  assignmentId: number;
  groupId: number;
  memberId: number;
  readingId: number;
  organizer: Viewer;
}

async function addCourse(label: string, organizer: Viewer, unitId: number): Promise<CourseFixture> {
  const courseId = await makeCourse({
    name: `2020年${label}读书班`,
    columnName: `${label}读书班`,
    startsOn: '2020-05-09',
    endsOn: '2020-06-30',
    organizerIds: [organizer.id],
  });
  const readingId = await makeReading({ title: `《${label}篇目》`, source: '人民出版社' });
  const meetingId = await makeMeeting(courseId, {
    title: '开班式',
    startsAt: new Date('2020-05-09T01:00:00Z'),
    place: '区委党校',
    readingIds: [readingId],
  });
  const assignmentId = await makeAssignment(meetingId, {
    courseId,
    title: '开班心得',
    prompt: '',
    dueAt: new Date('2020-05-16T10:00:00Z'),
    minChars: 300,
    maxChars: 1500,
    readingIds: [readingId],
  });
  const groupId = await makeGroup(courseId, { name: '第一组', sortOrder: 1 });
  const memberId = await makeUser('cadre', { name: `${label}学员`, title: '街道党工委副书记', unitId });
  await enroll(courseId, [memberId], { groupId });
  return { courseId, meetingId, assignmentId, groupId, memberId, readingId, organizer };
}

export async function twoCourses() {
  const district = await makeUnit('樊城区');
  const town = await makeUnit('牛首镇', district);
  const admin = await signedIn('admin');
  const a = await addCourse('甲', await signedIn('organizer'), town);
  const b = await addCourse('乙', await signedIn('organizer'), district);
  const cadre = await viewerFor(a.memberId);
  return { admin, a, b, cadre, district, town };
}

/**
 * A cadre's reflection for an assignment, as the cadre pages would write it: 字数 counted, a
 * handed-in one with its first version. At revision 1, which the review tests name as the
 * revision they decide on; left out of the search index, so that the search tests decide what
 * is indexed.
 */
export async function addReflection(
  fx: CourseFixture,
  authorId: number,
  status: 'draft' | 'submitted' | 'returned' | 'approved',
  assignmentId = fx.assignmentId,
): Promise<number> {
  return await makeReflection({ assignmentId, courseId: fx.courseId, authorId, status, body: SAMPLE_BODY, revision: 1, index: false });
}

/** Everything the course queries could change, to compare before and after a refused call. */
export async function snapshot() {
  const db = getDb();
  return {
    courses: await db.select().from(courses).orderBy(asc(courses.id)).all(),
    organizers: await db.select().from(courseOrganizers).orderBy(asc(courseOrganizers.courseId), asc(courseOrganizers.userId)).all(),
    groups: await db.select().from(courseGroups).orderBy(asc(courseGroups.id)).all(),
    members: await db.select().from(courseMembers).orderBy(asc(courseMembers.courseId), asc(courseMembers.userId)).all(),
    readings: await db.select().from(readings).orderBy(asc(readings.id)).all(),
    meetings: await db.select().from(meetings).orderBy(asc(meetings.id)).all(),
    meetingReadings: await db.select().from(meetingReadings).orderBy(asc(meetingReadings.meetingId), asc(meetingReadings.readingId)).all(),
    assignments: await db.select().from(assignments).orderBy(asc(assignments.id)).all(),
    assignmentReadings: await db
      .select()
      .from(assignmentReadings)
      .orderBy(asc(assignmentReadings.assignmentId), asc(assignmentReadings.readingId))
      .all(),
    reflections: await db.select().from(reflections).orderBy(asc(reflections.id)).all(),
    audit: await db.select().from(auditLog).orderBy(asc(auditLog.id)).all(),
  };
}

export async function auditOf(action: string) {
  return (await getDb()
    .select()
    .from(auditLog)
    .orderBy(asc(auditLog.id))
    .all())
    .filter((r) => r.action === action)
    .map((r) => ({ ...r, detail: r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : null }));
}
