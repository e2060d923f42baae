import { z } from 'zod';
import { patternProblem } from './engine';
import { RULE_CATEGORIES, RULE_KINDS, type WordingRule } from './rules';

// A wording rule as an admin writes it (form or .xlsx row), validated the same way: a pattern
// must compile and not match empty text. (The engine never fires a rule inside its own standard
// form, so 总书记 → 习近平总书记 is safe to add.)

export const SHEET_HEADER = ['编号', '类型', '查找', '规范表述', '理由', '分类', '例外', '启用'] as const;
const KIND_LABEL: Record<(typeof RULE_KINDS)[number], string> = { literal: '字面', pattern: '正则', enumeration: '列举' };
export const kindLabel = (k: (typeof RULE_KINDS)[number]) => KIND_LABEL[k];
const KIND_OF = Object.fromEntries(Object.entries(KIND_LABEL).map(([k, v]) => [v, k]));

export const ruleInputSchema = z
  .object({
    code: z
      .string()
      .trim()
      .max(40, { error: '编号最多 40 个字符' })
      .regex(/^$|^[a-z]-[a-z0-9-]+$/u, { error: '编号只能是 c-xxx 或 d-xxx 的形式' })
      .default(''),
    kind: z.enum(RULE_KINDS, { error: '请选择类型' }),
    find: z.string().trim().min(1, { error: '请填写查找内容' }).max(300, { error: '查找内容最多 300 个字符' }),
    standard: z.string().trim().min(1, { error: '请填写规范表述' }).max(300, { error: '规范表述最多 300 个字符' }),
    reason: z.string().trim().max(300, { error: '理由最多 300 个字' }).default(''),
    category: z.enum(RULE_CATEGORIES).catch('自定义').default('自定义'),
    allow: z.string().max(1000, { error: '例外最多 1000 个字符' }).default(''),
  })
  .superRefine((r, ctx) => {
    const problem = ruleProblem({ ...r, code: r.code || 'c-new', allow: r.allow.split('\n').filter(Boolean) });
    if (problem) ctx.addIssue({ code: 'custom', path: [problem.field], message: problem.message });
  });
export type RuleInput = z.output<typeof ruleInputSchema>;

export function ruleProblem(rule: WordingRule): { field: 'find' | 'standard'; message: string } | null {
  if (rule.kind === 'pattern') {
    const p = patternProblem(rule.find);
    if (p) return { field: 'find', message: p };
  }
  if (rule.kind === 'enumeration' && rule.standard.split('、').filter(Boolean).length < 2) {
    return { field: 'standard', message: '列举的规范表述请用顿号“、”分隔各项。' };
  }
  if (rule.kind === 'literal' && rule.find === rule.standard) return { field: 'standard', message: '规范表述与查找内容相同。' };
  return null;
}

/** A rule as a row of the exported sheet. */
export function ruleToRow(r: WordingRule & { enabled: boolean }): string[] {
  return [r.code, KIND_LABEL[r.kind], r.find, r.standard, r.reason, r.category, (r.allow ?? []).join('\n'), r.enabled ? '是' : '否'];
}

export type SheetRule = RuleInput & { enabled: boolean };

/** The rows of an imported sheet (header first), each parsed or with its problem and row number. */
export function rowsToRules(rows: readonly string[][]): { ok: true; rules: SheetRule[] } | { ok: false; message: string } {
  const [head, ...body] = rows;
  if (!head || SHEET_HEADER.some((h, i) => (head[i] ?? '').trim() !== h)) return { ok: false, message: `第一行应是表头：${SHEET_HEADER.join('、')}。` };
  const rules: SheetRule[] = [];
  for (const [i, row] of body.entries()) {
    if (row.every((c) => !c.trim())) continue;
    const unescape = (s: string | undefined) => (s ?? '').replace(/^'(?=[=+\-@])/u, '');
    const parsed = ruleInputSchema.safeParse({
      code: unescape(row[0]),
      kind: KIND_OF[(row[1] ?? '').trim()] ?? (row[1] ?? '').trim(),
      find: unescape(row[2]),
      standard: unescape(row[3]),
      reason: unescape(row[4]),
      category: (row[5] ?? '').trim() || '自定义',
      allow: unescape(row[6]),
    });
    if (!parsed.success) return { ok: false, message: `第 ${i + 2} 行：${parsed.error.issues[0]?.message ?? '格式有误'}` };
    rules.push({ ...parsed.data, enabled: (row[7] ?? '是').trim() !== '否' });
  }
  return { ok: true, rules };
}
