import { z } from 'zod';
import { ROLES } from '@/db/schema';
import { PASSWORD_MAX } from '@/lib/auth/password';
import { idSchema, text } from './common';

export const ROLE_LABELS = { admin: '管理员', organizer: '组织者', cadre: '学员', auditor: '审计员' } as const;

export const usernameSchema = z
  .string({ error: '请填写账号' })
  .trim()
  .toLowerCase()
  .min(2, { error: '账号至少 2 个字符' })
  .max(32, { error: '账号最多 32 个字符' })
  .regex(/^[a-z0-9][a-z0-9._-]*$/u, { error: '账号只能用字母、数字和 . _ -，并以字母或数字开头' });

export const roleSchema = z.enum(ROLES, { error: '请选择角色' });

// '' from a form's 无 option; null when a query re-checks input that was already parsed.
const unitIdSchema = z
  .union([z.literal(''), z.null(), idSchema])
  .optional()
  .transform((v) => (v === '' || v === undefined ? null : v));

export const userFieldsSchema = z.strictObject({
  username: usernameSchema,
  name: text('姓名', 40),
  title: text('职务', 200, { optional: true }),
  unitId: unitIdSchema,
  role: roleSchema,
});

export const createUserSchema = userFieldsSchema;
export const updateUserSchema = userFieldsSchema.extend({ id: idSchema });

export const userIdSchema = z.strictObject({ id: idSchema });

export const listUsersSchema = z.object({
  q: z.string().trim().max(50).optional().catch(undefined),
  role: roleSchema.optional().catch(undefined),
  status: z.enum(['active', 'inactive']).optional().catch(undefined),
  unitId: idSchema.optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100000).catch(1),
});

export const signInSchema = z.strictObject({
  username: z.string().trim().toLowerCase().min(1, { error: '请填写账号' }).max(64, { error: '账号或密码不正确' }),
  password: z.string().min(1, { error: '请填写密码' }).max(PASSWORD_MAX * 4, { error: '账号或密码不正确' }),
  callbackUrl: z.string().max(500).optional(),
});

/** Signing out names nothing: it ends the viewer's own sign-in. Stray fields are ignored, never refused. */
export const signOutSchema = z.object({});

export const changePasswordSchema = z
  .strictObject({
    currentPassword: z.string().min(1, { error: '请填写当前密码' }).max(PASSWORD_MAX * 4),
    newPassword: z.string().min(1, { error: '请填写新密码' }),
    confirmPassword: z.string().min(1, { error: '请再次填写新密码' }),
  })
  .refine((v) => v.newPassword === v.confirmPassword, {
    path: ['confirmPassword'],
    error: '两次填写的新密码不一致',
  })
  .refine((v) => v.newPassword !== v.currentPassword, {
    path: ['newPassword'],
    error: '新密码不能与当前密码相同',
  });

/**
 * The 停用账号 / 启用账号 buttons send active=false / active=true explicitly: a hidden field, so that
 * a missing value is an error rather than a silent 停用. A boolean (already parsed) is accepted too.
 */
export const setUserActiveSchema = z.strictObject({
  id: idSchema,
  active: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')], {
    error: '请选择停用或启用',
  }),
});
