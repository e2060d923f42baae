'use server';

import { redirect } from 'next/navigation';
import { createUnit, deleteUnit, moveUnit, renameUnit } from '@/db/queries/units';
import { resetUserPassword, setUserActive } from '@/db/queries/users/access';
import { createUser, updateUser, type PasswordIssued } from '@/db/queries/users/write';
import { formAction } from '@/lib/server-action';
import { formatDateTime } from '@/lib/time';

export interface IssuedPassword {
  userId: number;
  username: string;
  password: string;
  /** 2026年3月15日 14:05, already in Asia/Shanghai. */
  expiresAtText: string;
}

// The one-time password goes back to the form once, as `data`, for the admin to pass on.
const issued = (r: PasswordIssued): { data: IssuedPassword } => ({
  data: { userId: r.id, username: r.username, password: r.password, expiresAtText: formatDateTime(r.expiresAt) },
});

const userPages = (_: unknown, r: { id: number }) => ['/admin', `/admin/users/${r.id}`];
const unitPages = ['/admin/units', '/admin'];

// ---------------------------------------------------------------------------------------------
// 账号

export const createUserAction = formAction(createUser, {
  revalidate: ['/admin'],
  message: (r) => `账号 ${r.username} 已创建`,
  success: issued,
});

export const updateUserAction = formAction(updateUser, {
  revalidate: userPages,
  message: (r) => (r.changed ? '修改已保存' : '没有需要保存的修改'),
});

export const resetPasswordAction = formAction(resetUserPassword, {
  revalidate: userPages,
  message: '密码已重置，该账号原有的登录已全部失效',
  success: issued,
});

export const setUserActiveAction = formAction(setUserActive, {
  revalidate: userPages,
  message: (_r, input) => (input.active ? '账号已启用' : '账号已停用，其登录已全部失效'),
});

// ---------------------------------------------------------------------------------------------
// 单位

export const createUnitAction = formAction(createUnit, {
  revalidate: unitPages,
  message: (_r, input) => `已添加单位“${input.name}”`,
});

export const renameUnitAction = formAction(renameUnit, { revalidate: unitPages, message: '名称已保存' });

export const moveUnitAction = formAction(moveUnit, { revalidate: unitPages, message: '单位已移动' });

export const deleteUnitAction = formAction(deleteUnit, {
  revalidate: unitPages,
  message: '单位已删除',
  // The unit's own panel is gone; back to the tree, which says what happened.
  then: () => redirect('/admin/units?deleted=1'),
});
