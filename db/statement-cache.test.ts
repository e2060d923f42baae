import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb, withOpaqueLimits } from '@/db';
import { units } from '@/db/schema';
import { useTestDatabase } from '@/test/db';

// db/index.ts hands drizzle the same compiled statement for the same SQL text. drizzle asks a
// statement for raw rows (arrays) when it maps columns itself, and for objects otherwise; a
// statement reused across the two must answer each as it asked.

describe('the statement cache', () => {
  useTestDatabase();

  it('answers a mapped select and a plain query of the same SQL each in its own shape', async () => {
    const db = getDb();
    const id = (await db.insert(units).values({ name: '樊城区' }).returning({ id: units.id }).get()).id;
    const builder = db.select({ id: units.id, name: units.name }).from(units).where(eq(units.id, id));
    const text = builder.toSQL();
    // The mapped select puts the statement in raw mode first.
    expect(await builder.all()).toEqual([{ id, name: '樊城区' }]);
    // The same SQL text with the same parameter, asked for as objects.
    // Its one parameter last: `?` on SQLite, `$1` on PostgreSQL.
    const param = /(\?|\$1)$/u.exec(text.sql)?.[0];
    expect(param).toBeDefined();
    const same = sql`${sql.raw(text.sql.slice(0, -param!.length))}${id}`;
    expect(await db.all(same)).toEqual([{ id, name: '樊城区' }]);
    expect(await db.get(same)).toEqual({ id, name: '樊城区' });
    // And the mapped one again, after the plain ones.
    expect(await builder.get()).toEqual({ id, name: '樊城区' });
  });

  it('sees rows written after a statement was first compiled', async () => {
    const db = getDb();
    const count = async () => (await db.select({ n: sql<number>`count(*)` }).from(units).get())?.n;
    const before = await count() ?? 0;
    await db.insert(units).values({ name: '襄州区' }).run();
    expect(await count()).toBe(before + 1);
  });

  it('pages with LIMIT and OFFSET parameters: one statement, rebound with each page’s values', async () => {
    const db = getDb();
    const names = ['甲', '乙', '丙', '丁', '戊'].map((n) => `分页${n}`);
    for (const name of names) await db.insert(units).values({ name }).run();
    const page = (limit: number, offset: number) =>
      db.select({ name: units.name }).from(units).where(sql`${units.name} like '分页%'`).orderBy(units.id).limit(limit).offset(offset).all();
    expect((await page(2, 0)).map((r) => r.name)).toEqual(names.slice(0, 2));
    expect((await page(2, 2)).map((r) => r.name)).toEqual(names.slice(2, 4));
    expect((await page(3, 4)).map((r) => r.name)).toEqual(names.slice(4));
    expect(await page(2, 10)).toEqual([]);
  });
});

describe('withOpaqueLimits (SQLite re-prepared every `limit ?` on every run)', () => {
  it('wraps a bare LIMIT or OFFSET parameter, in any case, and nothing else', () => {
    expect(withOpaqueLimits('select "id" from "units" order by "id" limit ? offset ?')).toBe('select "id" from "units" order by "id" limit (? + 0) offset (? + 0)');
    expect(withOpaqueLimits('SELECT id FROM (SELECT id FROM units LIMIT ?) LIMIT 5')).toBe('SELECT id FROM (SELECT id FROM units LIMIT (? + 0)) LIMIT 5');
    const untouched = 'select id from units where name = ? limit 1';
    expect(withOpaqueLimits(untouched)).toBe(untouched);
  });

  it('leaves quoted strings alone', () => {
    expect(withOpaqueLimits("select 'limit ?', 'it''s offset ?' from units limit ?")).toBe("select 'limit ?', 'it''s offset ?' from units limit (? + 0)");
  });
});
