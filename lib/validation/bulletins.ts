import { z } from 'zod';
import { parseDay } from './courses';
import { checkboxSchema, idSchema, text } from './common';

// Forms and JSON payloads of the 简报 pages. The compose screen sends the whole draft as JSON
// (fields and items in order) with the revision it started from.

/** Text that keeps its paragraphs: line endings normalised, blank runs shortened, trimmed. */
function paragraphs(label: string, max: number) {
  return z
    .string()
    .optional()
    .transform((s) =>
      (s ?? '')
        .replace(/\r\n?/gu, '\n')
        .replace(/\n{3,}/gu, '\n\n')
        .trim(),
    )
    .pipe(z.string().max(max, { error: `${label}最多 ${max} 个字` }));
}

const day = z
  .string({ error: '请选择日期' })
  .transform((s, ctx) => {
    const d = parseDay(s);
    if (!d) {
      ctx.addIssue({ code: 'custom', message: '请选择日期' });
      return z.NEVER;
    }
    return d;
  });

export const bulletinNumberSchema = z.coerce
  .number({ error: '期号须是正整数' })
  .int({ error: '期号须是正整数' })
  .min(1, { error: '期号须是正整数' })
  .max(9999, { error: '期号最大 9999' });

export const bulletinFieldsSchema = z.object({
  number: bulletinNumberSchema,
  title: text('标题', 200),
  /** 印刷标题: the headline under the 报头; absent keeps what is saved, '' derives it. */
  headline: text('印刷标题', 200, { optional: true }).optional(),
  editor: text('编辑', 50, { optional: true }),
  issuedOn: day,
  publisher: text('编印单位', 100, { optional: true }),
  lead: paragraphs('导语', 20000),
  summary: paragraphs('小结', 10000),
  transition: text('过渡语', 200, { optional: true }),
  reportTo: text('报', 300, { optional: true }),
  sendTo: text('送', 300, { optional: true }),
  issueTo: text('发', 300, { optional: true }),
  copies: z.coerce.number({ error: '共印份数须是整数' }).int({ error: '共印份数须是整数' }).min(0).max(100000, { error: '共印份数太大' }),
});

export const bulletinItemInputSchema = z.strictObject({
  /** An item already in the bulletin; absent for one added on this screen. */
  id: z.number().int().positive().optional(),
  reflectionId: z.number().int().positive().nullable().optional(),
  heading: text('发言人标题', 200),
  body: paragraphs('发言内容', 50000).pipe(z.string().min(1, { error: '发言内容不能为空' })),
  /** The organizer took the reflection's current text: record its revision. */
  refreshed: z.boolean().optional(),
});

export const MAX_BULLETIN_ITEMS = 300;

export const saveBulletinSchema = bulletinFieldsSchema.extend({
  id: idSchema,
  expectedRevision: z.number().int().positive(),
  items: z.array(bulletinItemInputSchema).max(MAX_BULLETIN_ITEMS, { error: `一期简报最多 ${MAX_BULLETIN_ITEMS} 条发言` }),
}).strict();

export type SaveBulletinInput = z.output<typeof saveBulletinSchema>;
export type BulletinItemInput = z.output<typeof bulletinItemInputSchema>;

export const courseIdSchema = z.object({ courseId: idSchema });
export const bulletinIdSchema = z.object({ id: idSchema });

/** 规范提法 findings the organizer kept at publishing, each with a reason (audited). */
const keptFinding = z.object({
  item: z.string().max(200),
  found: z.string().max(200),
  standard: z.string().max(200),
  context: z.string().max(400),
  reason: z.string().trim().min(1, { error: '请写明保留理由' }).max(200, { error: '保留理由最多 200 个字' }),
});

export const publishBulletinSchema = z.object({
  id: idSchema,
  expectedRevision: z.coerce.number().int().positive(),
  note: text('更正说明', 200, { optional: true }).optional(),
  wordingKept: z
    .string()
    .max(200_000)
    .optional()
    .transform((s, ctx) => {
      if (!s) return [];
      try {
        return JSON.parse(s) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: '保留的规范提法提示格式有误' });
        return z.NEVER;
      }
    })
    .pipe(z.array(keptFinding).max(500)),
});

export const unpublishBulletinSchema = z.object({
  id: idSchema,
  reason: z
    .string({ error: '请填写撤回原因' })
    .transform((s) => s.trim())
    .pipe(z.string().min(2, { error: '请填写撤回原因（至少 2 个字）' }).max(500, { error: '撤回原因最多 500 个字' })),
});

export const candidateFilterSchema = z.object({
  courseId: idSchema,
  meetingId: idSchema.optional().catch(undefined),
  tagId: idSchema.optional().catch(undefined),
  excellent: z.boolean().optional(),
  q: z.string().trim().max(50).optional(),
});

export type CandidateFilter = z.output<typeof candidateFilterSchema>;

export const exportQuerySchema = z.object({
  format: z.enum(['docx', 'txt', 'html']).catch('docx'),
  revision: z.coerce.number().int().positive().optional().catch(undefined),
});

export const importTextSchema = z.object({
  courseId: idSchema,
  text: z.string().max(400_000, { error: '文字太多，请只粘贴一期简报' }),
});

export const importItemSchema = z.strictObject({
  heading: text('发言人标题', 200),
  authorName: text('姓名', 20, { optional: true }),
  authorTitle: text('职务', 200, { optional: true }),
  body: paragraphs('发言内容', 50000),
  /** A course member chosen for the item; null leaves it unmatched; 'new' creates a 学员. */
  match: z.union([z.number().int().positive(), z.literal('new'), z.null()]),
});

export const commitImportSchema = bulletinFieldsSchema.extend({
  courseId: idSchema,
  items: z.array(importItemSchema).max(MAX_BULLETIN_ITEMS),
  importReflections: z.boolean(),
  assignmentId: z.number().int().positive().nullable(),
}).strict();

export type CommitImportInput = z.output<typeof commitImportSchema>;

export { checkboxSchema };
