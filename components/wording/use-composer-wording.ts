'use client';

import { useMemo, useState } from 'react';
import { wordingPreflight, type WordingPreflightFinding } from '@/lib/bulletin/preflight';
import type { ComposerItem } from '@/lib/bulletin/composer-state';
import { applyFixes } from '@/lib/wording/engine';
import { keptComplete, keptPayload, type KeptReasons } from './preflight-wording';
import { useWordingRules } from './use-wording-rules';

/** The composer's publish preflight for 规范提法与标点: findings per item, fixes, kept reasons. */
export function useComposerWording(items: readonly ComposerItem[], onFixItem: (key: string, body: string) => void) {
  const rules = useWordingRules();
  const [kept, setKept] = useState<KeptReasons>({});
  const findings = useMemo(() => wordingPreflight(items, rules), [items, rules]);
  const bodies = useMemo(() => new Map(items.map((i) => [i.key, i.body])), [items]);
  const onFix = (f: WordingPreflightFinding) => {
    const body = bodies.get(f.itemKey);
    if (body !== undefined) onFixItem(f.itemKey, applyFixes(body, [f.finding]));
  };
  return {
    count: findings.length,
    complete: keptComplete(findings, kept),
    payload: () => JSON.stringify(keptPayload(findings, kept, bodies)),
    props: { findings, bodies, kept, onKept: setKept, onFix },
  };
}
