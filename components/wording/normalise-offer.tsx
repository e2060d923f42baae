'use client';

import { checkWording } from '@/lib/wording/engine';

// The legacy 简报 import's offer: scraped pages carry half-width , : ; ? ! ( ) next to Chinese,
// unmatched quotes and doubled marks; one tick normalises what can be fixed for sure.

export function punctuationFindings(texts: readonly string[]): number {
  return texts.reduce((n, t) => n + checkWording(t, []).filter((f) => f.replacement !== null).length, 0);
}

export function NormaliseOffer({ count, checked, onChange }: { count: number; checked: boolean; onChange: (v: boolean) => void }) {
  if (count === 0) return null;
  return (
    <label className="flex items-start gap-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-base">
      <input type="checkbox" className="mt-1 size-5 accent-brand-600" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <span>规范标点：把导语、小结和发言中 {count} 处半角或重复的标点改为全角（网页抓取的文字常见，原文其他内容不变）</span>
    </label>
  );
}
