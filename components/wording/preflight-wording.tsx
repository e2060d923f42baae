'use client';

import { useId } from 'react';
import { buttonClass } from '@/components/ui/button-class';
import type { WordingPreflightFinding } from '@/lib/bulletin/preflight';
import { FindingExcerpt } from './wording-marks';

// The publish preflight's 规范提法与标点 part: each finding in an item is fixed (one click) or
// kept with a reason; the kept ones and their reasons go with the publish and are audited.

export type KeptReasons = Record<string, string>;

export function keptComplete(findings: readonly WordingPreflightFinding[], kept: KeptReasons): boolean {
  return findings.every((f) => (kept[f.id] ?? '').trim().length > 0);
}

/** What the publish sends: the kept findings with their reasons. */
export function keptPayload(findings: readonly WordingPreflightFinding[], kept: KeptReasons, bodies: Map<string, string>) {
  return findings.map((f) => ({
    item: f.where,
    found: f.finding.found,
    standard: f.finding.replacement ?? '',
    context: (bodies.get(f.itemKey) ?? '').slice(Math.max(0, f.finding.start - 10), f.finding.end + 10),
    reason: (kept[f.id] ?? '').trim(),
  }));
}

export function PreflightWording({
  findings,
  bodies,
  kept,
  onKept,
  onFix,
}: {
  findings: readonly WordingPreflightFinding[];
  bodies: Map<string, string>;
  kept: KeptReasons;
  onKept: (next: KeptReasons) => void;
  onFix: (f: WordingPreflightFinding) => void;
}) {
  const base = useId();
  if (findings.length === 0) return null;
  return (
    <div className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3">
      <p className="font-medium">规范提法与标点：{findings.length} 处，请逐一修改或写明保留理由。</p>
      <ul className="space-y-3" aria-label="规范提法与标点">
        {findings.map((f, i) => {
          const keeping = f.id in kept;
          const reasonId = `${base}-${i}`;
          return (
            <li key={f.id} className="space-y-1">
              <p className="text-base">
                {f.where}：<FindingExcerpt text={bodies.get(f.itemKey) ?? ''} finding={f.finding} /> {f.finding.message}
              </p>
              <div className="flex flex-wrap items-center gap-2">
                {f.finding.replacement !== null ? (
                  <button type="button" className={`${buttonClass('secondary')} min-h-9 px-2 py-1 text-sm`} onClick={() => onFix(f)}>
                    改为“{f.finding.replacement}”
                  </button>
                ) : null}
                {!keeping ? (
                  <button type="button" className={`${buttonClass('secondary')} min-h-9 px-2 py-1 text-sm`} onClick={() => onKept({ ...kept, [f.id]: '' })}>
                    保留
                  </button>
                ) : (
                  <span className="flex flex-wrap items-center gap-1">
                    <label htmlFor={reasonId} className="text-sm">
                      保留理由
                    </label>
                    <input
                      id={reasonId}
                      className="rounded-md border border-stone-300 px-2 py-1 text-base"
                      maxLength={200}
                      value={kept[f.id] ?? ''}
                      onChange={(e) => onKept({ ...kept, [f.id]: e.target.value })}
                    />
                  </span>
                )}
              </div>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
