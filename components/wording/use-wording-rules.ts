'use client';

import { useEffect, useState } from 'react';
import { DEFAULT_RULES, type WordingRule } from '@/lib/wording/rules';
import { fetchRulesInForce } from './rules-in-force';

/** The rules in force (the office's, from /api/wording/rules); the bundled ones until they arrive. */
export function useWordingRules(): readonly WordingRule[] {
  const [rules, setRules] = useState<readonly WordingRule[]>(DEFAULT_RULES);
  useEffect(() => {
    let live = true;
    void fetchRulesInForce().then((inForce) => {
      if (live && inForce) setRules(inForce);
    });
    return () => {
      live = false;
    };
  }, []);
  return rules;
}
