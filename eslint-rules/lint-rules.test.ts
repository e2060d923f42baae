import fs from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The lint rules that keep the code's shape, each shown failing on a planted violation (and
// staying quiet on the correct form). The planted files exist only while this test runs.

const ROOT = path.resolve(import.meta.dirname, '..');
const tag = `${process.pid}`;

const PLANTED: Record<string, string> = {
  [`components/lint-plant-${tag}/db-import.tsx`]: `import { getDb } from '@/db';
import { users } from '@/db/schema';
import { eq } from 'drizzle-orm';
export function Planted() {
  const row = getDb().select().from(users).where(eq(users.id, 1)).get();
  return <p>{row?.name}</p>;
}
`,
  [`components/lint-plant-${tag}/type-import.tsx`]: `import type { Role } from '@/db/schema';
export function Allowed({ role }: { role: Role }) {
  return <p>{role}</p>;
}
`,
  [`app/lint-plant-${tag}/page.tsx`]: `import Database from 'better-sqlite3';
export default function Page() {
  return <p>{typeof Database}</p>;
}
`,
  [`db/lint-plant-${tag}/async-tx.ts`]: `import { getDb } from '@/db';
import { transaction } from '@/db/mutation';
import { users } from '@/db/schema';
export async function planted() {
  await getDb().transaction((tx) => {
    return tx.insert(users).values({ username: 'x', name: 'x', title: '', role: 'cadre', passwordHash: 'x' }).run();
  });
  await getDb().transaction(async (tx) => tx.select().from(users).all());
  return transaction(function body() {
    return { ok: true as const };
  });
}
`,
  [`db/lint-plant-${tag}/no-where.ts`]: `import { eq } from 'drizzle-orm';
import { getDb } from '@/db';
import { users } from '@/db/schema';
export function planted() {
  getDb().update(users).set({ name: '全部改名' }).run();
  const database = getDb();
  database.delete(users).run();
  // The correct forms pass.
  getDb().update(users).set({ name: '一人' }).where(eq(users.id, 1)).run();
  database.delete(users).where(eq(users.id, 2)).run();
  // Not drizzle: a Map's delete is no concern of the rule.
  new Map<string, number>().delete('x');
}
`,
};

let results: ESLint.LintResult[] = [];

function messagesOf(file: string) {
  const found = results.find((r) => r.filePath === path.join(ROOT, file));
  if (!found) throw new Error(`${file} was not linted`);
  return found.messages.map((m) => ({ rule: m.ruleId, line: m.line }));
}

describe('lint rules', () => {
  beforeAll(async () => {
    for (const [file, text] of Object.entries(PLANTED)) {
      fs.mkdirSync(path.dirname(path.join(ROOT, file)), { recursive: true });
      fs.writeFileSync(path.join(ROOT, file), text);
    }
    const eslint = new ESLint({ cwd: ROOT });
    results = await eslint.lintFiles(Object.keys(PLANTED));
  }, 180_000);

  afterAll(() => {
    for (const file of Object.keys(PLANTED)) fs.rmSync(path.dirname(path.join(ROOT, file)), { recursive: true, force: true });
  });

  it('refuses a database import in components/ and app/, but allows a type import', () => {
    const rules = messagesOf(`components/lint-plant-${tag}/db-import.tsx`).map((m) => m.rule);
    expect(rules.filter((r) => r === 'no-restricted-imports')).toHaveLength(3);
    expect(messagesOf(`components/lint-plant-${tag}/type-import.tsx`)).toEqual([]);
    expect(messagesOf(`app/lint-plant-${tag}/page.tsx`).map((m) => m.rule)).toContain('no-restricted-imports');
  });

  it('refuses a synchronous transaction callback, whose statements could not be awaited', () => {
    const found = messagesOf(`db/lint-plant-${tag}/async-tx.ts`).filter((m) => m.rule === 'no-restricted-syntax');
    expect(found.map((m) => m.line)).toEqual([5, 9]);
  });

  it('refuses an update or delete without where, whatever the database is called', () => {
    const found = messagesOf(`db/lint-plant-${tag}/no-where.ts`).filter((m) => m.rule === 'xuesi/drizzle-where');
    expect(found.map((m) => m.line)).toEqual([5, 7]);
  });
});
