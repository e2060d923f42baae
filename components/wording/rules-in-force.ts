import type { WordingRule } from '@/lib/wording/rules';

// Its own module, importing the rules' type only: the cadre's editor fetches the rules in force
// without the bundled ones in its first scripts (components/wording/wording-advisor.tsx).

/** The office's rules in force, from /api/wording/rules; null when they cannot be had. */
export function fetchRulesInForce(): Promise<WordingRule[] | null> {
  return fetch('/api/wording/rules')
    .then((r) => (r.ok ? (r.json() as Promise<{ rules?: WordingRule[] }>) : null))
    .then((j) => j?.rules ?? null)
    .catch(() => null);
}
