import { z } from 'zod';
import { idSchema, text } from './common';

// '' from a form's 无 option; null when a query re-checks input that was already parsed.
const parentSchema = z
  .union([z.literal(''), z.null(), idSchema])
  .optional()
  .transform((v) => (v === '' || v === undefined ? null : v));

export const createUnitSchema = z.strictObject({
  name: text('单位名称', 60).refine((s) => !s.includes('/'), { error: '单位名称不能含 /' }),
  parentId: parentSchema,
});

export const renameUnitSchema = z.strictObject({
  id: idSchema,
  name: text('单位名称', 60).refine((s) => !s.includes('/'), { error: '单位名称不能含 /' }),
});

export const moveUnitSchema = z.strictObject({ id: idSchema, parentId: parentSchema });
export const deleteUnitSchema = z.strictObject({ id: idSchema });
