import { z } from 'zod';
import { checkboxSchema, idSchema, pageSchema } from './common';

// The review desk's inputs: the queue's filter (from the URL), decisions, 优秀, internal notes,
// tags, the 评语库 and the tracker. Everything arrives as strings.

export const REVIEW_STATES = ['submitted', 'returned', 'approved', 'all'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];
export const REVIEW_SORTS = ['new', 'old', 'unit'] as const;
export type ReviewSort = (typeof REVIEW_SORTS)[number];

/** An optional id in a URL: anything that is not one is simply no filter. */
const optionalId = idSchema.optional().catch(undefined);
const flag = z
  .string()
  .optional()
  .transform((v) => v === '1' || v === 'on' || v === 'true')
  .catch(false);

/** The queue's filter and sort, as read from the URL (unknown values fall back to the default). */
export const reviewFilterSchema = z.object({
  course: optionalId,
  meeting: optionalId,
  assignment: optionalId,
  unit: optionalId,
  group: optionalId,
  tag: optionalId,
  state: z.enum(REVIEW_STATES).catch('submitted').default('submitted'),
  late: flag,
  excellent: flag,
  // The lists behind the statistics' figures (统计): 按时, 曾退回, 编入简报, and a week of submissions.
  ontime: flag,
  returned: flag,
  inbulletin: flag,
  week: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/u)
    .optional()
    .catch(undefined),
  /** 疑似雷同: 查重 at or above the course's threshold */
  similar: flag,
  sort: z.enum(REVIEW_SORTS).catch('new').default('new'),
  page: pageSchema.default(1),
});
export type ReviewFilter = z.output<typeof reviewFilterSchema>;
export type ReviewFilterInput = Partial<Record<keyof ReviewFilter, unknown>>;

/** The filter as URL parameters (defaults left out), to carry it from the queue to the detail and back. */
export function filterToParams(f: Partial<ReviewFilter>, { withPage = false } = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of ['course', 'meeting', 'assignment', 'unit', 'group', 'tag'] as const) {
    const v = f[k];
    if (v) out[k] = String(v);
  }
  if (f.state && f.state !== 'submitted') out.state = f.state;
  if (f.late) out.late = '1';
  if (f.excellent) out.excellent = '1';
  if (f.ontime) out.ontime = '1';
  if (f.returned) out.returned = '1';
  if (f.inbulletin) out.inbulletin = '1';
  if (f.week) out.week = f.week;
  if (f.similar) out.similar = '1';
  if (f.sort && f.sort !== 'new') out.sort = f.sort;
  if (withPage && f.page && f.page > 1) out.page = String(f.page);
  return out;
}

export function filterQuery(f: Partial<ReviewFilter>, opts?: { withPage?: boolean }): string {
  return new URLSearchParams(filterToParams(f, opts)).toString();
}

const comment = z
  .string()
  .optional()
  .transform((s) => (s ?? '').replace(/\r\n?/gu, '\n').trim())
  .pipe(z.string().max(2000, { error: '评语最多 2000 个字' }));

const note = z
  .string()
  .optional()
  .transform((s) => (s ?? '').replace(/\r\n?/gu, '\n').trim())
  .pipe(z.string().max(2000, { error: '内部备注最多 2000 个字' }));

export const RETURN_NEEDS_COMMENT = '退回修改时请写明评语（至少 2 个字），告诉学员要改什么';

export const decideSchema = z
  .object({
    reflectionId: idSchema,
    expectedRevision: z.coerce.number().int().min(0),
    decision: z.enum(['approve', 'return'], { error: '请选择通过或退回修改' }),
    comment,
    internalNote: note,
    excellent: checkboxSchema,
    // How the desk moves on once the decision is saved (保存 / 保存并下一篇, within the queue's
    // filter as a query string): the decision ignores them, the action's redirect reads them.
    intent: z.enum(['save', 'next']).optional().catch(undefined),
    filter: z.string().max(2000).optional().catch(undefined),
  })
  .superRefine((v, ctx) => {
    if (v.decision === 'return' && v.comment.length < 2) {
      ctx.addIssue({ code: 'custom', path: ['comment'], message: RETURN_NEEDS_COMMENT });
    }
  });
export type DecideInput = z.output<typeof decideSchema>;

export const setExcellentSchema = z.object({
  reflectionId: idSchema,
  expectedRevision: z.coerce.number().int().min(0),
  excellent: checkboxSchema,
});

export const internalNoteSchema = z.object({
  reflectionId: idSchema,
  body: note.pipe(z.string().min(1, { error: '请填写内部备注' })),
});

export const tagNameSchema = z
  .string({ error: '请填写标签名' })
  .transform((s) => s.replace(/\s+/gu, '').trim())
  .pipe(z.string().min(1, { error: '请填写标签名' }).max(20, { error: '标签名最多 20 个字' }));

export const createTagSchema = z.object({ courseId: idSchema, name: tagNameSchema });
export const renameTagSchema = z.object({ tagId: idSchema, name: tagNameSchema });
export const mergeTagsSchema = z
  .object({ fromId: idSchema, intoId: idSchema })
  .refine((v) => v.fromId !== v.intoId, { path: ['intoId'], message: '请选择另一个标签' });
export const tagIdSchema = z.object({ tagId: idSchema });

const idList = z
  .union([idSchema, z.array(idSchema)])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? [...new Set(v)] : [v]))
  .pipe(z.array(z.number()).min(1, { error: '请先勾选心得' }).max(500, { error: '一次最多 500 篇' }));

export const bulkTagSchema = z.object({
  tagId: idSchema,
  reflectionIds: idList,
  op: z.enum(['apply', 'remove']),
});

export const applyTagByNameSchema = z.object({ reflectionId: idSchema, name: tagNameSchema });
export const commentBankAddSchema = z.object({
  body: z
    .string({ error: '请填写评语' })
    .transform((s) => s.replace(/\r\n?/gu, '\n').trim())
    .pipe(z.string().min(2, { error: '评语至少 2 个字' }).max(500, { error: '评语最多 500 个字' })),
  /** Empty: a personal entry; a course id: shared with that course's organizers. */
  courseId: z
    .union([z.literal(''), idSchema])
    .optional()
    .transform((v) => (v === '' || v === undefined ? null : v)),
});
export const commentBankIdSchema = z.object({ id: idSchema });

/** One assignment's 交稿情况 (the tracker, its export and 提醒未交学员). */
export const assignmentRefSchema = z.strictObject({ assignmentId: idSchema });
export const listTrackerSchema = z.object({ page: pageSchema.default(1) });
