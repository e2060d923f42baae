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

function addCourse(label: string, organizer: Viewer, unitId: number): CourseFixture {
  const courseId = makeCourse({
    name: `2020年${label}读书班`,
    columnName: `${label}读书班`,
    startsOn: '2020-05-09',
    endsOn: '2020-06-30',
    organizerIds: [organizer.id],
  });
  const readingId = makeReading({ title: `《${label}篇目》`, source: '人民出版社' });
  const meetingId = makeMeeting(courseId, {
    title: '开班式',
    startsAt: new Date('2020-05-09T01:00:00Z'),
    place: '区委党校',
    readingIds: [readingId],
  });
  const assignmentId = makeAssignment(meetingId, {
    courseId,
    title: '开班心得',
    prompt: '',
    dueAt: new Date('2020-05-16T10:00:00Z'),
    minChars: 300,
    maxChars: 1500,
    readingIds: [readingId],
  });
  const groupId = makeGroup(courseId, { name: '第一组', sortOrder: 1 });
  const memberId = makeUser('cadre', { name: `${label}学员`, title: '街道党工委副书记', unitId });
  enroll(courseId, [memberId], { groupId });
  return { courseId, meetingId, assignmentId, groupId, memberId, readingId, organizer };
}

export function twoCourses() {
  const district = makeUnit('樊城区');
  const town = makeUnit('牛首镇', district);
  const admin = signedIn('admin');
  const a = addCourse('甲', signedIn('organizer'), town);
  const b = addCourse('乙', signedIn('organizer'), district);
  const cadre = viewerFor(a.memberId);
  return { admin, a, b, cadre, district, town };
}

/**
 * A cadre's reflection for an assignment, as the cadre pages would write it: 字数 counted, a
 * handed-in one with its first version. At revision 1, which the review tests name as the
 * revision they decide on; left out of the search index, so that the search tests decide what
 * is indexed.
 */
export function addReflection(
  fx: CourseFixture,
  authorId: number,
  status: 'draft' | 'submitted' | 'returned' | 'approved',
  assignmentId = fx.assignmentId,
): number {
  return makeReflection({ assignmentId, courseId: fx.courseId, authorId, status, body: SAMPLE_BODY, revision: 1, index: false });
}

/** Everything the course queries could change, to compare before and after a refused call. */
export function snapshot() {
  const db = getDb();
  return {
    courses: db.select().from(courses).orderBy(asc(courses.id)).all(),
    organizers: db.select().from(courseOrganizers).orderBy(asc(courseOrganizers.courseId), asc(courseOrganizers.userId)).all(),
    groups: db.select().from(courseGroups).orderBy(asc(courseGroups.id)).all(),
    members: db.select().from(courseMembers).orderBy(asc(courseMembers.courseId), asc(courseMembers.userId)).all(),
    readings: db.select().from(readings).orderBy(asc(readings.id)).all(),
    meetings: db.select().from(meetings).orderBy(asc(meetings.id)).all(),
    meetingReadings: db.select().from(meetingReadings).orderBy(asc(meetingReadings.meetingId), asc(meetingReadings.readingId)).all(),
    assignments: db.select().from(assignments).orderBy(asc(assignments.id)).all(),
    assignmentReadings: db
      .select()
      .from(assignmentReadings)
      .orderBy(asc(assignmentReadings.assignmentId), asc(assignmentReadings.readingId))
      .all(),
    reflections: db.select().from(reflections).orderBy(asc(reflections.id)).all(),
    audit: db.select().from(auditLog).orderBy(asc(auditLog.id)).all(),
  };
}

export function auditOf(action: string) {
  return getDb()
    .select()
    .from(auditLog)
    .orderBy(asc(auditLog.id))
    .all()
    .filter((r) => r.action === action)
    .map((r) => ({ ...r, detail: r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : null }));
}
