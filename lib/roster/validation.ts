import { z } from 'zod';
import '@/lib/validation/common';
import { listUsersSchema } from '@/lib/validation/users';

// What the roster route handlers accept. Everything from the browser is parsed here first.

const storeId = z.string({ error: '请求格式不正确' }).regex(/^[A-Za-z0-9_-]{32}$/u, { error: '请求格式不正确' });

export const previewQuerySchema = z.object({
  name: z
    .string({ error: '缺少文件名' })
    .trim()
    .min(1, { error: '缺少文件名' })
    .max(255, { error: '文件名太长' }),
  allowCreateUnits: z
    .enum(['0', '1', 'true', 'false', 'on'], { error: '请求格式不正确' })
    .optional()
    .transform((v) => v === '1' || v === 'true' || v === 'on'),
});

export const importRefSchema = z.strictObject({ importId: storeId });

/** 栏目 and 编印单位 of a 读书班 the import creates, asked once in the preview (the file's own as default). */
const newCourseDetails = z.strictObject({
  name: z.string({ error: '请求格式不正确' }).trim().min(1, { error: '请求格式不正确' }).max(100, { error: '读书班名称最多 100 个字' }),
  columnName: z.string({ error: '请求格式不正确' }).trim().max(30, { error: '栏目最多 30 个字' }).default(''),
  publisher: z.string({ error: '请求格式不正确' }).trim().max(100, { error: '编印单位最多 100 个字' }).default(''),
});

export const commitSchema = z.strictObject({
  importId: storeId,
  digest: z.string({ error: '请求格式不正确' }).regex(/^[0-9a-f]{64}$/u, { error: '请求格式不正确' }),
  courses: z.array(newCourseDetails).max(50, { error: '请求格式不正确' }).optional(),
});

export const passwordTokenSchema = storeId;

export const exportFormatSchema = z
  .enum(['xlsx', 'csv'], { error: '导出格式只能是 xlsx 或 csv' })
  .optional()
  .transform((v) => v ?? 'xlsx');

/** 导出花名册: the account list's filter (every page), and the file format. */
export const rosterExportSchema = listUsersSchema.omit({ page: true }).extend({ format: exportFormatSchema });
