import { z } from 'zod';
import { shanghaiParts } from '@/lib/time';
import { checkboxSchema, idSchema, text } from './common';

// Forms of the organizer's 读书班 pages. Everything arrives as strings; dates and times are
// typed in Asia/Shanghai and stored as UTC instants (times) or yyyy-mm-dd days (course dates).

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const YEAR_MIN = 1990;
const YEAR_MAX = 2100;

function validCalendarDay(y: number, m: number, d: number): boolean {
  if (y < YEAR_MIN || y > YEAR_MAX || m < 1 || m > 12 || d < 1) return false;
  const probe = new Date(Date.UTC(y, m - 1, d));
  return probe.getUTCFullYear() === y && probe.getUTCMonth() === m - 1 && probe.getUTCDate() === d;
}

/** A yyyy-mm-dd day that exists in the calendar, or null. */
export function parseDay(s: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/u.exec(s.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return validCalendarDay(y, mo, d) ? `${m[1]}-${m[2]}-${m[3]}` : null;
}

/**
 * The value of an <input type="datetime-local"> read as a wall-clock time in Asia/Shanghai:
 * '2020-05-09T09:00' is 09:00 in Shanghai, 01:00Z. Null when it is not a real time.
 */
export function parseShanghaiDateTime(s: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?$/u.exec(s.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, sec] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (!validCalendarDay(y, mo, d) || h > 23 || mi > 59 || sec > 59) return null;
  return new Date(Date.UTC(y, mo - 1, d, h, mi, sec) - SHANGHAI_OFFSET_MS);
}

/** An instant as the value of an <input type="datetime-local">, in Asia/Shanghai: 2020-05-09T09:00. */
export function toDateTimeLocal(d: Date | null | undefined): string {
  if (!d) return '';
  const p = shanghaiParts(d);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${two(p.month)}-${two(p.day)}T${two(p.hour)}:${two(p.minute)}`;
}

/** Text that keeps its line breaks (简介, 说明, 写作要求): trimmed, runs of blank lines shortened. */
export function longText(label: string, max: number) {
  return z
    .string({ error: `请填写${label}` })
    .optional()
    .transform((s) =>
      (s ?? '')
        .replace(/\r\n?/gu, '\n')
        .replace(/[ \t\u3000]+$/gmu, '')
        .replace(/\n{3,}/gu, '\n\n')
        .trim(),
    )
    .pipe(z.string().max(max, { error: `${label}最多 ${max} 个字` }));
}

function optionalText(label: string, max: number) {
  return z
    .string()
    .optional()
    .transform((s) => s ?? '')
    .pipe(text(label, max, { optional: true }));
}

/** An optional yyyy-mm-dd; empty means not set. */
function dayField(label: string) {
  return z
    .string()
    .optional()
    .transform((s, ctx) => {
      const v = (s ?? '').trim();
      if (!v) return null;
      const day = parseDay(v);
      if (!day) {
        ctx.addIssue({ code: 'custom', message: `${label}不是有效的日期` });
        return z.NEVER;
      }
      return day;
    });
}

function dateTimeValue(label: string, raw: string | undefined, ctx: z.RefinementCtx): Date | null | typeof z.NEVER {
  const v = (raw ?? '').trim();
  if (!v) return null;
  const d = parseShanghaiDateTime(v);
  if (!d) {
    ctx.addIssue({ code: 'custom', message: `${label}不是有效的日期和时间` });
    return z.NEVER;
  }
  return d;
}

/** An optional datetime-local value in Asia/Shanghai; empty is null. */
function optionalDateTime(label: string) {
  return z
    .string()
    .optional()
    .transform((s, ctx): Date | null => dateTimeValue(label, s, ctx));
}

/** A required datetime-local value in Asia/Shanghai. */
function requiredDateTime(label: string) {
  return z
    .string()
    .optional()
    .transform((s, ctx): Date => {
      const d = dateTimeValue(label, s, ctx);
      if (d === null) {
        ctx.addIssue({ code: 'custom', message: `请填写${label}` });
        return z.NEVER;
      }
      return d;
    });
}

/** 最少字数 / 最多字数: empty or 0 means 不限. */
function charLimitField(label: string) {
  return z
    .string()
    .optional()
    .transform((s, ctx) => {
      const v = (s ?? '').trim();
      if (!v) return 0;
      if (!/^\d{1,6}$/u.test(v)) {
        ctx.addIssue({ code: 'custom', message: `${label}应为 0 到 100000 之间的整数` });
        return z.NEVER;
      }
      const n = Number(v);
      if (n > 100000) {
        ctx.addIssue({ code: 'custom', message: `${label}应为 0 到 100000 之间的整数` });
        return z.NEVER;
      }
      return n;
    });
}

/** Optional id from a select: '' means none. */
const optionalIdSchema = z
  .union([z.literal(''), idSchema])
  .optional()
  .transform((v) => (v === '' || v === undefined ? null : v));

/** Checked boxes: one value or several, deduplicated. */
function idListSchema(max: number, label: string) {
  return z
    .union([idSchema, z.array(idSchema)])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
    .pipe(z.array(z.number()).max(max, { error: `一次最多选择 ${max} 个${label}` }))
    .transform((v) => [...new Set(v)]);
}

export const readingIdsSchema = idListSchema(50, '篇目');

// ---------------------------------------------------------------------------------------------
// Cross-field rules of the schemas. Every change goes through the mutation kernel, which parses
// with these schemas, so no caller can store a course that ends before it starts or a cut-off
// before the deadline.

export type RuleErrors = Record<string, string[]>;

export const COURSE_END_BEFORE_START = '结束日期不能早于开始日期';
export const CUTOFF_BEFORE_DUE = '停止提交时间不能早于截止时间';
export const MIN_OVER_MAX = '最多字数不能少于最少字数';

// 名称 and 任务名称 are required by their text fields already; checking them here too would
// show the same message twice.
export function courseRuleErrors(v: { startsOn: string | null; endsOn: string | null }): RuleErrors | null {
  const out: RuleErrors = {};
  if (v.startsOn && v.endsOn && v.endsOn < v.startsOn) out.endsOn = [COURSE_END_BEFORE_START];
  return Object.keys(out).length ? out : null;
}

export function assignmentRuleErrors(v: {
  dueAt: Date;
  cutoffAt: Date | null;
  minChars: number;
  maxChars: number;
}): RuleErrors | null {
  const out: RuleErrors = {};
  if (Number.isNaN(v.dueAt.getTime())) out.dueAt = ['截止时间不是有效的日期和时间'];
  if (v.cutoffAt && v.cutoffAt.getTime() < v.dueAt.getTime()) out.cutoffAt = [CUTOFF_BEFORE_DUE];
  if (v.minChars < 0 || v.maxChars < 0) out.minChars = ['字数不能为负数'];
  if (v.maxChars > 0 && v.minChars > v.maxChars) out.maxChars = [MIN_OVER_MAX];
  return Object.keys(out).length ? out : null;
}

function addRuleIssues(errors: RuleErrors | null, ctx: z.RefinementCtx): void {
  if (!errors) return;
  for (const [path, messages] of Object.entries(errors)) {
    for (const message of messages) ctx.addIssue({ code: 'custom', path: [path], message });
  }
}

// ---------------------------------------------------------------------------------------------
// 读书班

const courseShape = {
  name: text('名称', 100),
  columnName: optionalText('栏目', 30),
  publisher: optionalText('编印单位', 100),
  startsOn: dayField('开始日期'),
  endsOn: dayField('结束日期'),
  description: longText('简介', 2000),
};

export const createCourseSchema = z.strictObject(courseShape).superRefine((v, ctx) => addRuleIssues(courseRuleErrors(v), ctx));
export const updateCourseSchema = z
  .strictObject({ id: idSchema, ...courseShape })
  .superRefine((v, ctx) => addRuleIssues(courseRuleErrors(v), ctx));
export type CourseInput = z.output<typeof createCourseSchema>;
export type CourseUpdate = z.output<typeof updateCourseSchema>;

export const courseIdSchema = z.strictObject({ id: idSchema });

/** 归档 / 取消归档: the button says which, so a missing value is an error, not a silent change. */
export const setCourseArchivedSchema = z.strictObject({
  id: idSchema,
  archived: z.enum(['true', 'false'], { error: '请选择归档或取消归档' }).transform((v) => v === 'true'),
});

export const COURSE_STATUSES = ['active', 'archived', 'all'] as const;
export type CourseStatus = (typeof COURSE_STATUSES)[number];

export const listCoursesSchema = z.object({
  q: z.string().trim().max(50).optional().catch(undefined),
  status: z.enum(COURSE_STATUSES).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100000).catch(1),
});

export const courseUserSchema = z.strictObject({ courseId: idSchema, userId: idSchema });

// ---------------------------------------------------------------------------------------------
// 学习篇目

const readingShape = {
  title: text('篇名', 200),
  source: optionalText('出处', 200),
  chapters: optionalText('章节', 500),
  notes: longText('备注', 2000),
};

export const createReadingSchema = z.strictObject(readingShape);
export const updateReadingSchema = z.strictObject({ id: idSchema, ...readingShape });
export type ReadingInput = z.output<typeof createReadingSchema>;
export type ReadingUpdate = z.output<typeof updateReadingSchema>;
export const readingIdSchema = z.strictObject({ id: idSchema });

export const listSearchSchema = z.object({
  q: z.string().trim().max(50).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100000).catch(1),
});

// ---------------------------------------------------------------------------------------------
// 集中学习

const meetingShape = {
  title: text('标题', 100),
  startsAt: optionalDateTime('时间'),
  place: optionalText('地点', 100),
  presider: optionalText('主持人', 100),
  speech: optionalText('讲话', 200),
  description: longText('说明', 5000),
  readingIds: readingIdsSchema,
};

export const createMeetingSchema = z.strictObject({ courseId: idSchema, ...meetingShape });
export const updateMeetingSchema = z.strictObject({ id: idSchema, ...meetingShape });
export type MeetingInput = z.output<typeof createMeetingSchema>;
export type MeetingUpdate = z.output<typeof updateMeetingSchema>;
export const meetingIdSchema = z.strictObject({ id: idSchema });

// ---------------------------------------------------------------------------------------------
// 心得任务

const assignmentShape = {
  title: text('任务名称', 100),
  prompt: longText('写作要求', 5000),
  dueAt: requiredDateTime('截止时间'),
  cutoffAt: optionalDateTime('停止提交时间'),
  minChars: charLimitField('最少字数'),
  maxChars: charLimitField('最多字数'),
  allowLate: checkboxSchema,
  readingIds: readingIdsSchema,
};

export const createAssignmentSchema = z
  .strictObject({ meetingId: idSchema, ...assignmentShape })
  .superRefine((v, ctx) => addRuleIssues(assignmentRuleErrors(v), ctx));
export const updateAssignmentSchema = z
  .strictObject({ id: idSchema, ...assignmentShape })
  .superRefine((v, ctx) => addRuleIssues(assignmentRuleErrors(v), ctx));
export type AssignmentInput = z.output<typeof createAssignmentSchema>;
export type AssignmentUpdate = z.output<typeof updateAssignmentSchema>;
export const assignmentIdSchema = z.strictObject({ id: idSchema });

// ---------------------------------------------------------------------------------------------
// 学员 and 讨论小组

export const ENROLL_MAX = 200;

export const enrollSchema = z.strictObject({
  courseId: idSchema,
  userIds: idListSchema(ENROLL_MAX, '学员').pipe(z.array(z.number()).min(1, { error: '请勾选要加入的学员' })),
  groupId: optionalIdSchema,
});
export type EnrollInput = z.output<typeof enrollSchema>;

export const setMemberGroupSchema = z.strictObject({
  courseId: idSchema,
  userId: idSchema,
  groupId: optionalIdSchema,
});

export const listMembersSchema = z.object({
  q: z.string().trim().max(50).optional().catch(undefined),
  groupId: z.union([z.literal('none'), idSchema]).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100000).catch(1),
});

const groupShape = {
  name: text('小组名称', 40),
  leaderId: optionalIdSchema,
};

export const createGroupSchema = z.strictObject({ courseId: idSchema, ...groupShape });
export const updateGroupSchema = z.strictObject({ id: idSchema, ...groupShape });
export type GroupInput = z.output<typeof createGroupSchema>;
export type GroupUpdate = z.output<typeof updateGroupSchema>;
export const groupIdSchema = z.strictObject({ id: idSchema });

/** A search box: trimmed, at most 50 characters, empty is none. */
export const searchTermSchema = z
  .string()
  .optional()
  .transform((s) => (s ?? '').replace(/\s+/gu, ' ').trim().slice(0, 50))
  .catch('');

// 篇目原文: pasted or read from a file, split into 章/节 on save (lib/readings/split.ts).
export const setReadingTextSchema = z.strictObject({
  id: idSchema,
  source: optionalText('出处', 200),
  text: z
    .string({ error: '请填写原文' })
    .max(400_000, { error: '原文不能超过 40 万字' })
    .transform((s) => s.replace(/\r\n?/gu, '\n').trim()),
});

export const searchReadingTextsSchema = z.object({
  q: z
    .string()
    .trim()
    .max(50)
    .optional()
    .transform((s) => s || undefined)
    .catch(undefined),
});
