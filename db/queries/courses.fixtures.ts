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
  units,
} from '@/db/schema';
import type { Viewer } from '@/lib/auth/viewer-type';
import { makeUser, signedIn, viewerFor } from '@/test/db';

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
  const db = getDb();
  const courseId = db
    .insert(courses)
    .values({ name: `2020年${label}读书班`, columnName: `${label}读书班`, startsOn: '2020-05-09', endsOn: '2020-06-30' })
    .returning({ id: courses.id })
    .get().id;
  db.insert(courseOrganizers).values({ courseId, userId: organizer.id }).run();
  const readingId = db
    .insert(readings)
    .values({ title: `《${label}篇目》`, source: '人民出版社' })
    .returning({ id: readings.id })
    .get().id;
  const meetingId = db
    .insert(meetings)
    .values({ courseId, title: '开班式', startsAt: new Date('2020-05-09T01:00:00Z'), place: '区委党校' })
    .returning({ id: meetings.id })
    .get().id;
  db.insert(meetingReadings).values({ meetingId, readingId }).run();
  const assignmentId = db
    .insert(assignments)
    .values({ meetingId, courseId, title: '开班心得', dueAt: new Date('2020-05-16T10:00:00Z'), minChars: 300, maxChars: 1500 })
    .returning({ id: assignments.id })
    .get().id;
  db.insert(assignmentReadings).values({ assignmentId, readingId }).run();
  const groupId = db
    .insert(courseGroups)
    .values({ courseId, name: '第一组', sortOrder: 1 })
    .returning({ id: courseGroups.id })
    .get().id;
  const memberId = makeUser('cadre', { name: `${label}学员`, title: '街道党工委副书记', unitId });
  db.insert(courseMembers).values({ courseId, userId: memberId, groupId }).run();
  return { courseId, meetingId, assignmentId, groupId, memberId, readingId, organizer };
}

export function twoCourses() {
  const db = getDb();
  const district = db.insert(units).values({ name: '樊城区' }).returning({ id: units.id }).get().id;
  const town = db.insert(units).values({ name: '牛首镇', parentId: district }).returning({ id: units.id }).get().id;
  const admin = signedIn('admin');
  const a = addCourse('甲', signedIn('organizer'), town);
  const b = addCourse('乙', signedIn('organizer'), district);
  const cadre = viewerFor(a.memberId);
  return { admin, a, b, cadre, district, town };
}

/** A cadre's reflection for an assignment, as the cadre pages would write it. */
export function addReflection(
  fx: CourseFixture,
  authorId: number,
  status: 'draft' | 'submitted' | 'returned' | 'approved',
  assignmentId = fx.assignmentId,
): number {
  return getDb()
    .insert(reflections)
    .values({
      assignmentId,
      courseId: fx.courseId,
      authorId,
      body: '全区党组织书记读书班的举办,恰逢其时。',
      status,
      submittedAt: status === 'draft' ? null : new Date(),
      versionCount: status === 'draft' ? 0 : 1,
    })
    .returning({ id: reflections.id })
    .get().id;
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
