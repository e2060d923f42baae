import { checkWording, type Finding } from '@/lib/wording/engine';
import type { WordingRule } from '@/lib/wording/rules';
import type { ComposerFieldName, ComposerFields, ComposerItem } from './composer-state';

// 发布 first lists what is missing or risky, so that nothing goes out half-finished (第2期 once
// went out without its 报尾). Blocking findings stop the publish; the rest are for the
// organizer to confirm.

export interface PreflightFinding {
  /** block: publishing is refused (no items); warn: the organizer confirms. */
  level: 'block' | 'warn';
  text: string;
}

export function publishPreflight({ fields, items, dirty }: { fields: ComposerFields; items: readonly ComposerItem[]; dirty: boolean }): PreflightFinding[] {
  const found: PreflightFinding[] = [];
  if (items.length === 0) found.push({ level: 'block', text: '简报里还没有发言，请先加入学习心得。' });
  if (!fields.lead.trim()) found.push({ level: 'warn', text: '导语是空的。' });
  const tail = [
    ['报', fields.reportTo],
    ['送', fields.sendTo],
    ['发', fields.issueTo],
  ] as const;
  const emptyTail = tail.filter(([, v]) => !v.trim()).map(([k]) => `“${k}”`);
  if (emptyTail.length) found.push({ level: 'warn', text: `报尾的${emptyTail.join('、')}是空的。` });
  if (!(Number(fields.copies) > 0)) found.push({ level: 'warn', text: '共印份数是 0，打印版不会印“（共印N份）”。' });
  items.forEach((item, index) => {
    if (item.changed) found.push({ level: 'warn', text: `第 ${index + 1} 条（${item.authorName || item.heading}）的原文在加入简报后有修改。` });
    if (!item.heading.trim()) found.push({ level: 'warn', text: `第 ${index + 1} 条没有发言人标题。` });
  });
  if (dirty) found.push({ level: 'warn', text: '有未保存的修改：确认发布时会先保存再发布。' });
  return found;
}

export interface WordingPreflightFinding {
  /** Stable while other findings are fixed: item, rule, text found and which occurrence. */
  id: string;
  itemKey: string;
  /** 第 2 条（张三） */
  where: string;
  finding: Finding;
}

/** The 简报's own prose, checked like the items: what the office writes in its own name. */
export const WORDING_FIELDS = [
  { name: 'headline', label: '标题' },
  { name: 'lead', label: '导语' },
  { name: 'transition', label: '过渡语' },
  { name: 'summary', label: '小结' },
] as const satisfies readonly { name: ComposerFieldName; label: string }[];

/** The key of a field's text among the checked texts (items keep their own keys). */
export function fieldTextKey(name: ComposerFieldName): string {
  return `field:${name}`;
}

/** Every text a published 简报 prints in the office's name: its prose fields, then each item. */
export function wordingTexts(fields: Pick<ComposerFields, (typeof WORDING_FIELDS)[number]['name']>, items: readonly ComposerItem[]) {
  return [
    ...WORDING_FIELDS.map((f) => ({ key: fieldTextKey(f.name), where: f.label, body: fields[f.name] })),
    ...items.map((item, index) => ({ key: item.key, where: `第 ${index + 1} 条（${item.authorName || item.heading}）`, body: item.body })),
  ];
}

/** 规范提法与标点 in each text: each finding must be fixed or kept with a reason before publishing. */
export function wordingPreflight(texts: readonly { key: string; where: string; body: string }[], rules: readonly WordingRule[]): WordingPreflightFinding[] {
  return texts.flatMap((text) => {
    const seen = new Map<string, number>();
    return checkWording(text.body, rules).map((finding) => {
      const base = `${text.key}|${finding.code}|${finding.found}`;
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      return { id: `${base}|${n}`, itemKey: text.key, where: text.where, finding };
    });
  });
}
