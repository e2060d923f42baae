import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { getDb } from '@/db';
import { setFaultAfterRunForTests } from '@/db/mutation';
import { auditLog, authSessions, loginThrottle, notifications, users } from '@/db/schema';
import { hashPassword, verifyPassword } from '@/lib/auth/password';
import { makeUser, useTestDatabase, viewerFor } from '@/test/db';
import { authenticate, changeOwnPassword, loadViewer, revokeSignIn, signOut } from './auth';
import { ensureInitialAdmin } from './bootstrap';

const req = { ip: '192.0.2.10', userAgent: 'vitest' };
const PASSWORD = '长寿岛湿地春来早-2026';

async function userWithPassword(over: Partial<typeof users.$inferInsert> = {}) {
  const id = await makeUser('cadre', { passwordHash: await hashPassword(PASSWORD), ...over });
  const username = (await getDb().select({ u: users.username }).from(users).where(eq(users.id, id)).get())?.u as string;
  return { id, username };
}

async function actions() {
  return await getDb().select({ action: auditLog.action, actorId: auditLog.actorId, ip: auditLog.ip }).from(auditLog).all();
}

describe('authenticate', () => {
  useTestDatabase();
  afterEach(() => setFaultAfterRunForTests(null));

  it('opens a sign-in row and audits a success', async () => {
    const u = await userWithPassword();
    const r = await authenticate({ username: u.username.toUpperCase(), password: PASSWORD }, req);
    expect(r.ok).toBe(true);
    if (!r.ok || !('sessionId' in r)) return;
    const row = await getDb().select().from(authSessions).where(eq(authSessions.id, r.sessionId)).get();
    expect(row?.userId).toBe(u.id);
    expect(row?.ip).toBe('192.0.2.10');
    expect((row?.expiresAt.getTime() ?? 0) - Date.now()).toBeLessThanOrEqual(8 * 3600_000);
    expect(await actions()).toEqual([{ action: 'login.success', actorId: u.id, ip: '192.0.2.10' }]);
    expect((await loadViewer(u.id, r.sessionId))?.id).toBe(u.id);
  });

  it('gives one message for an unknown account, a wrong password and an inactive account', async () => {
    const u = await userWithPassword();
    const inactive = await userWithPassword({ active: false });
    const unknown = await authenticate({ username: 'nobody', password: PASSWORD }, req);
    const wrong = await authenticate({ username: u.username, password: 'not-the-password' }, req);
    const off = await authenticate({ username: inactive.username, password: PASSWORD }, req);
    for (const r of [unknown, wrong, off]) expect(r).toMatchObject({ ok: false, message: '账号或密码不正确' });
    expect(await getDb().select().from(authSessions).all()).toEqual([]);
    expect((await actions()).map((a) => a.action)).toEqual(['login.failure', 'login.failure', 'login.failure']);
  });

  it('refuses the right password after five failures, leaves other accounts alone, and a success resets the count', async () => {
    const u = await userWithPassword();
    const other = await userWithPassword();
    for (let i = 0; i < 4; i++) await authenticate({ username: u.username, password: 'wrong' }, req);
    // Four failures then a success: the count starts again.
    expect((await authenticate({ username: u.username, password: PASSWORD }, req)).ok).toBe(true);
    expect(await getDb().select().from(loginThrottle).where(eq(loginThrottle.key, `pair:${req.ip}|${u.username}`)).get()).toBeUndefined();

    for (let i = 0; i < 5; i++) await authenticate({ username: u.username, password: 'wrong' }, req);
    const refused = await authenticate({ username: u.username, password: PASSWORD }, req);
    expect(refused).toMatchObject({ ok: false, code: 'throttled' });
    expect(refused.ok ? '' : refused.message).toMatch(/^尝试次数过多，请 \d+ 分钟后再试$/u);
    expect((await authenticate({ username: other.username, password: PASSWORD }, req)).ok).toBe(true);

    const later = new Date(Date.now() + 16 * 60_000);
    expect((await authenticate({ username: u.username, password: PASSWORD }, req, later)).ok).toBe(true);
  });

  it('five failures from an attacker’s address do not lock the owner out of theirs', async () => {
    const u = await userWithPassword();
    const attacker = { ...req, ip: '198.51.100.66' };
    for (let i = 0; i < 6; i++) await authenticate({ username: u.username, password: 'wrong' }, attacker);
    expect(await authenticate({ username: u.username, password: PASSWORD }, attacker)).toMatchObject({ code: 'throttled' });
    expect((await authenticate({ username: u.username, password: PASSWORD }, req)).ok).toBe(true);
  });

  it('the account limit refuses new addresses, spares the owner’s usual one, and tells the owner and the admins once', async () => {
    const u = await userWithPassword();
    const admin = await makeUser('admin');
    await makeUser('admin', { active: false });
    const bystander = await makeUser('cadre');
    // The owner signed in from the office before.
    expect((await authenticate({ username: u.username, password: PASSWORD }, req)).ok).toBe(true);
    // 20 failures from five addresses, four each: no (account, address) pair reaches its limit.
    for (let a = 0; a < 5; a++) {
      for (let i = 0; i < 4; i++) await authenticate({ username: u.username, password: 'wrong' }, { ...req, ip: `198.51.100.${a}` });
    }
    // A new address is refused even with the right password …
    expect(await authenticate({ username: u.username, password: PASSWORD }, { ...req, ip: '203.0.113.50' })).toMatchObject({ code: 'throttled' });
    // … the office still works.
    expect((await authenticate({ username: u.username, password: PASSWORD }, req)).ok).toBe(true);
    const told = await getDb().select({ userId: notifications.userId, kind: notifications.kind, title: notifications.title }).from(notifications).all();
    expect(told.map((n) => n.userId).sort()).toEqual([u.id, admin].sort());
    expect(told.every((n) => n.kind === 'security' && n.title.includes(u.username))).toBe(true);
    expect(told.map((n) => n.userId)).not.toContain(bystander);
    expect((await actions()).filter((a) => a.action === 'login.account_limited')).toHaveLength(1);
    // Unknown accounts are limited the same way, without anyone to tell.
    for (let i = 0; i < 20; i++) await authenticate({ username: 'ghost2', password: 'wrong' }, { ...req, ip: `198.51.100.${100 + (i % 5)}` });
    expect(await authenticate({ username: 'ghost2', password: 'wrong' }, { ...req, ip: '203.0.113.51' })).toMatchObject({ code: 'throttled' });
    expect(await getDb().select().from(notifications).all()).toHaveLength(2);
  });

  it('throttles unknown account names the same way, so blocking reveals nothing', async () => {
    for (let i = 0; i < 5; i++) await authenticate({ username: 'ghost', password: 'wrong' }, req);
    expect(await authenticate({ username: 'ghost', password: 'wrong' }, req)).toMatchObject({ code: 'throttled' });
  });

  it('blocks an address after about 30 failures across accounts', async () => {
    for (let i = 0; i < 30; i++) await authenticate({ username: `guess${i}`, password: 'wrong' }, req);
    const u = await userWithPassword();
    expect(await authenticate({ username: u.username, password: PASSWORD }, req)).toMatchObject({ code: 'throttled' });
    expect((await authenticate({ username: u.username, password: PASSWORD }, { ...req, ip: '192.0.2.99' })).ok).toBe(true);
  });

  it('a failure while the sign-in row is written leaves no row, no audit and the failure count as it was', async () => {
    const u = await userWithPassword();
    await authenticate({ username: u.username, password: 'wrong' }, req);
    const throttle = await getDb().select().from(loginThrottle).all();
    setFaultAfterRunForTests(() => {
      throw new Error('forced');
    });
    await expect(authenticate({ username: u.username, password: PASSWORD }, req)).rejects.toThrow('forced');
    expect(await getDb().select().from(authSessions).all()).toEqual([]);
    expect((await actions()).map((a) => a.action)).toEqual(['login.failure']);
    expect(await getDb().select().from(loginThrottle).all()).toEqual(throttle);
  });

  it('refuses an expired one-time password', async () => {
    const u = await userWithPassword({ mustChangePassword: true, passwordExpiresAt: new Date(Date.now() - 1000) });
    expect(await authenticate({ username: u.username, password: PASSWORD }, req)).toMatchObject({ ok: false, code: 'expired' });
  });
});

describe('sign-in rows', () => {
  useTestDatabase();

  it('a sign-out, a deactivation or an expiry ends the sign-in on the next request', async () => {
    const id = await makeUser('cadre');
    const v = await viewerFor(id);
    expect(await loadViewer(id, v.sessionId)).not.toBeNull();
    expect(await signOut(v, {}, req)).toEqual({ ok: true });
    expect(await loadViewer(id, v.sessionId)).toBeNull();

    const v2 = await viewerFor(id);
    await getDb().update(users).set({ active: false }).where(eq(users.id, id)).run();
    expect(await loadViewer(id, v2.sessionId)).toBeNull();

    await getDb().update(users).set({ active: true }).where(eq(users.id, id)).run();
    const v3 = await viewerFor(id);
    expect(await loadViewer(id, v3.sessionId, new Date(Date.now() + 2 * 3600_000))).toBeNull();
  });

  it("next-auth's sign-out event revokes the row the token names, once, and only that user's", async () => {
    const id = await makeUser('cadre');
    const other = await makeUser('cadre');
    const v = await viewerFor(id);
    const keep = await viewerFor(id);
    const theirs = await viewerFor(other);
    await revokeSignIn(other, v.sessionId, req);
    expect(await loadViewer(id, v.sessionId)).not.toBeNull();
    await revokeSignIn(id, v.sessionId, req);
    await revokeSignIn(id, v.sessionId, req);
    await revokeSignIn(undefined, undefined, req);
    expect(await loadViewer(id, v.sessionId)).toBeNull();
    expect(await loadViewer(id, keep.sessionId)).not.toBeNull();
    expect(await loadViewer(other, theirs.sessionId)).not.toBeNull();
    expect(await actions()).toEqual([{ action: 'logout', actorId: id, ip: '192.0.2.10' }]);
  });

  it('a role change shows on the next request', async () => {
    const id = await makeUser('cadre');
    const v = await viewerFor(id);
    await getDb().update(users).set({ role: 'organizer' }).where(eq(users.id, id)).run();
    expect((await loadViewer(id, v.sessionId))?.role).toBe('organizer');
  });

  it('a sign-in row of another user does not load', async () => {
    const a = await viewerFor(await makeUser('cadre'));
    const b = await makeUser('admin');
    expect(await loadViewer(b, a.sessionId)).toBeNull();
    expect(await loadViewer(String(a.id), a.sessionId)).toBeNull();
  });
});

describe('changeOwnPassword', () => {
  useTestDatabase();

  it('needs the current password, applies the policy, and ends the other sign-ins', async () => {
    const u = await userWithPassword({ mustChangePassword: true, passwordExpiresAt: new Date(Date.now() + 3600_000) });
    const here = await viewerFor(u.id);
    const elsewhere = await viewerFor(u.id);

    expect(await changeOwnPassword(here, { currentPassword: 'wrong', newPassword: 'Good-pass-2026', confirmPassword: 'Good-pass-2026' }, req)).toMatchObject({
      ok: false,
      fieldErrors: { currentPassword: ['当前密码不正确'] },
    });
    expect(await changeOwnPassword(here, { currentPassword: PASSWORD, newPassword: 'password1', confirmPassword: 'password1' }, req)).toMatchObject({ ok: false });
    expect(await actions()).toEqual([]);

    expect(await changeOwnPassword(here, { currentPassword: PASSWORD, newPassword: 'Good-pass-2026', confirmPassword: 'Good-pass-2026' }, req)).toEqual({ ok: true });
    const row = await getDb().select().from(users).where(eq(users.id, u.id)).get();
    expect(row?.mustChangePassword).toBe(false);
    expect(row?.passwordExpiresAt).toBeNull();
    expect(await verifyPassword(row?.passwordHash ?? null, 'Good-pass-2026')).toBe(true);
    expect(await loadViewer(u.id, here.sessionId)).not.toBeNull();
    expect(await loadViewer(u.id, elsewhere.sessionId)).toBeNull();
    expect((await actions()).map((a) => a.action)).toEqual(['password.change']);
  });

  it('a reset made while the new password was being hashed wins, and nothing of the change is kept', async () => {
    const u = await userWithPassword();
    const here = await viewerFor(u.id);
    const resetHash = await hashPassword('Reset-by-admin-2026');
    // The change reads the stored hash before its first await (then verifies and hashes off the
    // thread); the reset lands right after that read, whatever the machine's load.
    const pending = changeOwnPassword(here, { currentPassword: PASSWORD, newPassword: 'Good-pass-2026', confirmPassword: 'Good-pass-2026' }, req);
    await getDb().update(users).set({ passwordHash: resetHash }).where(eq(users.id, u.id)).run();
    expect(await pending).toMatchObject({ ok: false, code: 'stale' });
    expect((await getDb().select({ h: users.passwordHash }).from(users).where(eq(users.id, u.id)).get())?.h).toBe(resetHash);
    expect(await actions()).toEqual([]);
  });

  it('needs the new password twice, the same both times', async () => {
    const u = await userWithPassword();
    const r = await changeOwnPassword(await viewerFor(u.id), { currentPassword: PASSWORD, newPassword: 'Good-pass-2026', confirmPassword: 'Good-pass-2025' }, req);
    expect(r).toMatchObject({ ok: false, code: 'invalid', fieldErrors: { confirmPassword: ['两次填写的新密码不一致'] } });
  });
});

describe('ensureInitialAdmin', () => {
  useTestDatabase();

  it('creates one admin with a random password that must be changed, and only on an empty database', async () => {
    const first = await ensureInitialAdmin({});
    expect(first).toMatchObject({ created: true, username: 'admin' });
    const again = await ensureInitialAdmin({});
    expect(again).toEqual({ created: false });
    const admins = await getDb().select().from(users).all();
    expect(admins).toHaveLength(1);
    expect(admins[0]?.mustChangePassword).toBe(true);
    if (first.created && first.password) {
      expect(await verifyPassword(admins[0]?.passwordHash ?? null, first.password)).toBe(true);
    }
  });

  it('takes the account from the environment and refuses a weak password', async () => {
    await expect(ensureInitialAdmin({ INITIAL_ADMIN_USERNAME: 'root', INITIAL_ADMIN_PASSWORD: 'password' })).rejects.toThrow(/INITIAL_ADMIN_PASSWORD/u);
    expect(await getDb().select().from(users).all()).toEqual([]);
    const r = await ensureInitialAdmin({ INITIAL_ADMIN_USERNAME: 'root', INITIAL_ADMIN_PASSWORD: 'Strong-Start-2026' });
    expect(r).toEqual({ created: true, username: 'root', password: null });
    expect((await getDb().select({ m: users.mustChangePassword }).from(users).get())?.m).toBe(false);
  });
});
