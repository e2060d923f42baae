import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { notFound } from 'next/navigation';
import { z } from 'zod';
import { verifyAuditChain } from '@/db/audit-chain';
import { writeAudit, actorOf } from '@/db/audit';
import { isPostgres } from '@/db/dialect';
import { databasePath, getDb, getSqlite, getWriteSqlite } from '@/db';
import { mutation, offThreadMutation, preparedMutation, setFaultAfterRunForTests } from '@/db/mutation';
import { auditLog, units } from '@/db/schema';
import { fail } from '@/lib/action-result';
import { signedIn, useTestDatabase } from '@/test/db';

const REQ = { ip: '127.0.0.1', userAgent: 'vitest' };
const nameSchema = z.object({ name: z.string().trim().min(1, '请填写名称'), failAfter: z.boolean().default(false) });

/** Inserts a unit and its audit row, then fails when asked: the shape of commitImport's bug. */
const createUnit = mutation({
  roles: ['admin'],
  schema: nameSchema,
  onUniqueViolation: () => fail('conflict', '单位名称已存在'),
  async run(tx, ctx, input) {
    const id = (await tx.insert(units).values({ name: input.name }).returning({ id: units.id }).get()).id;
    await writeAudit(tx, { ...actorOf(ctx.viewer, ctx.request), action: 'unit.create', targetType: 'unit', targetId: id });
    if (input.failAfter) return fail('invalid', '第2条有误');
    return { ok: true as const, id };
  },
});

async function counts() {
  const db = getDb();
  return { units: (await db.select().from(units).all()).length, audit: (await db.select().from(auditLog).all()).length };
}

describe('mutation kernel', () => {
  useTestDatabase();
  afterEach(() => setFaultAfterRunForTests(null));

  it('commits a success with its audit row', async () => {
    const admin = await signedIn('admin');
    const before = await counts();
    const result = await createUnit(admin, { name: '樊城区' }, REQ);
    expect(result.ok).toBe(true);
    expect(await counts()).toEqual({ units: before.units + 1, audit: before.audit + 1 });
  });

  it('rolls back everything when run returns a failure after writing', async () => {
    const admin = await signedIn('admin');
    const before = await counts();
    const result = await createUnit(admin, { name: '樊城区', failAfter: true }, REQ);
    expect(result).toMatchObject({ ok: false, code: 'invalid', message: '第2条有误' });
    expect(await counts()).toEqual(before);
  });

  it('rolls back when a fault is forced after run', async () => {
    const admin = await signedIn('admin');
    const before = await counts();
    setFaultAfterRunForTests(() => {
      throw new Error('forced');
    });
    await expect(createUnit(admin, { name: '樊城区' }, REQ)).rejects.toThrow('forced');
    expect(await counts()).toEqual(before);
  });

  it('refuses the wrong role and a one-time password before reading anything', async () => {
    const before = await counts();
    expect(await createUnit(await signedIn('organizer'), { name: 'x' }, REQ)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await createUnit(await signedIn('admin', { mustChangePassword: true }), { name: 'x' }, REQ)).toMatchObject({
      ok: false,
      code: 'must_change_password',
    });
    expect(await counts()).toEqual(before);
  });

  it('answers bad input with the schema’s Chinese message and field errors', async () => {
    const result = await createUnit(await signedIn('admin'), { name: '   ' }, REQ);
    expect(result).toMatchObject({ ok: false, code: 'invalid', fieldErrors: { name: ['请填写名称'] } });
    expect(result.ok === false && result.message).toContain('请填写名称');
  });

  it('turns a unique-key violation into the mutation’s own conflict message', async () => {
    const admin = await signedIn('admin');
    expect((await createUnit(admin, { name: '樊城区' }, REQ)).ok).toBe(true);
    const before = await counts();
    expect(await createUnit(admin, { name: '樊城区' }, REQ)).toMatchObject({ ok: false, code: 'conflict', message: '单位名称已存在' });
    expect(await counts()).toEqual(before);
  });

  it('turns notFound() thrown by a scoped read into a not_found value and rolls back', async () => {
    const lookup = mutation({
      roles: ['admin'],
      schema: z.object({}),
      async run(tx) {
        await tx.insert(units).values({ name: '临时' }).run();
        notFound();
      },
    });
    const before = await counts();
    expect(await lookup(await signedIn('admin'), {}, REQ)).toMatchObject({ ok: false, code: 'not_found' });
    expect(await counts()).toEqual(before);
  });

  it('runs slow preparation outside the transaction and still rolls back on failure', async () => {
    const slow = preparedMutation({
      roles: ['admin'],
      schema: nameSchema,
      prepare: async (_ctx, input) => Promise.resolve(input.name.length > 10 ? fail('invalid', '名称过长') : `${input.name}（已准备）`),
      async run(tx, _ctx, input, prepared) {
        await tx.insert(units).values({ name: prepared }).run();
        return input.failAfter ? fail('conflict', '冲突') : { ok: true as const };
      },
    });
    const admin = await signedIn('admin');
    const before = await counts();
    expect(await slow(admin, { name: '一二三四五六七八九十一' }, REQ)).toMatchObject({ code: 'invalid' });
    expect(await slow(admin, { name: '甲', failAfter: true }, REQ)).toMatchObject({ code: 'conflict' });
    expect(await counts()).toEqual(before);
    expect(await slow(admin, { name: '甲' }, REQ)).toMatchObject({ ok: true });
    expect((await getDb().select().from(units).all()).map((u) => u.name)).toContain('甲（已准备）');
  });

  it('answers a preparation that refuses without a code as invalid (400), never as a success-shaped 200', async () => {
    const sloppy = preparedMutation({
      roles: ['admin'],
      schema: nameSchema,
      prepare: async () => Promise.resolve({ ok: false as const, message: '文件内容不是 .xlsx 格式' }),
      async run(tx) {
        await tx.insert(units).values({ name: '不该写入' }).run();
        return { ok: true as const };
      },
    });
    const before = await counts();
    expect(await sloppy(await signedIn('admin'), { name: '甲' }, REQ)).toEqual({ ok: false, code: 'invalid', message: '文件内容不是 .xlsx 格式' });
    expect(await counts()).toEqual(before);
  });

  // These tests open a second better-sqlite3 connection themselves to stand in for the roster
  // thread's: SQLite only. On PostgreSQL the roster process's own pool is exercised by
  // db/queries/roster.test.ts and app/api/admin/roster/routes.test.ts.
  describe.skipIf(isPostgres())('a transaction on another connection (offThreadMutation)', () => {
    // Stands in for the roster process: a second connection to the same file, whose
    // transaction stays open while the kernel's after-run hook runs.
    function elsewhere(name: string, opts: { fail?: boolean; throwCode?: string } = {}) {
      const calls: string[] = [];
      const m = offThreadMutation({
        roles: ['admin'],
        schema: z.object({}),
        prepare: async () => Promise.resolve(`${name}（已准备）`),
        async runElsewhere(_ctx, _input, prepared, afterRun) {
          calls.push(afterRun ? 'run, held for the hook' : 'run');
          if (opts.throwCode) throw Object.assign(new Error('busy'), { code: opts.throwCode });
          const other = new Database(databasePath());
          try {
            other.exec('BEGIN IMMEDIATE');
            const id = Number(other.prepare('INSERT INTO units (name) VALUES (?)').run(prepared).lastInsertRowid);
            if (opts.fail) {
              other.exec('ROLLBACK');
              return fail('stale', '已有变化');
            }
            try {
              await afterRun?.();
            } catch (e) {
              other.exec('ROLLBACK');
              calls.push('rollback');
              throw e;
            }
            other.exec('COMMIT');
            calls.push('commit');
            return await Promise.resolve({ ok: true as const, id });
          } finally {
            other.close();
          }
        },
      });
      return { m, calls };
    }

    it('runs the after-run hook here while the other transaction is open, then commits', async () => {
      const before = await counts();
      let seenMeanwhile = -1;
      setFaultAfterRunForTests(async () => {
        // This thread's connection still reads the database as it was, and is not held up.
        seenMeanwhile = (await counts()).units;
      });
      const { m, calls } = elsewhere('樊城区');
      expect(await m(await signedIn('admin'), {}, REQ)).toMatchObject({ ok: true });
      expect(seenMeanwhile).toBe(before.units);
      expect(calls).toEqual(['run, held for the hook', 'commit']);
      // Without a hook nothing is called back: the other connection commits on its own.
      setFaultAfterRunForTests(null);
      const plain = elsewhere('襄城区');
      expect(await plain.m(await signedIn('admin'), {}, REQ)).toMatchObject({ ok: true });
      expect(plain.calls).toEqual(['run', 'commit']);
      expect((await getDb().select().from(units).all()).map((u) => u.name)).toContain('樊城区（已准备）');
    });

    it('rolls the other transaction back when a failure is forced after the write', async () => {
      const before = await counts();
      setFaultAfterRunForTests(() => {
        throw new Error('forced');
      });
      const { m, calls } = elsewhere('樊城区');
      await expect(m(await signedIn('admin'), {}, REQ)).rejects.toThrow('forced');
      expect(calls).toEqual(['run, held for the hook', 'rollback']);
      expect(await counts()).toEqual(before);
    });

    it('returns a failure run gave there (rolled back), and reads busy as busy', async () => {
      const before = await counts();
      const { m, calls } = elsewhere('樊城区', { fail: true });
      expect(await m(await signedIn('admin'), {}, REQ)).toMatchObject({ ok: false, code: 'stale' });
      expect(calls).toEqual(['run']);
      expect(await elsewhere('襄城区', { throwCode: 'SQLITE_BUSY' }).m(await signedIn('admin'), {}, REQ)).toMatchObject({ ok: false, code: 'busy' });
      expect(await counts()).toEqual(before);
    });

    it('refuses the wrong role before anything runs there', async () => {
      const { m, calls } = elsewhere('樊城区');
      expect(await m(await signedIn('organizer'), {}, REQ)).toMatchObject({ ok: false, code: 'forbidden' });
      expect(calls).toEqual([]);
    });
  });
});

/** Throws a plain error (a bug) for the name 出错, after writing. */
const createUnitOrThrow = mutation({
  roles: ['admin'],
  schema: nameSchema,
  async run(tx, ctx, input) {
    const id = (await tx.insert(units).values({ name: input.name }).returning({ id: units.id }).get()).id;
    await writeAudit(tx, { ...actorOf(ctx.viewer, ctx.request), action: 'unit.create', targetType: 'unit', targetId: id });
    if (input.name === '出错') throw new Error('a bug');
    return { ok: true as const, id };
  },
});

describe('group commit: changes asked for in the same turn (issue 15)', () => {
  useTestDatabase();
  afterEach(() => vi.restoreAllMocks());

  // Counts SQLite's BEGINs on the write connection and reads through a second SQLite connection.
  it.skipIf(isPostgres())('writes them in one transaction; each is answered only once the commit holding it is visible to another connection', async () => {
    const admin = await signedIn('admin');
    const before = await counts();
    const exec = vi.spyOn(getWriteSqlite(), 'exec');
    const other = new Database(getSqlite().name, { readonly: true });
    const seenByOther = (name: string) => other.prepare('select count(*) as n from units where name = ?').get(name) as { n: number };
    const asked = ['甲', '乙', '丙'].map((name) => createUnit.invoke(admin, { name }, REQ).then((o) => ({ o, seen: seenByOther(name).n })));
    const answers = await Promise.all(asked);
    other.close();
    expect(exec.mock.calls.filter(([text]) => text.startsWith('BEGIN'))).toHaveLength(1);
    expect(answers.map((a) => [a.o.result.ok, a.seen])).toEqual([
      [true, 1],
      [true, 1],
      [true, 1],
    ]);
    expect(await counts()).toEqual({ units: before.units + 3, audit: before.audit + 3 });
  });

  it('one that fails is rolled back alone: the others before and after it are written, and the audit chain holds', async () => {
    const admin = await signedIn('admin');
    const before = await counts();
    const answers = await Promise.all([
      createUnit.invoke(admin, { name: '甲' }, REQ),
      createUnit.invoke(admin, { name: '乙', failAfter: true }, REQ),
      createUnit.invoke(admin, { name: '丙' }, REQ),
      createUnit.invoke(admin, { name: '甲' }, REQ),
      createUnitOrThrow.invoke(admin, { name: '出错' }, REQ).catch((e: unknown) => e),
      createUnit.invoke(admin, { name: '丁' }, REQ),
    ]);
    expect(answers.slice(0, 4).map((a) => (a as { result: unknown }).result)).toMatchObject([
      { ok: true },
      { ok: false, code: 'invalid', message: '第2条有误' },
      { ok: true },
      { ok: false, code: 'conflict', message: '单位名称已存在' },
    ]);
    expect(answers[4]).toBeInstanceOf(Error);
    expect(answers[5]).toMatchObject({ result: { ok: true } });
    const names = (await getDb().select({ name: units.name }).from(units).all()).map((u) => u.name);
    expect(names).toEqual(expect.arrayContaining(['甲', '丙', '丁']));
    expect(names).not.toEqual(expect.arrayContaining(['乙']));
    expect(names).not.toContain('出错');
    expect(await counts()).toEqual({ units: before.units + 3, audit: before.audit + 3 });
    expect(await getDb().transaction(async (tx) => await verifyAuditChain(tx))).toMatchObject({ ok: true });
  });

  it('a fault forced after each change rolls each one back to its savepoint: nothing is written and none is acknowledged', async () => {
    const admin = await signedIn('admin');
    const before = await counts();
    setFaultAfterRunForTests(() => {
      throw new Error('forced');
    });
    const answers = await Promise.all(['甲', '乙'].map((name) => createUnit.invoke(admin, { name }, REQ).catch((e: unknown) => e)));
    setFaultAfterRunForTests(null);
    expect(answers.every((a) => a instanceof Error)).toBe(true);
    expect(await counts()).toEqual(before);
  });
});
