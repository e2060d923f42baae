'use client';

import { useDeferredValue, useMemo } from 'react';
import { buttonClass } from '@/components/ui/button-class';
import { applyFixes, checkWording, type Finding } from '@/lib/wording/engine';
import { useWordingRules } from './use-wording-rules';
import { FindingExcerpt } from './wording-marks';

// 规范提法与标点 in the cadre's editor: advisory only (it never blocks 提交). Each finding has a
// one-click fix where one is sure; 全部修改 applies every sure fix at once. The rules in force
// come from /api/wording/rules (the office's own); the bundled ones serve until they arrive.

export function WordingAdvisor({ text, onChange, disabled }: { text: string; onChange: (next: string) => void; disabled?: boolean }) {
  const rules = useWordingRules();
  const deferred = useDeferredValue(text);
  const findings = useMemo(() => checkWording(deferred, rules), [deferred, rules]);
  const fixable = findings.filter((f) => f.replacement !== null);
  const fix = (f: Finding) => onChange(applyFixes(text, [f]));

  if (findings.length === 0) return null;
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
