import { twoCourses, type CourseFixture } from '@/db/queries/courses.fixtures';
import { makeReading } from '@/test/course-fixtures';
import { makeUser, signedIn } from '@/test/db';
import type { MatrixEntry, World } from '../types';

// The 读书班 setup forms (app/(organizer)/courses/actions.ts). Most work inside one course, so
// the organizer of the other course of twoCourses() is the outsider. Readings are one library
// shared by every course: adding one, or deleting one nothing uses, belongs to no course, while
// editing one that a course uses is for that course's organizers (and admins) only. Assigning
// organizers is for admins, who reach every course, so no one of an allowed role is an outsider.

const file = 'app/(organizer)/courses/actions.ts';

/** A form of course A, run by A's organizer; B's organizer must be refused. */
function inCourse(name: string, input: (a: CourseFixture) => Record<string, unknown> | Promise<Record<string, unknown>>): MatrixEntry {
  return {
    file,
    name,
    roles: ['organizer', 'admin'],
    kind: 'form',
    scope: 'course',
    async setup(): Promise<World> {
      const { a, b } = await twoCourses();
      return { actor: a.organizer, input: await input(a), outsiders: [b.organizer] };
    },
  };
}

/** A form that touches no course's data. */
function unscoped(name: string, roles: MatrixEntry['roles'], setup: () => World | Promise<World>): MatrixEntry {
  return { file, name, roles, kind: 'form', scope: 'none', setup };
}

export const entries: MatrixEntry[] = [
  // 读书班
  unscoped('createCourseAction', ['organizer', 'admin'], async () => ({
    actor: await signedIn('organizer'),
    input: { name: '2020年全区党组织书记读书班', startsOn: '2020-05-09', endsOn: '2020-06-30' },
  })),
  inCourse('updateCourseAction', (a) => ({ id: a.courseId, name: '2020年甲读书班(第二期)', columnName: '书记读书班' })),
  inCourse('setCourseArchivedAction', (a) => ({ id: a.courseId, archived: 'true' })),
  inCourse('deleteCourseAction', (a) => ({ id: a.courseId })),

  // 组织者
  unscoped('addCourseOrganizerAction', ['admin'], async () => {
    const { admin, a } = await twoCourses();
    return { actor: admin, input: { courseId: a.courseId, userId: await makeUser('organizer') } };
  }),
  unscoped('removeCourseOrganizerAction', ['admin'], async () => {
    const { admin, a } = await twoCourses();
    return { actor: admin, input: { courseId: a.courseId, userId: a.organizer.id } };
  }),

  // 学员 and 讨论小组
  inCourse('enrollMembersAction', async (a) => ({ courseId: a.courseId, userIds: [await makeUser('cadre'), await makeUser('cadre')], groupId: a.groupId })),
  inCourse('setMemberGroupAction', (a) => ({ courseId: a.courseId, userId: a.memberId, groupId: '' })),
  inCourse('removeMemberAction', (a) => ({ courseId: a.courseId, userId: a.memberId })),
  inCourse('createGroupAction', (a) => ({ courseId: a.courseId, name: '第二组', leaderId: a.memberId })),
  inCourse('updateGroupAction', (a) => ({ id: a.groupId, name: '第一小组', leaderId: a.memberId })),
  inCourse('deleteGroupAction', (a) => ({ id: a.groupId })),

  // 学习篇目
  unscoped('createReadingAction', ['organizer', 'admin'], async () => ({
    actor: await signedIn('organizer'),
    input: { title: '《论党的自我革命》', source: '中央文献出版社' },
  })),
  inCourse('updateReadingAction', (a) => ({ id: a.readingId, title: '《甲篇目(修订)》', source: '人民出版社' })),
  unscoped('deleteReadingAction', ['organizer', 'admin'], async () => ({
    actor: await signedIn('organizer'),
    input: { id: await makeReading('《用不上的篇目》') },
  })),

  // 集中学习 and 心得任务
  inCourse('createMeetingAction', (a) => ({
    courseId: a.courseId,
    title: '第二次集中学习',
    startsAt: '2020-05-16T09:00',
    readingIds: [a.readingId],
  })),
  inCourse('updateMeetingAction', (a) => ({ id: a.meetingId, title: '开班式暨第一次集中学习', readingIds: [a.readingId] })),
  inCourse('deleteMeetingAction', (a) => ({ id: a.meetingId })),
  inCourse('createAssignmentAction', (a) => ({
    meetingId: a.meetingId,
    title: '第二次集中学习心得',
    dueAt: '2020-05-23T18:00',
    minChars: '300',
    allowLate: 'on',
    readingIds: [a.readingId],
  })),
  inCourse('updateAssignmentAction', (a) => ({ id: a.assignmentId, title: '开班心得(修订)', dueAt: '2020-05-16T18:00' })),
  inCourse('deleteAssignmentAction', (a) => ({ id: a.assignmentId })),
];
