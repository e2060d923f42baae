import 'server-only';
import { randomBytes } from 'node:crypto';
import { and, eq, gt, inArray, isNull, ne } from 'drizzle-orm';
import { getDb, type Tx } from '@/db';
import { authSessions, loginThrottle, users, type Role } from '@/db/schema';
import { actorOf, writeAudit } from '@/db/audit';
import { mutation, preparedMutation, transaction } from '@/db/mutation';
import { fail, type Failure } from '@/lib/action-result';
import { hashPassword, passwordProblem, verifyPassword } from '@/lib/auth/password';
import {
  accountKey,
  addressKey,
  afterFailure,
  isBlocked,
  limitFor,
  minutesLeft,
  type ThrottleState,
} from '@/lib/auth/throttle';
import type { Viewer } from '@/lib/auth/viewer-type';
import type { RequestInfo } from '@/lib/request';
import { changePasswordSchema, signOutSchema } from '@/lib/validation/users';

export const SESSION_MAX_AGE_S = 8 * 60 * 60;

export const SIGN_IN_FAILED = '账号或密码不正确';
export const PASSWORD_CHANGED_MEANWHILE = '密码刚刚被修改过，请重新输入当前密码';

export type SignInResult =
  | { ok: true; userId: number; sessionId: string; role: Role; mustChangePassword: boolean }
  | Failure;

function readThrottle(db: Tx | ReturnType<typeof getDb>, key: string): ThrottleState | undefined {
  const row = db.select().from(loginThrottle).where(eq(loginThrottle.key, key)).get();
  return row ?? undefined;
}

function recordFailure(tx: Tx, key: string, now: Date): void {
  const next = afterFailure(readThrottle(tx, key), now, limitFor(key));
  tx.insert(loginThrottle)
    .values({ key, ...next })
    .onConflictDoUpdate({ target: loginThrottle.key, set: next })
    .run();
}

/**
 * Checks a sign-in and, when it succeeds, opens a sign-in row. The password hash is computed
 * for unknown and inactive accounts too, so the time taken tells nothing. There is no viewer yet,
 * so each write goes through the kernel's bare `transaction`: a refusal records its throttle and
 * audit rows and commits them; only the sign-in row itself can be refused after the check.
 */
export async function authenticate(
  input: { username: string; password: string },
  req: RequestInfo,
  now = new Date(),
): Promise<SignInResult> {
  const db = getDb();
  const username = input.username.trim().toLowerCase();
  const keys = [accountKey(username), addressKey(req.ip)];

  const states = keys.map((k) => readThrottle(db, k));
  const blockedState = states.find((s) => isBlocked(s, now));
  if (blockedState) {
    transaction((tx) => {
      writeAudit(tx, {
        actorId: null,
        actorUsername: username,
        action: 'login.blocked',
        ip: req.ip,
        detail: { by: isBlocked(states[0], now) ? 'account' : 'address' },
      });
    });
    return fail('throttled', `尝试次数过多,请 ${minutesLeft(blockedState, now)} 分钟后再试`);
  }

  const user = db.select().from(users).where(eq(users.username, username)).get();
  const passwordOk = await verifyPassword(user?.passwordHash ?? null, input.password);
  const expired = !!user?.passwordExpiresAt && user.passwordExpiresAt.getTime() <= now.getTime();
  const ok = !!user && passwordOk && user.active && !expired;

  if (!ok) {
    const reason = !user ? 'unknown' : !passwordOk ? 'password' : !user.active ? 'inactive' : 'expired';
    // The failure is counted and audited (committed); the refusal is returned after the commit.
    transaction((tx) => {
      for (const k of keys) recordFailure(tx, k, now);
      writeAudit(tx, {
        actorId: user?.id ?? null,
        actorUsername: username,
        action: 'login.failure',
        ip: req.ip,
        detail: { reason },
      });
    });
    if (reason === 'expired') {
      return fail('expired', '一次性密码已过期,请联系管理员重置密码');
    }
    return fail('invalid', SIGN_IN_FAILED);
  }

  const sessionId = randomBytes(24).toString('base64url');
  return transaction((tx): SignInResult => {
    // Read again under the write lock: an account deactivated or reset while the password was
    // being checked gets no sign-in row.
    const current = tx
      .select({ active: users.active, passwordHash: users.passwordHash, role: users.role, mustChangePassword: users.mustChangePassword })
      .from(users)
      .where(eq(users.id, user.id))
      .get();
    if (!current?.active || current.passwordHash !== user.passwordHash) return fail('invalid', SIGN_IN_FAILED);
    tx.delete(loginThrottle).where(eq(loginThrottle.key, keys[0] as string)).run();
    tx.insert(authSessions)
      .values({
        id: sessionId,
        userId: user.id,
        createdAt: now,
        expiresAt: new Date(now.getTime() + SESSION_MAX_AGE_S * 1000),
        ip: req.ip,
        userAgent: req.userAgent,
      })
      .run();
    writeAudit(tx, { actorId: user.id, actorUsername: user.username, action: 'login.success', ip: req.ip });
    return { ok: true, userId: user.id, sessionId, role: current.role, mustChangePassword: current.mustChangePassword };
  });
}

/** The viewer behind a sign-in row, or null when the row is revoked, expired or the user inactive. */
export function loadViewer(userId: unknown, sessionId: unknown, now = new Date()): Viewer | null {
  if (typeof userId !== 'number' || typeof sessionId !== 'string' || !sessionId) return null;
  const row = getDb()
    .select({
      id: users.id,
      username: users.username,
      name: users.name,
      title: users.title,
      unitId: users.unitId,
      role: users.role,
      mustChangePassword: users.mustChangePassword,
    })
    .from(authSessions)
    .innerJoin(users, eq(users.id, authSessions.userId))
    .where(
      and(
        eq(authSessions.id, sessionId),
        eq(authSessions.userId, userId),
        isNull(authSessions.revokedAt),
        gt(authSessions.expiresAt, now),
        eq(users.active, true),
      ),
    )
    .get();
  return row ? ({ ...row, sessionId } as Viewer) : null;
}

/** Revokes the viewer's own sign-in row: the cookie that carries it stops working on the next request. */
export const signOut = mutation({
  roles: ['cadre', 'organizer', 'admin'],
  // Someone who has not yet replaced a one-time password can still leave.
  allowPasswordChange: true,
  schema: signOutSchema,
  run(tx, { viewer, request }) {
    tx.update(authSessions)
      .set({ revokedAt: new Date() })
      .where(and(eq(authSessions.id, viewer.sessionId), eq(authSessions.userId, viewer.id)))
      .run();
    writeAudit(tx, { ...actorOf(viewer, request), action: 'logout' });
    return { ok: true as const };
  },
});

/** Revokes every open sign-in of these users except `keep`; runs inside the caller's transaction. */
export function revokeSessions(tx: Tx, userIds: number[], keep?: string): void {
  if (userIds.length === 0) return;
  const conditions = [inArray(authSessions.userId, userIds), isNull(authSessions.revokedAt)];
  if (keep) conditions.push(ne(authSessions.id, keep));
  tx.update(authSessions)
    .set({ revokedAt: new Date() })
    .where(and(...conditions))
    .run();
}

/**
 * Replaces the viewer's own password (the one change open to a one-time password). The current
 * password is checked and the new one hashed before the transaction: argon2 is slow and must not
 * hold the write lock.
 */
export const changeOwnPassword = preparedMutation({
  roles: ['cadre', 'organizer', 'admin'],
  allowPasswordChange: true,
  schema: changePasswordSchema,
  async prepare({ viewer }, input) {
    const row = getDb().select({ hash: users.passwordHash }).from(users).where(eq(users.id, viewer.id)).get();
    if (!row || !(await verifyPassword(row.hash, input.currentPassword))) {
      return fail('invalid', '当前密码不正确', { currentPassword: ['当前密码不正确'] });
    }
    const problem = passwordProblem(input.newPassword, viewer.username);
    if (problem) return fail('invalid', problem, { newPassword: [problem] });
    return { checkedHash: row.hash, newHash: await hashPassword(input.newPassword) };
  },
  run(tx, { viewer, request }, _input, { checkedHash, newHash }) {
    // A reset by an administrator (or a change in another tab) while this one was hashing wins.
    const current = tx.select({ hash: users.passwordHash }).from(users).where(eq(users.id, viewer.id)).get();
    if (current?.hash !== checkedHash) return fail('stale', PASSWORD_CHANGED_MEANWHILE);
    const now = new Date();
    tx.update(users)
      .set({ passwordHash: newHash, mustChangePassword: false, passwordExpiresAt: null, passwordChangedAt: now, updatedAt: now })
      .where(eq(users.id, viewer.id))
      .run();
    // Every other sign-in of this person ends: a changed password locks out whoever held the old one.
    revokeSessions(tx, [viewer.id], viewer.sessionId);
    writeAudit(tx, { ...actorOf(viewer, request), action: 'password.change', targetType: 'user', targetId: viewer.id });
    return { ok: true as const };
  },
});
