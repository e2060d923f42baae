import { eq, sql } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { getDb, getWriteSqlite, inTransaction, queryCached } from '@/db';
import { isPostgres } from '@/db/dialect';
import { WRITE_LOCK_KEY } from '@/db/postgres';
import { verifyAuditChain } from '@/db/audit-chain';
import { units } from '@/db/schema';
import { LOCAL_REQUEST, mutation } from '@/db/mutation';
import { actorOf, writeAudit } from '@/db/audit';
import { z } from 'zod';
import { signedIn, useTestDatabase } from '@/test/db';

// Issue 16 step 1: every statement is awaited, and a transaction's callback awaits between its
// statements. Two requests interleave on the one process: while one request's transaction waits
// (here on a timer, in life on a hash or a file), the other request's statements run. They must
// never run inside the open transaction: its reads see only committed data, its writes wait for
// the transaction to end, and a rollback takes back only the transaction's own statements.

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));
/**
 * No write transaction is left open: SQLite's write connection is outside any transaction; on
 * PostgreSQL nobody holds the write lock (db/postgres.ts: every write transaction takes it first).
 */
async function writerIdle(): Promise<boolean> {
  if (!isPostgres()) return !getWriteSqlite().inTransaction;
  const held = await getDb().get<{ n: number }>(
    sql`select count(*) as n from pg_locks where locktype = 'advisory' and objid = ${WRITE_LOCK_KEY} and objsubid = 1`,
  );
  return held?.n === 0;
}
const names = async () => (await getDb().select({ name: units.name }).from(units).orderBy(units.name).all()).map((u) => u.name);

describe('two requests interleaved on one process', () => {
  useTestDatabase();

  it('the other request reads only committed data, and its write waits until the open transaction commits', async () => {
    const db = getDb();
    const events: string[] = [];
    let seenInside: string[] = [];
    let wrote!: () => void;
    const firstWrote = new Promise<void>((r) => {
      wrote = r;
    });
    const first = db.transaction(async (tx) => {
      await tx.insert(units).values({ name: '甲（未提交）' }).run();
      seenInside = (await tx.select({ name: units.name }).from(units).all()).map((u) => u.name);
      events.push('first wrote');
      wrote();
      await tick(60);
      events.push('first commits');
    });
    // Once the first has written (PostgreSQL first connects a pooled client: not within a fixed tick).
    await firstWrote;
    // The second request, meanwhile: not inside the first's transaction.
    expect(inTransaction()).toBe(false);
    const readMeanwhile = await names();
    events.push('second read');
    const write = db
      .insert(units)
      .values({ name: '乙' })
      .run()
      .then(() => events.push('second wrote'));
    await Promise.all([first, write]);
    expect(seenInside).toContain('甲（未提交）');
    expect(readMeanwhile).not.toContain('甲（未提交）');
    expect(events).toEqual(['first wrote', 'second read', 'first commits', 'second wrote']);
    expect(await names()).toEqual(expect.arrayContaining(['甲（未提交）', '乙']));
  });

  it('a transaction that fails after awaiting rolls back its own statements and none of the other request', async () => {
    const db = getDb();
    const before = await names();
    const failing = db.transaction(async (tx) => {
      await tx.insert(units).values({ name: '丙（回滚）' }).run();
      await tick(40);
      throw new Error('在等待之后失败');
    });
    await tick(5);
    const other = db.insert(units).values({ name: '丁' }).run();
    await expect(failing).rejects.toThrow('在等待之后失败');
    await other;
    expect(await names()).toEqual([...before, '丁'].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(await writerIdle()).toBe(true);
  });

  it('transactions asked for at once run one after the other, each whole, in the order asked', async () => {
    const db = getDb();
    const order: string[] = [];
    const one = (name: string, wait: number) =>
      db.transaction(async (tx) => {
        order.push(`${name} begins`);
        await tx.insert(units).values({ name }).run();
        await tick(wait);
        const mine = await tx.select({ id: units.id }).from(units).where(eq(units.name, name)).get();
        order.push(`${name} ends`);
        return mine?.id;
      });
    const ids = await Promise.all([one('戊', 30), one('己', 0), one('庚', 10)]);
    expect(ids.every((id) => typeof id === 'number')).toBe(true);
    expect(order).toEqual(['戊 begins', '戊 ends', '己 begins', '己 ends', '庚 begins', '庚 ends']);
  });

  it('a read answers while more writers than the pool has connections wait for the write lock', async () => {
    const db = getDb();
    const before = (await names()).length;
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let entered!: () => void;
    const inside = new Promise<void>((r) => {
      entered = r;
    });
    const holder = db.transaction(async (tx) => {
      await tx.insert(units).values({ name: '持锁' }).run();
      entered();
      await held;
    });
    await inside;
    // More than PostgreSQL's pool holds (10 by default): waiting, they must not take every connection.
    const waiting = Array.from({ length: 12 }, (_, i) => db.insert(units).values({ name: `等待${i}` }).run());
    await tick(50);
    const read = await Promise.race([names().then((n) => n), tick(3000).then(() => 'timed out' as const)]);
    expect(read).not.toBe('timed out');
    expect(read).not.toContain('持锁');
    release();
    await Promise.all([holder, ...waiting]);
    expect(await names()).toHaveLength(before + 13);
  });

  it('a nested transaction is a savepoint: its failure takes back only its own statements', async () => {
    const db = getDb();
    await db.transaction(async (tx) => {
      await tx.insert(units).values({ name: '外层' }).run();
      await expect(
        tx.transaction(async (inner) => {
          await inner.insert(units).values({ name: '内层' }).run();
          await tick(5);
          throw new Error('内层失败');
        }),
      ).rejects.toThrow('内层失败');
    });
    const all = await names();
    expect(all).toContain('外层');
    expect(all).not.toContain('内层');
  });

  it('two kernel changes interleaved keep every audit row and the audit chain whole', async () => {
    const slowCreate = mutation({
      roles: ['admin'],
      schema: z.object({ name: z.string(), wait: z.number() }),
      async run(tx, ctx, input) {
        const id = (await tx.insert(units).values({ name: input.name }).returning({ id: units.id }).get()).id;
        await tick(input.wait);
        await writeAudit(tx, { ...actorOf(ctx.viewer, ctx.request), action: 'unit.create', targetType: 'unit', targetId: id });
        return { ok: true as const, id };
      },
    });
    const admin = await signedIn('admin');
    const results = await Promise.all([
      slowCreate(admin, { name: '慢', wait: 40 }, LOCAL_REQUEST),
      slowCreate(admin, { name: '快', wait: 0 }, LOCAL_REQUEST),
    ]);
    expect(results).toMatchObject([{ ok: true }, { ok: true }]);
    expect(await verifyAuditChain(getDb())).toMatchObject({ ok: true, rows: 2 });
  });

  it('work a transaction leaves behind (a timer) runs outside it later and never inside another request’s open transaction', async () => {
    const db = getDb();
    let late: Promise<unknown> = Promise.resolve();
    await db.transaction(async (tx) => {
      await tx.insert(units).values({ name: '壬' }).run();
      // Scheduled from inside the transaction, not awaited by it: its async context outlives it.
      setTimeout(() => {
        late = db.insert(units).values({ name: '定时写入' }).run();
      }, 10);
    });
    // Another request's transaction is open when the timer fires, and then fails.
    await expect(
      db.transaction(async (tx) => {
        await tx.insert(units).values({ name: '癸（回滚）' }).run();
        await tick(40);
        throw new Error('另一个事务失败');
      }),
    ).rejects.toThrow('另一个事务失败');
    await late;
    const all = await names();
    expect(all).toEqual(expect.arrayContaining(['壬', '定时写入']));
    expect(all).not.toContain('癸（回滚）');
  });

  it('a transaction begun through one copy of the module is seen by another (a production build bundles it into several chunks)', async () => {
    const first = await import('@/db');
    vi.resetModules();
    const second = await import('@/db');
    expect(second).not.toBe(first);
    await first.getDb().transaction(async (tx) => {
      await tx.insert(units).values({ name: '子' }).run();
      expect(second.inTransaction()).toBe(true);
      // SQLite: the other copy hands out the write connection, as the first does inside its transaction.
      if (!isPostgres()) expect(second.getSqlite()).toBe(first.getWriteSqlite());
      // A read through the other copy sees the transaction's own write.
      expect(await second.getDb().select({ name: units.name }).from(units).where(eq(units.name, '子')).all()).toEqual([{ name: '子' }]);
    });
    expect(second.inTransaction()).toBe(false);
  });

  it('a failing statement is the database’s own error, without the statement’s parameters in its message', async () => {
    const db = getDb();
    const secret = '不应出现在日志里的正文';
    const caught = (e: unknown) => e as Error & { code?: string };
    const raw = await db.run(sql`insert into units (id, name) values (${'不是数字'}, ${secret}) returning nothing_here`).then(() => null, caught);
    // A query builder's failure too (a unique name taken twice).
    await db.insert(units).values({ name: secret }).run();
    const built = await db.insert(units).values({ name: secret }).run().then(() => null, caught);
    for (const error of [raw, built]) {
      expect(error).toBeInstanceOf(Error);
      // SQLite's SQLITE_… code, or PostgreSQL's SQLSTATE.
      expect(error?.code).toMatch(isPostgres() ? /^[0-9A-Z]{5}$/u : /^SQLITE_/u);
      expect(error?.message).not.toContain(secret);
    }
  });

  it('raw reads answer rows as objects by column name', async () => {
    const db = getDb();
    await db.insert(units).values({ name: '辛' }).run();
    expect(await db.get<{ name: string }>(sql`select name from units where name = ${'辛'}`)).toEqual({ name: '辛' });
    expect(await db.all<{ name: string }>(sql`select name from units where name = ${'辛'}`)).toEqual([{ name: '辛' }]);
  });
});

describe('queryCached', () => {
  useTestDatabase();

  it('builds once per key, fills its placeholders per call, and inside a transaction sees that transaction’s writes', async () => {
    let builds = 0;
    const byName = (name: string) =>
      queryCached<{ name: string }>(
        'test-unit-by-name',
        () => {
          builds += 1;
          return sql`select ${units.name} as name from ${units} where ${units.name} = ${sql.placeholder('name')}`;
        },
        { name },
      );
    await getDb().insert(units).values([{ name: '戊' }, { name: '己' }]).run();
    expect(await byName('戊')).toEqual([{ name: '戊' }]);
    expect(await byName('己')).toEqual([{ name: '己' }]);
    let inside: { name: string }[] = [];
    await getDb()
      .transaction(async (tx) => {
        await tx.insert(units).values({ name: '庚（未提交）' }).run();
        inside = await byName('庚（未提交）');
        throw new Error('回滚');
      })
      .catch(() => undefined);
    expect(inside).toEqual([{ name: '庚（未提交）' }]);
    expect(await byName('庚（未提交）')).toEqual([]);
    expect(builds).toBe(1);
  });
});
