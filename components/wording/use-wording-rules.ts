'use client';

import { useEffect, useState } from 'react';
import { DEFAULT_RULES, type WordingRule } from '@/lib/wording/rules';

/** The rules in force (the office's, from /api/wording/rules); the bundled ones until they arrive. */
export function useWordingRules(): readonly WordingRule[] {
  const [rules, setRules] = useState<readonly WordingRule[]>(DEFAULT_RULES);
  useEffect(() => {
    let live = true;
    fetch('/api/wording/rules')
      .then((r) => (r.ok ? (r.json() as Promise<{ rules?: WordingRule[] }>) : null))
      .then((j) => {
        if (live && j?.rules) setRules(j.rules);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  return rules;
}
