import { z } from 'zod';
import { MAX_BODY_CHARS, MAX_TITLE_CHARS, normalizeBody } from '@/lib/reflection/limits';
import { idSchema, pageSchema } from './common';

// What the editor sends. Drafts keep the text exactly as typed (only line breaks normalised),
// so that the browser's copy and the server's compare equal; submission trims.

const titleSchema = z
  .string({ error: '标题无效' })
  .max(MAX_TITLE_CHARS, { error: `标题最多 ${MAX_TITLE_CHARS} 个字` });

const bodySchema = z
  .string({ error: '正文无效' })
  .transform(normalizeBody)
  .pipe(z.string().max(MAX_BODY_CHARS, { error: `正文过长，最多 ${MAX_BODY_CHARS} 个字符` }));

const readingIdsSchema = z.array(idSchema, { error: '学习篇目无效' }).max(200, { error: '学习篇目过多' }).default([]);

const revisionSchema = z.coerce
  .number({ error: '版本号无效' })
  .int({ error: '版本号无效' })
  .min(0, { error: '版本号无效' })
  .max(Number.MAX_SAFE_INTEGER, { error: '版本号无效' });

export const saveDraftSchema = z.strictObject({
  assignmentId: idSchema,
  title: titleSchema,
  body: bodySchema,
  readingIds: readingIdsSchema,
  /** The revision the text was started from; 0 when the editor began with nothing on the server. */
  baseRevision: revisionSchema,
});

export type SaveDraftInput = z.infer<typeof saveDraftSchema>;

export const submitReflectionSchema = saveDraftSchema.extend({
  /** Optional: an empty title becomes the assignment's name when the reflection is handed in. */
  title: titleSchema.default(''),
  /** Made by the client once per submit intent and reused on every retry of it. */
  submitKey: z.uuid({ error: '提交标识无效，请刷新页面后重试' }),
  declaration: z.boolean({ error: '请勾选承诺' }),
});

export type SubmitReflectionInput = z.infer<typeof submitReflectionSchema>;

/** 撤回: the author takes back a submitted reflection no one has decided on yet. */
export const withdrawReflectionSchema = z.object({ assignmentId: idSchema });

export type WithdrawReflectionInput = z.infer<typeof withdrawReflectionSchema>;

export const myAssignmentsQuerySchema = z.object({ page: pageSchema });

export const assignmentParamsSchema = z.object({ assignmentId: idSchema });

export const versionParamsSchema = z.object({
  assignmentId: idSchema,
  version: z.coerce.number().int().min(1).max(100000),
});
