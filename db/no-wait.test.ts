import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb, writeIfFree } from '@/db';
import { isBusyError } from '@/db/mutation';
import { loadViewer } from '@/db/queries/auth';
import { authSessions, units } from '@/db/schema';
import { makeSession, makeUser } from '@/db/factories';
import { useTestDatabase } from '@/test/db';
import { holdWriteLock } from '@/test/write-lock';

// Another connection holds the database's write lock (another server process's write, the roster
// thread committing an import, another app server): this process's writes wait for it without
// holding up anything else the process does, and writeIfFree does not wait at all.

/** Whether `p` has settled by the time a 50 ms timer of this process fires. */
async function settledWithin50ms(p: Promise<unknown>): Promise<boolean> {
  let settled = false;
  p.then(
    () => (settled = true),
    () => (settled = true),
  );
  await new Promise((r) => setTimeout(r, 50));
  return settled;
}

async function unitNamed(name: string) {
  return (await getDb().select().from(units).where(eq(units.name, name)).all()).length;
}

describe('writes while another connection holds the write lock', () => {
  useTestDatabase();

  it('a write outside a transaction waits for it while this process goes on, then is written', async () => {
    const lock = await holdWriteLock();
    const write = getDb().insert(units).values({ name: '牛首镇' }).run();
    // This process's timers still run (SQLite's own busy wait would sleep inside the call,
    // and the write would fail busy once the timeout passed with the lock never released).
    expect(await settledWithin50ms(write)).toBe(false);
    expect(await unitNamed('牛首镇')).toBe(0);
    await lock.release();
    await write;
    expect(await unitNamed('牛首镇')).toBe(1);
  });

  it('a transaction waits for it the same way, and then writes everything in it', async () => {
    const lock = await holdWriteLock();
    const tx = getDb().transaction(async (t) => {
      await t.insert(units).values({ name: '太平店镇' }).run();
      await t.insert(units).values({ name: '樊城区' }).run();
    });
    expect(await settledWithin50ms(tx)).toBe(false);
    await lock.release();
    await tx;
    expect((await unitNamed('太平店镇')) + (await unitNamed('樊城区'))).toBe(2);
  });

  it('writeIfFree does not wait: busy at once, nothing written; written once the lock is free', async () => {
    const lock = await holdWriteLock();
    let error: unknown = null;
    try {
      await writeIfFree(() => getDb().insert(units).values({ name: '东津新区' }).run());
    } catch (e) {
      error = e;
    }
    expect(isBusyError(error)).toBe(true);
    expect(await unitNamed('东津新区')).toBe(0);
    await lock.release();
    await writeIfFree(() => getDb().insert(units).values({ name: '东津新区' }).run());
    expect(await unitNamed('东津新区')).toBe(1);
  });

  it("a signed-in page's once-a-minute last-seen write is skipped while the lock is taken, and made by the next request", async () => {
    const userId = await makeUser('cadre');
    const twoMinutesAgo = new Date(Date.now() - 2 * 60 * 1000);
    const sessionId = await makeSession(userId, { createdAt: twoMinutesAgo, lastSeenAt: twoMinutesAgo });
    const lastSeen = async () => (await getDb().select({ at: authSessions.lastSeenAt }).from(authSessions).where(eq(authSessions.id, sessionId)).get())?.at?.getTime();

    const lock = await holdWriteLock();
    const viewer = await loadViewer(userId, sessionId);
    expect(viewer?.id).toBe(userId);
    expect(await lastSeen()).toBe(twoMinutesAgo.getTime());
    await lock.release();

    const now = new Date();
    expect((await loadViewer(userId, sessionId, now))?.id).toBe(userId);
    expect(await lastSeen()).toBe(now.getTime());
  });
});
