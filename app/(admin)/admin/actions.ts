'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { createUnit, deleteUnit, moveUnit, renameUnit } from '@/db/queries/units';
import { createUser, resetUserPassword, setUserActive, updateUser } from '@/db/queries/users';
import { echoFields, formFields, invalid, type ActionResult } from '@/lib/action-result';
import { formatDateTime } from '@/lib/time';
import { requireRole } from '@/lib/auth/viewer';
import { requestInfo } from '@/lib/request';
import { createUnitSchema, deleteUnitSchema, moveUnitSchema, renameUnitSchema } from '@/lib/validation/units';
import { createUserSchema, setUserActiveSchema, updateUserSchema, userIdSchema } from '@/lib/validation/users';

/** What the form sent, so that a refused form shows it again (never a password: these forms have none). */
export type FormValues = Record<string, string>;

export type AdminFormState = ActionResult & { values?: FormValues };

export interface IssuedPassword {
  userId: number;
  username: string;
  password: string;
  /** 2026年3月15日 14:05, already in Asia/Shanghai. */
  expiresAtText: string;
}

export type PasswordFormState = ActionResult<IssuedPassword> & { values?: FormValues };

/** The form's fields as strings (React's own $ACTION fields dropped), for the strict schemas. */
const fieldsOf = (form: FormData): FormValues => echoFields(formFields(form));

function withValues<T extends ActionResult<unknown>>(result: T, values: FormValues): T & { values: FormValues } {
  return { ...result, values };
}

// ---------------------------------------------------------------------------------------------
// 账号

export async function createUserAction(_: PasswordFormState | null, form: FormData): Promise<PasswordFormState> {
  const viewer = await requireRole('admin');
  const values = fieldsOf(form);
  const parsed = createUserSchema.safeParse(values);
  if (!parsed.success) return withValues(invalid(parsed.error), values);
  const result = await createUser(viewer, parsed.data, await requestInfo());
  if (!result.ok) return withValues(result, values);
  revalidatePath('/admin');
  return {
    ok: true,
    message: `账号 ${result.username} 已创建`,
    data: {
      userId: result.id,
      username: result.username,
      password: result.password,
      expiresAtText: formatDateTime(result.expiresAt),
    },
  };
}

export async function updateUserAction(_: AdminFormState | null, form: FormData): Promise<AdminFormState> {
  const viewer = await requireRole('admin');
  const values = fieldsOf(form);
  const parsed = updateUserSchema.safeParse(values);
  if (!parsed.success) return withValues(invalid(parsed.error), values);
  const result = updateUser(viewer, parsed.data, await requestInfo());
  if (!result.ok) return withValues(result, values);
  revalidatePath('/admin');
  revalidatePath(`/admin/users/${result.id}`);
  return { ok: true, message: result.changed ? '修改已保存' : '没有需要保存的修改' };
}

export async function resetPasswordAction(_: PasswordFormState | null, form: FormData): Promise<PasswordFormState> {
  const viewer = await requireRole('admin');
  const parsed = userIdSchema.safeParse(fieldsOf(form));
  if (!parsed.success) return invalid(parsed.error);
  const result = await resetUserPassword(viewer, parsed.data, await requestInfo());
  if (!result.ok) return result;
  revalidatePath('/admin');
  revalidatePath(`/admin/users/${result.id}`);
  return {
    ok: true,
    message: '密码已重置,该账号原有的登录已全部失效',
    data: {
      userId: result.id,
      username: result.username,
      password: result.password,
      expiresAtText: formatDateTime(result.expiresAt),
    },
  };
}

export async function setUserActiveAction(_: AdminFormState | null, form: FormData): Promise<AdminFormState> {
  const viewer = await requireRole('admin');
  const parsed = setUserActiveSchema.safeParse(fieldsOf(form));
  if (!parsed.success) return invalid(parsed.error);
  const result = setUserActive(viewer, parsed.data, await requestInfo());
  if (!result.ok) return result;
  revalidatePath('/admin');
  revalidatePath(`/admin/users/${result.id}`);
  return {
    ok: true,
    message: parsed.data.active ? '账号已启用' : '账号已停用,其登录已全部失效',
  };
}

// ---------------------------------------------------------------------------------------------
// 单位

export async function createUnitAction(_: AdminFormState | null, form: FormData): Promise<AdminFormState> {
  const viewer = await requireRole('admin');
  const values = fieldsOf(form);
  const parsed = createUnitSchema.safeParse(values);
  if (!parsed.success) return withValues(invalid(parsed.error), values);
  const result = createUnit(viewer, parsed.data, await requestInfo());
  if (!result.ok) return withValues(result, values);
  revalidatePath('/admin/units');
  revalidatePath('/admin');
  return { ok: true, message: `已添加单位“${parsed.data.name}”` };
}

export async function renameUnitAction(_: AdminFormState | null, form: FormData): Promise<AdminFormState> {
  const viewer = await requireRole('admin');
  const values = fieldsOf(form);
  const parsed = renameUnitSchema.safeParse(values);
  if (!parsed.success) return withValues(invalid(parsed.error), values);
  const result = renameUnit(viewer, parsed.data, await requestInfo());
  if (!result.ok) return withValues(result, values);
  revalidatePath('/admin/units');
  revalidatePath('/admin');
  return { ok: true, message: '名称已保存' };
}

export async function moveUnitAction(_: AdminFormState | null, form: FormData): Promise<AdminFormState> {
  const viewer = await requireRole('admin');
  const values = fieldsOf(form);
  const parsed = moveUnitSchema.safeParse(values);
  if (!parsed.success) return withValues(invalid(parsed.error), values);
  const result = moveUnit(viewer, parsed.data, await requestInfo());
  if (!result.ok) return withValues(result, values);
  revalidatePath('/admin/units');
  revalidatePath('/admin');
  return { ok: true, message: '单位已移动' };
}

export async function deleteUnitAction(_: AdminFormState | null, form: FormData): Promise<AdminFormState> {
  const viewer = await requireRole('admin');
  const parsed = deleteUnitSchema.safeParse(fieldsOf(form));
  if (!parsed.success) return invalid(parsed.error);
  const result = deleteUnit(viewer, parsed.data, await requestInfo());
  if (!result.ok) return result;
  revalidatePath('/admin/units');
  revalidatePath('/admin');
  // The unit's own panel is gone; back to the tree, which says what happened.
  redirect('/admin/units?deleted=1');
}
