import { changesOf } from '@/db';
import 'server-only';
import { and, eq, isNull } from 'drizzle-orm';
import { getDb } from '@/db';
import { actorOf, writeAudit } from '@/db/audit';
import { mutation, transaction } from '@/db/mutation';
import { settings, totpRecoveryCodes, users, type User } from '@/db/schema';
import { fail, type Failure } from '@/lib/action-result';
import { seal, unseal } from '@/lib/auth/sealed';
import { accountKey, isBlocked, minutesLeft, pairKey } from '@/lib/auth/throttle';
import {
  acceptedStep,
  hashRecoveryCode,
  looksLikeRecoveryCode,
  newRecoveryCodes,
} from '@/lib/auth/totp';
import type { Viewer } from '@/lib/auth/viewer-type';
import { assertRole } from '@/lib/auth/guard';
import { canChangeOwnAccess } from '@/lib/authz';
import type { RequestInfo } from '@/lib/request';
import { resetTwoFactorSchema, twoFactorPolicySchema } from '@/lib/validation/two-factor';
import { openSignIn, passwordStamp, readThrottle, recordFailure, revokeSessions, type SignInResult } from './auth';
import { ORGANIZERS_KEY, organizersNeedTwoFactor } from './two-factor-policy';
import { totpContext } from './two-factor-seal';

export { sealStoredTotpSecrets } from './two-factor-seal';

// 两步验证 (TOTP, RFC 6238): the second sign-in step, enrolment at sign-in, the admin's reset and
// the organizers' policy. The pending step between password and code lives in an encrypted
// cookie (lib/auth/pending-sign-in.ts); no sign-in row exists until both factors have passed.

export const CODE_REFUSED = '验证码不正确或已经用过，请输入验证器上新的验证码';
export const SECRET_UNREADABLE = '这个账号的两步验证密钥无法读取（数据密钥与保存时不同），请联系管理员重置两步验证';
export const PENDING_ENDED = '登录已失效，请重新输入账号和密码';

export interface PendingSignIn {
  userId: number;
  passwordStamp: string;
  /** Set while enrolling: the secret the QR code shows, kept only in the encrypted cookie. */
  secret?: string;
}

type Enrolled = SignInResult & { recoveryCodes?: string[] };

async function pendingUser(pending: PendingSignIn): Promise<User | null> {
  const user = await getDb().select().from(users).where(eq(users.id, pending.userId)).get();
  if (!user || !user.active || passwordStamp(user.passwordHash) !== pending.passwordStamp) return null;
  return user;
}

async function throttled(user: User, req: RequestInfo, now: Date): Promise<Failure | null> {
  for (const key of [pairKey(user.username, req.ip), accountKey(user.username)]) {
    const state = await readThrottle(getDb(), key);
    if (state && isBlocked(state, now)) return fail('throttled', `尝试次数过多，请 ${minutesLeft(state, now)} 分钟后再试`);
  }
  return null;
}

/** A wrong code counts like a wrong password (per account and address, and per account) and is audited. */
async function refuseCode(user: User, req: RequestInfo, now: Date, how: string): Promise<Failure> {
  await transaction(async (tx) => {
    await recordFailure(tx, pairKey(user.username, req.ip), now);
    await recordFailure(tx, accountKey(user.username), now);
    await writeAudit(tx, { actorId: user.id, actorUsername: user.username, action: 'login.second_factor_failure', ip: req.ip, detail: { how } });
  });
  return fail('invalid', CODE_REFUSED, { code: [CODE_REFUSED] });
}

/**
 * The second step for an enrolled account: a 6-digit code from the authenticator (never one whose
 * time step was already used) or an unused recovery code. Opens the sign-in row on success.
 */
export async function verifySecondFactor(pending: PendingSignIn, code: string, req: RequestInfo, now = new Date()): Promise<SignInResult> {
  const user = await pendingUser(pending);
  if (!user?.totpSecret) return fail('expired', PENDING_ENDED);
  const blocked = await throttled(user, req, now);
  if (blocked) return blocked;
  if (looksLikeRecoveryCode(code)) {
    const hash = hashRecoveryCode(code);
    const result = await openSignIn(user, req, now, {
      detail: { secondFactor: 'recovery' },
      inside: async (tx) => {
        const used = changesOf((await tx
          .update(totpRecoveryCodes)
          .set({ usedAt: now })
          .where(and(eq(totpRecoveryCodes.userId, user.id), eq(totpRecoveryCodes.codeHash, hash), isNull(totpRecoveryCodes.usedAt)))
          .run()));
        return used ? undefined : fail('invalid', CODE_REFUSED);
      },
    });
    return result.ok || result.message !== CODE_REFUSED ? result : await refuseCode(user, req, now, 'recovery');
  }
  // Fails closed: a secret that does not open (the data key changed) lets no code through; a
  // recovery code above still works, and an admin's reset lets the person enrol again.
  const secret = unseal(user.totpSecret, totpContext(user.id));
  if (secret === null) return fail('unreadable', SECRET_UNREADABLE);
  const result = await openSignIn(user, req, now, {
    detail: { secondFactor: 'totp' },
    inside: async (tx) => {
      // Read under the write lock: two requests with the same code cannot both pass.
      const last = (await tx.select({ step: users.totpLastStep }).from(users).where(eq(users.id, user.id)).get())?.step ?? null;
      const step = acceptedStep(secret, code, last, now);
      if (step === null) return fail('invalid', CODE_REFUSED);
      await tx.update(users).set({ totpLastStep: step }).where(eq(users.id, user.id)).run();
      return undefined;
    },
  });
  return result.ok || result.message !== CODE_REFUSED ? result : await refuseCode(user, req, now, 'totp');
}

/**
 * Enrolment at sign-in: the code typed proves the authenticator holds the secret shown; the
 * secret is stored, ten recovery codes replace any earlier ones (returned once, stored hashed),
 * and the sign-in row opens.
 */
export async function enrolSecondFactor(pending: PendingSignIn, code: string, req: RequestInfo, now = new Date()): Promise<Enrolled> {
  const user = await pendingUser(pending);
  const secret = pending.secret;
  if (!user || !secret || user.totpEnabledAt) return fail('expired', PENDING_ENDED);
  const blocked = await throttled(user, req, now);
  if (blocked) return blocked;
  const step = acceptedStep(secret, code, null, now);
  if (step === null) return await refuseCode(user, req, now, 'enrol');
  const codes = newRecoveryCodes();
  const result = await openSignIn(user, req, now, {
    detail: { secondFactor: 'enrol' },
    inside: async (tx) => {
      await tx.update(users)
        .set({ totpSecret: seal(secret, totpContext(user.id)), totpEnabledAt: now, totpLastStep: step, updatedAt: now })
        .where(eq(users.id, user.id))
        .run();
      await tx.delete(totpRecoveryCodes).where(eq(totpRecoveryCodes.userId, user.id)).run();
      await tx.insert(totpRecoveryCodes).values(codes.map((c) => ({ userId: user.id, codeHash: hashRecoveryCode(c) }))).run();
      await writeAudit(tx, { actorId: user.id, actorUsername: user.username, action: 'two_factor.enrol', targetType: 'user', targetId: user.id, ip: req.ip });
    },
  });
  return result.ok ? { ...result, recoveryCodes: codes } : result;
}

export interface TwoFactorStatusDto {
  enrolled: boolean;
  enrolledAt: Date | null;
  required: boolean;
  recoveryCodesLeft: number;
}

/** The admin's view of one account's 两步验证. */
export async function getTwoFactorStatus(viewer: Viewer, { userId }: { userId: number }): Promise<TwoFactorStatusDto> {
  assertRole(viewer, 'admin');
  const db = getDb();
  const user = await db.select({ role: users.role, at: users.totpEnabledAt }).from(users).where(eq(users.id, userId)).get();
  if (!user) return { enrolled: false, enrolledAt: null, required: false, recoveryCodesLeft: 0 };
  const left = (await db
    .select({ id: totpRecoveryCodes.id })
    .from(totpRecoveryCodes)
    .where(and(eq(totpRecoveryCodes.userId, userId), isNull(totpRecoveryCodes.usedAt)))
    .all()).length;
  const required = user.role === 'admin' || user.role === 'auditor' || (user.role === 'organizer' && await organizersNeedTwoFactor(db));
  return { enrolled: !!user.at, enrolledAt: user.at, required, recoveryCodesLeft: left };
}

export async function getTwoFactorPolicy(viewer: Viewer): Promise<{ organizers: boolean }> {
  assertRole(viewer, 'admin');
  return { organizers: await organizersNeedTwoFactor(getDb()) };
}

/**
 * 重置两步验证 (a lost phone): the secret and recovery codes go, every sign-in of the person ends,
 * and they enrol afresh at their next sign-in. Not for one's own account.
 */
export const resetTwoFactor = mutation({
  roles: ['admin'],
  schema: resetTwoFactorSchema,
  async run(tx, { viewer, request }, { id }) {
    if (!canChangeOwnAccess(viewer, id)) return fail('forbidden', '不能重置自己的两步验证');
    const target = await tx.select({ username: users.username, at: users.totpEnabledAt }).from(users).where(eq(users.id, id)).get();
    if (!target) return fail('not_found', '账号不存在');
    if (!target.at) return fail('invalid', '这个账号还没有启用两步验证');
    await tx.update(users).set({ totpSecret: null, totpEnabledAt: null, totpLastStep: null, updatedAt: new Date() }).where(eq(users.id, id)).run();
    await tx.delete(totpRecoveryCodes).where(eq(totpRecoveryCodes.userId, id)).run();
    await revokeSessions(tx, [id]);
    await writeAudit(tx, { ...actorOf(viewer, request), action: 'two_factor.reset', targetType: 'user', targetId: id, detail: { username: target.username } });
    return { ok: true as const };
  },
});

/** Whether organizers must use 两步验证 too (admins and auditors always do). */
export const setTwoFactorPolicy = mutation({
  roles: ['admin'],
  schema: twoFactorPolicySchema,
  async run(tx, { viewer, request }, { organizers }) {
    const value = organizers ? 'true' : 'false';
    const now = new Date();
    await tx.insert(settings)
      .values({ key: ORGANIZERS_KEY, value, updatedAt: now })
      .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: now } })
      .run();
    await writeAudit(tx, { ...actorOf(viewer, request), action: 'settings.two_factor', detail: { organizers } });
    return { ok: true as const };
  },
});
