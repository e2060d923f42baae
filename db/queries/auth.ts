import 'server-only';
import { randomBytes } from 'node:crypto';
import { and, eq, gt, inArray, isNull, ne } from 'drizzle-orm';
import { getDb, type Tx } from '@/db';
import { authSessions, loginThrottle, users, type Role } from '@/db/schema';
import { fail, type Failure } from '@/lib/action-result';
import { writeAudit } from '@/db/audit';
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

export const SESSION_MAX_AGE_S = 8 * 60 * 60;

export const SIGN_IN_FAILED = '账号或密码不正确';

export type SignInResult =
  | { ok: true; userId: number; sessionId: string; role: Role; mustChangePassword: boolean }
  | Failure;

function readThrottle(tx: Tx, key: string): ThrottleState | undefined {
  const row = tx.select().from(loginThrottle).where(eq(loginThrottle.key, key)).get();
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
 * for unknown and inactive accounts too, so the time taken tells nothing.
 */
export async function authenticate(
  input: { username: string; password: string },
  req: RequestInfo,
  now = new Date(),
): Promise<SignInResult> {
  const db = getDb();
  const username = input.username.trim().toLowerCase();
  const keys = [accountKey(username), addressKey(req.ip)];

  const blocked = db.transaction((tx) => {
    const states = keys.map((k) => readThrottle(tx, k));
    const blockedState = states.find((s) => isBlocked(s, now));
    if (!blockedState) return null;
    writeAudit(tx, {
      actorId: null,
      actorUsername: username,
      action: 'login.blocked',
      ip: req.ip,
      detail: { by: isBlocked(states[0], now) ? 'account' : 'address' },
    });
    return minutesLeft(blockedState, now);
  });
  if (blocked !== null) {
    return fail('throttled', `尝试次数过多,请 ${blocked} 分钟后再试`);
  }

  const user = db.select().from(users).where(eq(users.username, username)).get();
  const passwordOk = await verifyPassword(user?.passwordHash ?? null, input.password);
  const expired = !!user?.passwordExpiresAt && user.passwordExpiresAt.getTime() <= now.getTime();
  const ok = !!user && passwordOk && user.active && !expired;

  if (!ok) {
    const reason = !user ? 'unknown' : !passwordOk ? 'password' : !user.active ? 'inactive' : 'expired';
    db.transaction((tx) => {
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
  db.transaction((tx) => {
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
  });
  return {
    ok: true,
    userId: user.id,
    sessionId,
    role: user.role,
    mustChangePassword: user.mustChangePassword,
  };
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

/** Revokes one sign-in row: the cookie that carries it stops working on the next request. */
export function signOut(viewer: Pick<Viewer, 'id' | 'username' | 'sessionId'>, req: RequestInfo): void {
  getDb().transaction((tx) => {
    tx.update(authSessions)
      .set({ revokedAt: new Date() })
      .where(and(eq(authSessions.id, viewer.sessionId), eq(authSessions.userId, viewer.id)))
      .run();
    writeAudit(tx, { actorId: viewer.id, actorUsername: viewer.username, action: 'logout', ip: req.ip });
  });
}

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

export async function changeOwnPassword(
  viewer: Viewer,
  input: { currentPassword: string; newPassword: string },
  req: RequestInfo,
): Promise<{ ok: true } | Failure> {
  const db = getDb();
  const row = db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, viewer.id)).get();
  if (!row || !(await verifyPassword(row.hash, input.currentPassword))) {
    return fail('invalid', '当前密码不正确', { currentPassword: ['当前密码不正确'] });
  }
  const problem = passwordProblem(input.newPassword, viewer.username);
  if (problem) return fail('invalid', problem, { newPassword: [problem] });
  const hash = await hashPassword(input.newPassword);
  db.transaction((tx) => {
    tx.update(users)
      .set({
        passwordHash: hash,
        mustChangePassword: false,
        passwordExpiresAt: null,
        passwordChangedAt: new Date(),
        updatedAt: new Date(),
      })
      .where(eq(users.id, viewer.id))
      .run();
    // Every other sign-in of this person ends: a changed password locks out whoever held the old one.
    revokeSessions(tx, [viewer.id], viewer.sessionId);
    writeAudit(tx, {
      actorId: viewer.id,
      actorUsername: viewer.username,
      action: 'password.change',
      targetType: 'user',
      targetId: viewer.id,
      ip: req.ip,
    });
  });
  return { ok: true };
}
