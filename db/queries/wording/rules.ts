import 'server-only';
import { asc, sql } from 'drizzle-orm';
import { getDb, queryCached, type DB, type Tx } from '@/db';
import { wordingRules } from '@/db/schema';
import { DEFAULT_RULES, type RuleCategory, type WordingRule } from '@/lib/wording/rules';

// The wording rules in force: the bundled defaults (lib/wording/rules.ts) overlaid by the
// office's rows (its own rules and its changes to the defaults, matched by code). Rules are
// not secret: every signed-in person's editor checks against them.

type Reader = DB | Tx;

export interface RuleRowDto extends WordingRule {
  /** true when the rule ships with the portal (it can be changed or disabled, not deleted) */
  builtin: boolean;
  /** true when the office changed a bundled rule or wrote its own */
  changed: boolean;
  enabled: boolean;
}

function rowToRule(r: typeof wordingRules.$inferSelect): WordingRule {
  const allow = r.allow.split('\n').map((s) => s.trim()).filter(Boolean);
  return {
    code: r.code,
    kind: r.kind,
    find: r.find,
    standard: r.standard,
    reason: r.reason,
    category: r.category as RuleCategory,
    enabled: r.enabled,
    ...(allow.length ? { allow } : {}),
  };
}

/** Every rule, the defaults first in their order, then the office's own; disabled ones included. */
export async function allRules(db: Reader = getDb()): Promise<RuleRowDto[]> {
  const rows = await db.select().from(wordingRules).orderBy(asc(wordingRules.id)).all();
  const byCode = new Map(rows.map((r) => [r.code, r]));
  const out: RuleRowDto[] = DEFAULT_RULES.map((d) => {
    const r = byCode.get(d.code);
    return r ? { ...rowToRule(r), builtin: true, changed: true, enabled: r.enabled } : { ...d, builtin: true, changed: false, enabled: true };
  });
  const defaults = new Set(DEFAULT_RULES.map((d) => d.code));
  for (const r of rows) if (!defaults.has(r.code)) out.push({ ...rowToRule(r), builtin: false, changed: true, enabled: r.enabled });
  return out;
}

let last: { key: string; rules: WordingRule[] } | null = null;

/** The enabled rules, as the engine takes them; the same array while nothing changed (the engine caches its compiled pattern by it). */
export async function rulesInForce(db: Reader = getDb()): Promise<WordingRule[]> {
  // The office's rows, read raw by a query built once: while they are as last time, so
  // are the rules, and the defaults need not be overlaid and compared again (the review detail
  // and the 简报 composer ask on every load).
  if (db === getDb()) {
    const rows = JSON.stringify(await rawRows());
    if (lastRows?.rows === rows) return lastRows.rules;
    const rules = await overlaid(db);
    lastRows = { rows, rules };
    return rules;
  }
  return await overlaid(db);
}

/** Every row of wording_rules, from a query built once (queryCached): only compared, never shown. */
async function rawRows(): Promise<unknown[]> {
  return await queryCached('wording-rules:raw', () => sql`select * from ${wordingRules} order by ${wordingRules.id}`);
}

let lastRows: { rows: string; rules: WordingRule[] } | null = null;

async function overlaid(db: Reader): Promise<WordingRule[]> {
  const rules = (await allRules(db))
    .filter((r) => r.enabled)
    .map(({ builtin: _b, changed: _c, ...r }) => r);
  const key = JSON.stringify(rules);
  if (last?.key === key) return last.rules;
  last = { key, rules };
  return rules;
}
