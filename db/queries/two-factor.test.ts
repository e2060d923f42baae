import { eq } from 'drizzle-orm';
import { describe, expect, it, onTestFinished } from 'vitest';
import { getDb } from '@/db';
import { auditLog, authSessions, totpRecoveryCodes, users } from '@/db/schema';
import { hashPassword } from '@/lib/auth/password';
import { newTotpSecret, totpCode, totpStep } from '@/lib/auth/totp';
import { DATA_KEY_ENV, isSealed } from '@/lib/auth/sealed';
import { makeUser, signedIn, useTestDatabase } from '@/test/db';
import { authenticate, loadViewer } from './auth';
import {
  CODE_REFUSED,
  enrolSecondFactor,
  resetTwoFactor,
  sealStoredTotpSecrets,
  SECRET_UNREADABLE,
  setTwoFactorPolicy,
  verifySecondFactor,
  type PendingSignIn,
} from './two-factor';

const req = { ip: '192.0.2.10', userAgent: 'vitest' };
const PASSWORD = '长寿岛湿地春来早-2026';

async function account(role: 'admin' | 'auditor' | 'organizer' | 'cadre') {
  const id = await makeUser(role, { passwordHash: await hashPassword(PASSWORD), mustChangePassword: false });
  const username = (await getDb().select({ u: users.username }).from(users).where(eq(users.id, id)).get())?.u as string;
  return { id, username };
}

async function passwordStep(username: string, now = new Date()) {
  const r = await authenticate({ username, password: PASSWORD }, req, now);
  if (!r.ok || !('secondFactor' in r)) throw new Error('expected a second step');
  return r;
}

async function actions(): Promise<string[]> {
  return (await getDb().select({ a: auditLog.action }).from(auditLog).all()).map((r) => r.a);
}

describe('两步验证 at sign-in', () => {
  useTestDatabase();

  it('asks admins and auditors to enrol, and organizers only when the policy says so; cadres never', async () => {
    for (const role of ['admin', 'auditor'] as const) {
      expect(await passwordStep((await account(role)).username)).toMatchObject({ secondFactor: 'enrol' });
    }
    const org = await account('organizer');
    const cadre = await account('cadre');
    expect(await authenticate({ username: org.username, password: PASSWORD }, req)).toHaveProperty('sessionId');
    expect(await setTwoFactorPolicy(await signedIn('admin'), { organizers: 'on' }, req)).toMatchObject({ ok: true });
    expect(await passwordStep(org.username)).toMatchObject({ secondFactor: 'enrol' });
    expect(await authenticate({ username: cadre.username, password: PASSWORD }, req)).toHaveProperty('sessionId');
    expect(await actions()).toContain('settings.two_factor');
  });

  it('enrols with a code from the secret, stores ten hashed recovery codes, then verifies and refuses a reused code', async () => {
    const t0 = new Date('2026-03-02T01:00:10Z');
    const admin = await account('admin');
    const step = await passwordStep(admin.username, t0);
    // No sign-in row before the second factor.
    expect(await getDb().select().from(authSessions).all()).toEqual([]);
    const secret = newTotpSecret();
    const pending: PendingSignIn = { userId: admin.id, passwordStamp: step.passwordStamp, secret };
    expect(await enrolSecondFactor(pending, '000000', req, t0)).toMatchObject({ ok: false, message: CODE_REFUSED });
    const code = totpCode(secret, totpStep(t0));
    const enrolled = await enrolSecondFactor(pending, code, req, t0);
    expect(enrolled).toMatchObject({ ok: true });
    const codes = (enrolled as { recoveryCodes: string[] }).recoveryCodes;
    expect(codes).toHaveLength(10);
    // The secret is stored sealed with the data key: the database alone does not give it.
    const kept = (await getDb().select({ s: users.totpSecret }).from(users).where(eq(users.id, admin.id)).get())?.s ?? '';
    expect(isSealed(kept)).toBe(true);
    expect(kept).not.toContain(secret);
    const stored = await getDb().select().from(totpRecoveryCodes).all();
    expect(stored).toHaveLength(10);
    expect(JSON.stringify(stored)).not.toContain(codes[0]);

    // Next sign-in: the same code (same time step) is refused; the next step's code is accepted once.
    const again = await passwordStep(admin.username, t0);
    expect(again.secondFactor).toBe('verify');
    const p2: PendingSignIn = { userId: admin.id, passwordStamp: again.passwordStamp };
    expect(await verifySecondFactor(p2, code, req, t0)).toMatchObject({ ok: false, message: CODE_REFUSED });
    const t1 = new Date(t0.getTime() + 30_000);
    const next = totpCode(secret, totpStep(t1));
    const ok = await verifySecondFactor(p2, next, req, t1);
    expect(ok).toMatchObject({ ok: true });
    expect((await loadViewer(admin.id, (ok as { sessionId: string }).sessionId, t1))?.role).toBe('admin');
    expect(await verifySecondFactor(p2, next, req, t1)).toMatchObject({ ok: false });

    // A recovery code works once.
    expect(await verifySecondFactor(p2, (codes[3] as string).toLowerCase(), req, t1)).toMatchObject({ ok: true });
    expect(await verifySecondFactor(p2, codes[3] as string, req, t1)).toMatchObject({ ok: false, message: CODE_REFUSED });
    expect((await actions()).filter((a) => a === 'login.second_factor_failure')).toHaveLength(4);
    expect(await actions()).toContain('two_factor.enrol');
  });

  it('a pending step ends when the password changes', async () => {
    const admin = await account('admin');
    const step = await passwordStep(admin.username);
    await getDb().update(users).set({ passwordHash: await hashPassword('另一个密码-足够长的-2026') }).where(eq(users.id, admin.id)).run();
    const secret = newTotpSecret();
    expect(await enrolSecondFactor({ userId: admin.id, passwordStamp: step.passwordStamp, secret }, totpCode(secret, totpStep(new Date())), req)).toMatchObject({ ok: false, code: 'expired' });
  });

  it("an admin's reset clears the secret and codes, ends the person's sign-ins, is audited, and asks to enrol again", async () => {
    const auditor = await account('auditor');
    const step = await passwordStep(auditor.username);
    const secret = newTotpSecret();
    const r = await enrolSecondFactor({ userId: auditor.id, passwordStamp: step.passwordStamp, secret }, totpCode(secret, totpStep(new Date())), req);
    expect(r).toMatchObject({ ok: true });
    const admin = await signedIn('admin');
    expect(await resetTwoFactor(await signedIn('organizer'), { id: auditor.id }, req)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await resetTwoFactor(admin, { id: admin.id }, req)).toMatchObject({ ok: false });
    expect(await resetTwoFactor(admin, { id: auditor.id }, req)).toMatchObject({ ok: true });
    expect(await loadViewer(auditor.id, (r as { sessionId: string }).sessionId)).toBeNull();
    expect(await getDb().select().from(totpRecoveryCodes).all()).toEqual([]);
    expect((await getDb().select({ s: users.totpSecret }).from(users).where(eq(users.id, auditor.id)).get())?.s).toBeNull();
    expect(await actions()).toContain('two_factor.reset');
    expect((await passwordStep(auditor.username)).secondFactor).toBe('enrol');
  });

  it('a secret stored in the clear by an older version still signs in, and start-up seals it', async () => {
    const admin = await account('admin');
    const secret = newTotpSecret();
    await getDb().update(users).set({ totpSecret: secret, totpEnabledAt: new Date(), totpLastStep: null }).where(eq(users.id, admin.id)).run();
    const t0 = new Date();
    const step = await passwordStep(admin.username, t0);
    const pending: PendingSignIn = { userId: admin.id, passwordStamp: step.passwordStamp };
    expect(await verifySecondFactor(pending, totpCode(secret, totpStep(t0)), req, t0)).toMatchObject({ ok: true });
    expect(await sealStoredTotpSecrets()).toBe(1);
    expect(await sealStoredTotpSecrets()).toBe(0);
    const kept = (await getDb().select({ s: users.totpSecret }).from(users).where(eq(users.id, admin.id)).get())?.s ?? '';
    expect(isSealed(kept)).toBe(true);
    const t1 = new Date(t0.getTime() + 30_000);
    expect(await verifySecondFactor(pending, totpCode(secret, totpStep(t1)), req, t1)).toMatchObject({ ok: true });
  });

  it('under another data key no code opens the sign-in (fails closed, says why); a recovery code still does', async () => {
    const saved = process.env[DATA_KEY_ENV];
    onTestFinished(() => {
      if (saved === undefined) delete process.env[DATA_KEY_ENV];
      else process.env[DATA_KEY_ENV] = saved;
    });
    process.env[DATA_KEY_ENV] = 'first-key-'.repeat(5);
    const admin = await account('admin');
    const t0 = new Date();
    const step = await passwordStep(admin.username, t0);
    const secret = newTotpSecret();
    const enrolled = await enrolSecondFactor({ userId: admin.id, passwordStamp: step.passwordStamp, secret }, totpCode(secret, totpStep(t0)), req, t0);
    const codes = (enrolled as { recoveryCodes: string[] }).recoveryCodes;
    const sessionsBefore = (await getDb().select().from(authSessions).all()).length;

    process.env[DATA_KEY_ENV] = 'other-key-'.repeat(5);
    const t1 = new Date(t0.getTime() + 30_000);
    const again = await passwordStep(admin.username, t1);
    const pending: PendingSignIn = { userId: admin.id, passwordStamp: again.passwordStamp };
    expect(await verifySecondFactor(pending, totpCode(secret, totpStep(t1)), req, t1)).toMatchObject({ ok: false, code: 'unreadable', message: SECRET_UNREADABLE });
    expect(await getDb().select().from(authSessions).all()).toHaveLength(sessionsBefore);
    expect(await verifySecondFactor(pending, codes[0] as string, req, t1)).toMatchObject({ ok: true });
  });
});
