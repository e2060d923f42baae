'use server';

import { redirect } from 'next/navigation';
import { createAssignment, deleteAssignment, updateAssignment } from '@/db/queries/assignments';
import {
  addCourseOrganizer,
  createCourse,
  deleteCourse,
  removeCourseOrganizer,
  setCourseArchived,
  updateCourse,
} from '@/db/queries/courses';
import {
  createGroup,
  deleteGroup,
  enrollMembers,
  removeMember,
  setMemberGroup,
  updateGroup,
} from '@/db/queries/enrollment';
import { createMeeting, deleteMeeting, updateMeeting } from '@/db/queries/meetings';
import { createReading, deleteReading, updateReading } from '@/db/queries/readings';
import { formAction } from '@/lib/server-action';

// Every form of the 读书班 pages over the mutation kernel: the queries check the role, parse
// with the strict zod schema and scope by course inside one transaction. The review queue and
// the course list show figures from every course, so each change refreshes them too.

const everywhere = ['/review', '/courses'] as const;
const withCourse = (id: number) => [...everywhere, `/courses/${id}`];
const readingsPage = [...everywhere, '/courses/readings'];

// ---------------------------------------------------------------------------------------------
// 读书班

export const createCourseAction = formAction(createCourse, {
  revalidate: everywhere,
  message: '读书班已创建',
  then: (r) => redirect(`/courses/${r.id}?created=1`),
});

export const updateCourseAction = formAction(updateCourse, {
  revalidate: (_, r) => withCourse(r.id),
  message: '读书班信息已保存',
});

export const setCourseArchivedAction = formAction(setCourseArchived, {
  revalidate: (_, r) => withCourse(r.id),
  message: (_, input) => (input.archived ? '读书班已归档' : '读书班已取消归档'),
});

export const deleteCourseAction = formAction(deleteCourse, {
  revalidate: everywhere,
  message: '读书班已删除',
  then: () => redirect('/courses?deleted=1'),
});

// ---------------------------------------------------------------------------------------------
// 组织者 (admins only)

export const addCourseOrganizerAction = formAction(addCourseOrganizer, {
  revalidate: (_, r) => withCourse(r.id),
  message: '已指派组织者',
});

export const removeCourseOrganizerAction = formAction(removeCourseOrganizer, {
  revalidate: (_, r) => withCourse(r.id),
  message: '已移除组织者',
});

// ---------------------------------------------------------------------------------------------
// 学员 and 讨论小组

export const enrollMembersAction = formAction(enrollMembers, {
  lists: ['userIds'],
  revalidate: (input) => withCourse(input.courseId),
  message: (r) => `已加入 ${r.added} 名学员${r.already ? `，${r.already} 人原已在班中` : ''}`,
});

export const setMemberGroupAction = formAction(setMemberGroup, {
  revalidate: (_, r) => withCourse(r.id),
  message: '小组已调整',
});

export const removeMemberAction = formAction(removeMember, {
  revalidate: (_, r) => withCourse(r.id),
  message: '已移出读书班',
});

export const createGroupAction = formAction(createGroup, {
  revalidate: (input) => withCourse(input.courseId),
  message: (_, input) => `已添加小组：${input.name}`,
});

export const updateGroupAction = formAction(updateGroup, {
  revalidate: everywhere,
  message: '小组已保存',
});

export const deleteGroupAction = formAction(deleteGroup, {
  revalidate: (_, r) => withCourse(r.courseId),
  message: '小组已删除，组员仍在读书班中',
});

// ---------------------------------------------------------------------------------------------
// 学习篇目

export const createReadingAction = formAction(createReading, {
  revalidate: readingsPage,
  message: (_, input) => `已添加篇目：${input.title}`,
});

export const updateReadingAction = formAction(updateReading, {
  revalidate: readingsPage,
  message: '篇目已保存',
});

export const deleteReadingAction = formAction(deleteReading, {
  revalidate: readingsPage,
  message: '篇目已删除',
});

// ---------------------------------------------------------------------------------------------
// 集中学习 and 心得任务

export const createMeetingAction = formAction(createMeeting, {
  lists: ['readingIds'],
  revalidate: (input) => withCourse(input.courseId),
  message: '集中学习已添加',
  then: (r, input) => redirect(`/courses/${input.courseId}/meetings/${r.id}?created=1`),
});

export const updateMeetingAction = formAction(updateMeeting, {
  lists: ['readingIds'],
  revalidate: everywhere,
  message: '集中学习已保存',
});

export const deleteMeetingAction = formAction(deleteMeeting, {
  revalidate: (_, r) => withCourse(r.courseId),
  message: '集中学习已删除',
  then: (r) => redirect(`/courses/${r.courseId}?tab=meetings&meetingDeleted=1`),
});

export const createAssignmentAction = formAction(createAssignment, {
  lists: ['readingIds'],
  revalidate: everywhere,
  message: (_, input) => `已布置心得任务：${input.title}`,
});

export const updateAssignmentAction = formAction(updateAssignment, {
  lists: ['readingIds'],
  revalidate: everywhere,
  message: '心得任务已保存',
});

export const deleteAssignmentAction = formAction(deleteAssignment, {
  revalidate: (_, r) => [...everywhere, `/courses/${r.courseId}/meetings/${r.meetingId}`],
  message: '心得任务已删除',
});
