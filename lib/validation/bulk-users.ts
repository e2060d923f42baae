import { z } from 'zod';
import { idSchema } from './common';
import { roleSchema } from './users';

// The bulk actions on the account list. Ticked boxes arrive as one value or several.

/** One page of the list is 25; a little room for lists that grow. */
export const BULK_MAX = 500;

const idsSchema = z
  .union([idSchema, z.array(idSchema)], { error: '请先勾选要操作的账号' })
  .transform((v) => [...new Set(Array.isArray(v) ? v : [v])])
  .pipe(
    z
      .array(z.number())
      .min(1, { error: '请先勾选要操作的账号' })
      .max(BULK_MAX, { error: `一次最多操作 ${BULK_MAX} 个账号` }),
  );

/** 'none' moves people out of every unit; '' is a select left at 请选择. */
const unitTargetSchema = z
  .union([z.literal('none'), z.null(), idSchema], { error: '请选择目标单位' })
  .transform((v) => (v === 'none' ? null : v));

export const bulkDeactivateSchema = z.strictObject({ ids: idsSchema });
export const bulkMoveSchema = z.strictObject({ ids: idsSchema, unitId: unitTargetSchema });
export const bulkRoleSchema = z.strictObject({ ids: idsSchema, role: roleSchema });

export const bulkActionSchema = z.discriminatedUnion('op', [
  bulkDeactivateSchema.extend({ op: z.literal('deactivate') }),
  bulkMoveSchema.extend({ op: z.literal('move') }),
  bulkRoleSchema.extend({ op: z.literal('role') }),
], { error: '请选择批量操作' });
