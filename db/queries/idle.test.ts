import Database from 'better-sqlite3';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BUSY_TIMEOUT_MS, getDb, getSqlite } from '@/db';
import { auditLog, authSessions, users } from '@/db/schema';
import { isPostgres } from '@/db/dialect';
import { authOptions } from '@/lib/auth/options';
import { idleTimeoutMs } from '@/lib/auth/idle';
import { hashPassword } from '@/lib/auth/password';
import { makeUser, useTestDatabase } from '@/test/db';
import { authenticate, loadViewer } from './auth';

// Idle timeout with a controlled clock: every "request" is loadViewer (what next-auth's jwt and
// session callbacks run on each request) at a chosen instant.

const req = { ip: '192.0.2.10', userAgent: 'vitest' };
const PASSWORD = '长寿岛湿地春来早-2026';
const MIN = 60_000;

async function signIn(at: Date) {
  const id = await makeUser('cadre', { passwordHash: await hashPassword(PASSWORD), mustChangePassword: false });
  const username = (await getDb().select({ u: users.username }).from(users).where(eq(users.id, id)).get())?.u as string;
  const r = await authenticate({ username, password: PASSWORD }, req, at);
  if (!r.ok) throw new Error(r.message);
  if (!('sessionId' in r)) throw new Error('second factor asked of a cadre');
  return { id, sid: r.sessionId };
}

async function row(sid: string) {
  return await getDb().select().from(authSessions).where(eq(authSessions.id, sid)).get();
}

describe('idle timeout', () => {
  useTestDatabase();
  afterEach(() => {
    vi.useRealTimers();
    delete process.env.SESSION_IDLE_MINUTES;
  });

  it('keeps a sign-in used every 29 minutes, writing last-seen at most once a minute', async () => {
    const t0 = new Date('2026-03-02T01:00:00Z');
    const { id, sid } = await signIn(t0);
    const at = (m: number) => new Date(t0.getTime() + m * MIN);
    expect((await loadViewer(id, sid, at(0.5)))?.id).toBe(id);
    expect((await row(sid))?.lastSeenAt).toBeNull(); // within the first minute: no write
    expect((await loadViewer(id, sid, at(29)))?.id).toBe(id);
    expect((await row(sid))?.lastSeenAt).toEqual(at(29));
    expect((await loadViewer(id, sid, at(29.5)))?.id).toBe(id);
    expect((await row(sid))?.lastSeenAt).toEqual(at(29)); // 30 s later: not written again
    expect((await loadViewer(id, sid, at(58)))?.id).toBe(id);
    expect((await loadViewer(id, sid, at(87)))?.id).toBe(id);
    expect((await row(sid))?.revokedAt).toBeNull();
  });

  it('ends a sign-in idle for 30 minutes at its next request: revoked, audited, and it stays ended', async () => {
    const t0 = new Date('2026-03-02T01:00:00Z');
    const { id, sid } = await signIn(t0);
    const at = (m: number) => new Date(t0.getTime() + m * MIN);
    expect((await loadViewer(id, sid, at(10)))?.id).toBe(id);
    expect(await loadViewer(id, sid, at(40))).toBeNull();
    expect((await row(sid))?.revokedAt).toEqual(at(40));
    expect(await loadViewer(id, sid, at(40.1))).toBeNull();
    const audit = await getDb().select().from(auditLog).where(eq(auditLog.action, 'session.idle')).all();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: id, detail: JSON.stringify({ lastSeenAt: at(10).toISOString(), idleMinutes: 30 }) });
  });

  it('SESSION_IDLE_MINUTES sets the limit (5 to 480 minutes; anything else is 30)', async () => {
    expect(idleTimeoutMs({ SESSION_IDLE_MINUTES: '15' })).toBe(15 * MIN);
    expect(idleTimeoutMs({ SESSION_IDLE_MINUTES: '1' })).toBe(30 * MIN);
    expect(idleTimeoutMs({ SESSION_IDLE_MINUTES: 'x' })).toBe(30 * MIN);
    process.env.SESSION_IDLE_MINUTES = '15';
    const t0 = new Date('2026-03-02T01:00:00Z');
    const { id, sid } = await signIn(t0);
    expect((await loadViewer(id, sid, new Date(t0.getTime() + 14 * MIN)))?.id).toBe(id);
    expect(await loadViewer(id, sid, new Date(t0.getTime() + 29 * MIN))).toBeNull();
  });

  it("next-auth's session callbacks give no viewer after the idle time: the next page asks to sign in", async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const t0 = new Date('2026-03-02T01:00:00Z');
    vi.setSystemTime(t0);
    const { id, sid } = await signIn(t0);
    const { jwt, session } = authOptions().callbacks ?? {};
    const request = async () => {
      const token = await jwt?.({ token: { uid: id, sid }, user: undefined as never, account: null, trigger: undefined });
      const s = await session?.({ session: { expires: '' }, token: token ?? {}, user: undefined as never, newSession: undefined, trigger: 'update' });
      return (s as { viewer?: { id: number } } | undefined)?.viewer ?? null;
    };
    vi.setSystemTime(new Date(t0.getTime() + 20 * MIN));
    expect((await request())?.id).toBe(id);
    vi.setSystemTime(new Date(t0.getTime() + 51 * MIN));
    expect(await request()).toBeNull();
  });
});

// SQLite only: the lock held is SQLite's file write lock, taken by a second better-sqlite3
// connection to the same file, and the wait checked is SQLite's busy_timeout. On PostgreSQL the
// write lock is db/postgres.ts's advisory lock, waited for up to lock_timeout.
describe.skipIf(isPostgres())('last-seen while another connection writes', () => {
  useTestDatabase();

  it('answers without waiting for the lock, skips the touch, and writes it on a later request', async () => {
    const t0 = new Date('2026-03-02T01:00:00Z');
    const { id, sid } = await signIn(t0);
    const at = (m: number) => new Date(t0.getTime() + m * MIN);
    // Another process (or the roster process) holds the write lock.
    const other = new Database(getSqlite().name);
    other.prepare('BEGIN IMMEDIATE').run();
    try {
      expect((await loadViewer(id, sid, at(5)))?.id).toBe(id);
      expect((await row(sid))?.lastSeenAt).toBeNull();
      // The connection's own wait for other writes is back to the usual.
      expect(getSqlite().pragma('busy_timeout', { simple: true })).toBe(BUSY_TIMEOUT_MS);
    } finally {
      other.prepare('ROLLBACK').run();
      other.close();
    }
    expect((await loadViewer(id, sid, at(6)))?.id).toBe(id);
    expect((await row(sid))?.lastSeenAt).toEqual(at(6));
  });
});
