'use client';

import { useDeferredValue, useEffect, useMemo, useState } from 'react';
import { buttonClass } from '@/components/ui/button-class';
import type * as WordingEngine from '@/lib/wording/engine';
import type { Finding } from '@/lib/wording/engine';
import type { WordingRule } from '@/lib/wording/rules';
import { fetchRulesInForce } from './rules-in-force';
import { FindingExcerpt } from './wording-marks';

// 规范提法与标点 in the cadre's editor: advisory only (it never blocks 提交). Each finding has a
// one-click fix where one is sure; 全部修改 applies every sure fix at once. The rules in force
// come from /api/wording/rules (the office's own); the bundled ones only when that fails.
//
// The checker and the rules are loaded after the page is up, not in the editor's first scripts:
// together about 5 KB (gzip) that a cadre on a phone need not wait for before typing, and that
// kept the editor over its script budget (issue 15). Until they arrive the advisor shows nothing.

type Engine = typeof WordingEngine;
interface Checker {
  engine: Engine;
  rules: readonly WordingRule[];
}

function useLazyChecker(): Checker | null {
  const [checker, setChecker] = useState<Checker | null>(null);
  useEffect(() => {
    let live = true;
    void Promise.all([import('@/lib/wording/engine'), fetchRulesInForce()])
      .then(async ([engine, inForce]) => {
        const rules = inForce ?? (await import('@/lib/wording/rules')).DEFAULT_RULES;
        if (live) setChecker({ engine, rules });
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  return checker;
}

export function WordingAdvisor({ text, onChange, disabled }: { text: string; onChange: (next: string) => void; disabled?: boolean }) {
  const checker = useLazyChecker();
  const deferred = useDeferredValue(text);
  const findings = useMemo(() => (checker ? checker.engine.checkWording(deferred, checker.rules) : []), [deferred, checker]);
  const fixable = findings.filter((f) => f.replacement !== null);

  if (!checker || findings.length === 0) return null;
  const { applyFixes } = checker.engine;
  const fix = (f: Finding) => onChange(applyFixes(text, [f]));
  return (
    <details className="rounded-md border border-amber-300 bg-amber-50 p-3" open={findings.length <= 5}>
      <summary className="cursor-pointer text-base font-medium text-stone-900">
        规范提法与标点：{findings.length} 处建议（仅供参考，不影响提交）
      </summary>
      <ul className="mt-2 space-y-2" aria-label="规范提法与标点建议">
        {findings.slice(0, 50).map((f) => (
          <li key={`${f.code}-${f.start}`} className="flex flex-wrap items-center gap-2 text-base">
            <FindingExcerpt text={deferred} finding={f} />
            <span className="text-stone-700">{f.message}</span>
            {f.replacement !== null ? (
              <button type="button" className={`${buttonClass('secondary')} min-h-9 px-2 py-1 text-sm`} disabled={disabled || deferred !== text} onClick={() => fix(f)} title={f.reason}>
                改为“{f.replacement}”
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {fixable.length > 1 ? (
        <button type="button" className={`${buttonClass('secondary')} mt-2`} disabled={disabled || deferred !== text} onClick={() => onChange(applyFixes(text, fixable))}>
          全部修改（{fixable.length} 处）
        </button>
      ) : null}
    </details>
  );
}
