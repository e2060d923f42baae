'use client';

import { useMemo, useState } from 'react';
import { WORDING_FIELDS, fieldTextKey, wordingPreflight, wordingTexts, type WordingPreflightFinding } from '@/lib/bulletin/preflight';
import type { ComposerFieldName, ComposerFields, ComposerItem } from '@/lib/bulletin/composer-state';
import { applyFixes } from '@/lib/wording/engine';
import { keptComplete, keptPayload, type KeptReasons } from './preflight-wording';
import { useWordingRules } from './use-wording-rules';

/** The composer's publish preflight for 规范提法与标点: findings per text (导语, 小结, items…), fixes, kept reasons. */
export function useComposerWording(
  fields: ComposerFields,
  items: readonly ComposerItem[],
  onFixItem: (key: string, body: string) => void,
  onFixField: (name: ComposerFieldName, value: string) => void,
) {
  const rules = useWordingRules();
  const [kept, setKept] = useState<KeptReasons>({});
  const texts = useMemo(() => wordingTexts(fields, items), [fields, items]);
  const findings = useMemo(() => wordingPreflight(texts, rules), [texts, rules]);
  const bodies = useMemo(() => new Map(texts.map((t) => [t.key, t.body])), [texts]);
  const onFix = (f: WordingPreflightFinding) => {
    const body = bodies.get(f.itemKey);
    if (body === undefined) return;
    const fixed = applyFixes(body, [f.finding]);
    const field = WORDING_FIELDS.find((w) => fieldTextKey(w.name) === f.itemKey);
    if (field) onFixField(field.name, fixed);
    else onFixItem(f.itemKey, fixed);
  };
  return {
    count: findings.length,
    complete: keptComplete(findings, kept),
    payload: () => JSON.stringify(keptPayload(findings, kept, bodies)),
    props: { findings, bodies, kept, onKept: setKept, onFix },
  };
}
