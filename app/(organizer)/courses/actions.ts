'use server';

import { revalidatePath } from 'next/cache';
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
import { echoFields, formFields, invalid, withValues, type ActionResult } from '@/lib/action-result';
import { requireRole } from '@/lib/auth/viewer';
import { requestInfo } from '@/lib/request';
import {
  assignmentIdSchema,
  courseIdSchema,
  courseUserSchema,
  createAssignmentSchema,
  createCourseSchema,
  createGroupSchema,
  createMeetingSchema,
  createReadingSchema,
  enrollSchema,
  groupIdSchema,
  meetingIdSchema,
  readingIdSchema,
  setCourseArchivedSchema,
  setMemberGroupSchema,
  updateAssignmentSchema,
  updateCourseSchema,
  updateGroupSchema,
  updateMeetingSchema,
  updateReadingSchema,
} from '@/lib/validation/courses';

// Every action: who (requireRole) → what (strict zod) → one transaction in db/queries (which
// authorizes again and scopes by course) → revalidate → a message. A refused form gets back what
// was typed, so nothing is lost when React resets it.

/** Fields that may carry several values (checkboxes). */
const LIST_FIELDS = ['readingIds', 'userIds'];
const fieldsOf = (form: FormData) => formFields(form, LIST_FIELDS);
const echo = echoFields;



function refresh(...paths: string[]): void {
  revalidatePath('/review');
  revalidatePath('/courses');
  for (const p of paths) revalidatePath(p);
}

// ---------------------------------------------------------------------------------------------
// 读书班

export async function createCourseAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  const viewer = await requireRole('organizer', 'admin');
  const fields = fieldsOf(form);
  const parsed = createCourseSchema.safeParse(fields);
  if (!parsed.success) return withValues(invalid(parsed.error), echo(fields));
  const result = createCourse(viewer, parsed.data, await requestInfo());
  if (!result.ok) return withValues(result, echo(fields));
  refresh();
  redirect(`/courses/${result.id}?created=1`);
}

export async function updateCourseAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  const viewer = await requireRole('organizer', 'admin');
  const fields = fieldsOf(form);
  const parsed = updateCourseSchema.safeParse(fields);
  if (!parsed.success) return withValues(invalid(parsed.error), echo(fields));
  const result = updateCourse(viewer, parsed.data, await requestInfo());
  if (!result.ok) return withValues(result, echo(fields));
  refresh(`/courses/${result.id}`);
  return { ok: true, message: '读书班信息已保存' };
}

export async function setCourseArchivedAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  const viewer = await requireRole('organizer', 'admin');
  const parsed = setCourseArchivedSchema.safeParse(fieldsOf(form));
  if (!parsed.success) return invalid(parsed.error);
  const result = setCourseArchived(viewer, parsed.data, await requestInfo());
  if (!result.ok) return result;
  refresh(`/courses/${result.id}`);
  return { ok: true, message: parsed.data.archived ? '读书班已归档' : '读书班已取消归档' };
}

export async function deleteCourseAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  const viewer = await requireRole('organizer', 'admin');
  const parsed = courseIdSchema.safeParse(fieldsOf(form));
  if (!parsed.success) return invalid(parsed.error);
  const result = deleteCourse(viewer, parsed.data, await requestInfo());
  if (!result.ok) return result;
  refresh();
  redirect('/courses?deleted=1');
}

// ---------------------------------------------------------------------------------------------
// 组织者 (admins only)

export async function addCourseOrganizerAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  const viewer = await requireRole('admin');
  const parsed = courseUserSchema.safeParse(fieldsOf(form));
  if (!parsed.success) return invalid(parsed.error);
  const result = addCourseOrganizer(viewer, parsed.data, await requestInfo());
  if (!result.ok) return result;
  refresh(`/courses/${result.id}`);
  return { ok: true, message: '已指派组织者' };
}

export async function removeCourseOrganizerAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  const viewer = await requireRole('admin');
  const parsed = courseUserSchema.safeParse(fieldsOf(form));
  if (!parsed.success) return invalid(parsed.error);
  const result = removeCourseOrganizer(viewer, parsed.data, await requestInfo());
  if (!result.ok) return result;
  refresh(`/courses/${result.id}`);
  return { ok: true, message: '已移除组织者' };
}

// ---------------------------------------------------------------------------------------------
// 学员 and 讨论小组

export async function enrollMembersAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  const viewer = await requireRole('organizer', 'admin');
  const fields = fieldsOf(form);
  const parsed = enrollSchema.safeParse(fields);
  if (!parsed.success) return withValues(invalid(parsed.error), echo(fields));
  const result = enrollMembers(viewer, parsed.data, await requestInfo());
  if (!result.ok) return withValues(result, echo(fields));
  refresh(`/courses/${parsed.data.courseId}`);
  const already = result.already ? `,${result.already} 人原已在班中` : '';
  return { ok: true, message: `已加入 ${result.added} 名学员${already}` };
}

export async function setMemberGroupAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  const viewer = await requireRole('organizer', 'admin');
  const fields = fieldsOf(form);
  const parsed = setMemberGroupSchema.safeParse(fields);
  if (!parsed.success) return withValues(invalid(parsed.error), echo(fields));
  const result = setMemberGroup(viewer, parsed.data, await requestInfo());
  if (!result.ok) return withValues(result, echo(fields));
  refresh(`/courses/${result.id}`);
  return { ok: true, message: '小组已调整' };
}

export async function removeMemberAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  const viewer = await requireRole('organizer', 'admin');
  const parsed = courseUserSchema.safeParse(fieldsOf(form));
  if (!parsed.success) return invalid(parsed.error);
  const result = removeMember(viewer, parsed.data, await requestInfo());
  if (!result.ok) return result;
  refresh(`/courses/${result.id}`);
  return { ok: true, message: '已移出读书班' };
}

export async function createGroupAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  const viewer = await requireRole('organizer', 'admin');
  const fields = fieldsOf(form);
  const parsed = createGroupSchema.safeParse(fields);
  if (!parsed.success) return withValues(invalid(parsed.error), echo(fields));
  const result = createGroup(viewer, parsed.data, await requestInfo());
  if (!result.ok) return withValues(result, echo(fields));
  refresh(`/courses/${parsed.data.courseId}`);
  return { ok: true, message: `已添加小组:${parsed.data.name}` };
}

export async function updateGroupAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  const viewer = await requireRole('organizer', 'admin');
  const fields = fieldsOf(form);
  const parsed = updateGroupSchema.safeParse(fields);
  if (!parsed.success) return withValues(invalid(parsed.error), echo(fields));
  const result = updateGroup(viewer, parsed.data, await requestInfo());
  if (!result.ok) return withValues(result, echo(fields));
  refresh();
  return { ok: true, message: '小组已保存' };
}

export async function deleteGroupAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  const viewer = await requireRole('organizer', 'admin');
  const parsed = groupIdSchema.safeParse(fieldsOf(form));
  if (!parsed.success) return invalid(parsed.error);
  const result = deleteGroup(viewer, parsed.data, await requestInfo());
  if (!result.ok) return result;
  refresh(`/courses/${result.courseId}`);
  return { ok: true, message: '小组已删除,组员仍在读书班中' };
}

// ---------------------------------------------------------------------------------------------
// 学习篇目

export async function createReadingAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  const viewer = await requireRole('organizer', 'admin');
  const fields = fieldsOf(form);
  const parsed = createReadingSchema.safeParse(fields);
  if (!parsed.success) return withValues(invalid(parsed.error), echo(fields));
  const result = createReading(viewer, parsed.data, await requestInfo());
  if (!result.ok) return withValues(result, echo(fields));
  refresh('/courses/readings');
  return { ok: true, message: `已添加篇目:${parsed.data.title}` };
}

export async function updateReadingAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  const viewer = await requireRole('organizer', 'admin');
  const fields = fieldsOf(form);
  const parsed = updateReadingSchema.safeParse(fields);
  if (!parsed.success) return withValues(invalid(parsed.error), echo(fields));
  const result = updateReading(viewer, parsed.data, await requestInfo());
  if (!result.ok) return withValues(result, echo(fields));
  refresh('/courses/readings');
  return { ok: true, message: '篇目已保存' };
}

export async function deleteReadingAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  const viewer = await requireRole('organizer', 'admin');
  const parsed = readingIdSchema.safeParse(fieldsOf(form));
  if (!parsed.success) return invalid(parsed.error);
  const result = deleteReading(viewer, parsed.data, await requestInfo());
  if (!result.ok) return result;
  refresh('/courses/readings');
  return { ok: true, message: '篇目已删除' };
}

// ---------------------------------------------------------------------------------------------
// 集中学习 and 心得任务

export async function createMeetingAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  const viewer = await requireRole('organizer', 'admin');
  const fields = fieldsOf(form);
  const parsed = createMeetingSchema.safeParse(fields);
  if (!parsed.success) return withValues(invalid(parsed.error), echo(fields));
  const result = createMeeting(viewer, parsed.data, await requestInfo());
  if (!result.ok) return withValues(result, echo(fields));
  refresh(`/courses/${parsed.data.courseId}`);
  redirect(`/courses/${parsed.data.courseId}/meetings/${result.id}?created=1`);
}

export async function updateMeetingAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  const viewer = await requireRole('organizer', 'admin');
  const fields = fieldsOf(form);
  const parsed = updateMeetingSchema.safeParse(fields);
  if (!parsed.success) return withValues(invalid(parsed.error), echo(fields));
  const result = updateMeeting(viewer, parsed.data, await requestInfo());
  if (!result.ok) return withValues(result, echo(fields));
  refresh();
  return { ok: true, message: '集中学习已保存' };
}

export async function deleteMeetingAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  const viewer = await requireRole('organizer', 'admin');
  const parsed = meetingIdSchema.safeParse(fieldsOf(form));
  if (!parsed.success) return invalid(parsed.error);
  const result = deleteMeeting(viewer, parsed.data, await requestInfo());
  if (!result.ok) return result;
  refresh(`/courses/${result.courseId}`);
  redirect(`/courses/${result.courseId}?tab=meetings&meetingDeleted=1`);
}

export async function createAssignmentAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  const viewer = await requireRole('organizer', 'admin');
  const fields = fieldsOf(form);
  const parsed = createAssignmentSchema.safeParse(fields);
  if (!parsed.success) return withValues(invalid(parsed.error), echo(fields));
  const result = createAssignment(viewer, parsed.data, await requestInfo());
  if (!result.ok) return withValues(result, echo(fields));
  refresh();
  return { ok: true, message: `已布置心得任务:${parsed.data.title}` };
}

export async function updateAssignmentAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  const viewer = await requireRole('organizer', 'admin');
  const fields = fieldsOf(form);
  const parsed = updateAssignmentSchema.safeParse(fields);
  if (!parsed.success) return withValues(invalid(parsed.error), echo(fields));
  const result = updateAssignment(viewer, parsed.data, await requestInfo());
  if (!result.ok) return withValues(result, echo(fields));
  refresh();
  return { ok: true, message: '心得任务已保存' };
}

export async function deleteAssignmentAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  const viewer = await requireRole('organizer', 'admin');
  const parsed = assignmentIdSchema.safeParse(fieldsOf(form));
  if (!parsed.success) return invalid(parsed.error);
  const result = deleteAssignment(viewer, parsed.data, await requestInfo());
  if (!result.ok) return result;
  refresh(`/courses/${result.courseId}/meetings/${result.meetingId}`);
  return { ok: true, message: '心得任务已删除' };
}
