import { fillPlaceholders, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { queryCached } from '@/db';
import { idsValue, inIds, zeroPadded } from '@/db/sql-kit';
import { useTestDatabase } from '@/test/db';
import { startCluster, type Cluster } from '@/test/pg/cluster';

// The spellings of db/sql-kit.ts that differ between the two databases (issue 16 step 2), run on
// each: the same query gives the same rows on SQLite (the test database) and on a throwaway
// PostgreSQL cluster, built as the process's dialect would build it.

const P = (name: string) => sql.placeholder(name);
const numbers = (n: number) => sql`select ${sql.raw(String(n))} as x`;
const someNumbers = sql`(${sql.join([1, 2, 3, 4, 5].map(numbers), sql` union all `)}) as t`;

describe('dialect spellings on SQLite', () => {
  useTestDatabase();

  it('inIds takes a list or a placeholder; zeroPadded pads', async () => {
    const listed = await queryCached<{ x: number }>('kit:listed', () => sql`select x from ${someNumbers} where ${inIds(sql`x`, [2, 4])} order by x`);
    expect(listed.map((r) => r.x)).toEqual([2, 4]);
    const run = async (ids: number[]) =>
      (await queryCached<{ x: number }>('kit:placeholder', () => sql`select x from ${someNumbers} where ${inIds(sql`x`, P('ids'))} order by x`, { ids: idsValue(ids) })).map((r) => r.x);
    expect(await run([1, 3, 5])).toEqual([1, 3, 5]);
    expect(await run([])).toEqual([]);
    expect(await queryCached('kit:pad', () => sql`select ${zeroPadded(sql`7`, 8)} as v, ${zeroPadded(sql`12345678`, 8)} as w`)).toEqual([{ v: '00000007', w: '12345678' }]);
  });
});

describe('dialect spellings on PostgreSQL', () => {
  let cluster: Cluster;
  let pool: pg.Pool;
  const before = process.env.DATABASE_URL;
  const dialect = new PgDialect();

  beforeAll(async () => {
    cluster = await startCluster();
    pool = new pg.Pool({ connectionString: cluster.url, max: 1 });
  }, 60_000);
  afterAll(async () => {
    await pool?.end();
    await cluster?.stop();
  });
  afterEach(() => {
    if (before === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = before;
  });

  /** Built (and its values made) while the process's dialect is PostgreSQL, as queryCached would there. */
  const onPostgres = async (build: () => ReturnType<typeof sql>, values: () => Record<string, unknown> = () => ({})) => {
    process.env.DATABASE_URL = cluster.url;
    const q = dialect.sqlToQuery(build());
    return (await pool.query(q.sql, fillPlaceholders(q.params, values()))).rows as Record<string, unknown>[];
  };

  it('inIds is = any(integer array), with a list or a placeholder; zeroPadded pads', async () => {
    expect((await onPostgres(() => sql`select x from ${someNumbers} where ${inIds(sql`x`, [2, 4])} order by x`)).map((r) => r.x)).toEqual([2, 4]);
    process.env.DATABASE_URL = cluster.url;
    expect(dialect.sqlToQuery(inIds(sql`x`, P('ids'))).sql).toBe('x = any($1)');
    const byPlaceholder = () => sql`select x from ${someNumbers} where ${inIds(sql`x`, P('ids'))} order by x`;
    expect((await onPostgres(byPlaceholder, () => ({ ids: idsValue([1, 3, 5]) }))).map((r) => r.x)).toEqual([1, 3, 5]);
    expect(await onPostgres(byPlaceholder, () => ({ ids: idsValue([]) }))).toEqual([]);
    expect(await onPostgres(() => sql`select ${zeroPadded(sql`7`, 8)} as v, ${zeroPadded(sql`12345678`, 8)} as w`)).toEqual([{ v: '00000007', w: '12345678' }]);
  });
});
