import { changesOf } from '@/db';
import 'server-only';
import { createHash, randomBytes } from 'node:crypto';
import { instant } from '@/db/sql-kit';
import { and, eq, gt, inArray, isNull, lt, ne, or, sql } from 'drizzle-orm';
import { getDb, writeIfFree, type Tx } from '@/db';
import { authSessions, loginThrottle, users, type Role, type User } from '@/db/schema';
import { actorOf, writeAudit } from '@/db/audit';
import { isBusyError, mutation, preparedMutation, transaction } from '@/db/mutation';
import { fail, type Failure } from '@/lib/action-result';
import { idleTimeoutMs, isIdle, LAST_SEEN_STEP_MS, needsTouch } from '@/lib/auth/idle';
import { hashPassword, passwordProblem, verifyPassword } from '@/lib/auth/password';
import {
  accountKey,
  addressKey,
  afterFailure,
  isBlocked,
  minutesLeft,
  pairKey,
  ruleFor,
  startedBlock,
  USUAL_ADDRESS_DAYS,
  type ThrottleState,
} from '@/lib/auth/throttle';
import { shellFactColumns } from './app-shell';
import { notify } from './notifications';
import { prepared } from './reflections/prepared';
import { secondFactorFor } from './two-factor-policy';
import type { Viewer } from '@/lib/auth/viewer-type';
import { rememberShellFacts } from '@/lib/auth/shell-facts';
import type { RequestInfo } from '@/lib/request';
import { changePasswordSchema, signOutSchema } from '@/lib/validation/users';

export const SESSION_MAX_AGE_S = 8 * 60 * 60;

export const SIGN_IN_FAILED = '账号或密码不正确';
export const PASSWORD_CHANGED_MEANWHILE = '密码刚刚被修改过，请重新输入当前密码';

export type SignInResult =
  | { ok: true; userId: number; sessionId: string; role: Role; mustChangePassword: boolean }
  | Failure;

/** The password was right and the account needs its second factor: no sign-in row yet. */
export type SecondFactorNeeded = {
  ok: true;
  secondFactor: 'verify' | 'enrol';
  userId: number;
  username: string;
  /** Binds the pending step to the password it followed: a reset in between ends it. */
  passwordStamp: string;
};

/** A short fingerprint of the stored password hash (never the hash itself) for the pending step. */
export function passwordStamp(hash: string): string {
  return createHash('sha256').update(hash, 'utf8').digest('base64url').slice(0, 16);
}

export async function readThrottle(db: Tx | ReturnType<typeof getDb>, key: string): Promise<ThrottleState | undefined> {
  const row = await db.select().from(loginThrottle).where(eq(loginThrottle.key, key)).get();
  return row ?? undefined;
}

/** Counts one failure against a key; true when this failure started the key's block. */
export async function recordFailure(tx: Tx, key: string, now: Date): Promise<boolean> {
  const before = await readThrottle(tx, key);
  const rule = ruleFor(key);
  const next = afterFailure(before, now, rule.limit, rule.windowMs);
  await tx.insert(loginThrottle)
    .values({ key, ...next })
    .onConflictDoUpdate({ target: loginThrottle.key, set: next })
    .run();
  return startedBlock(before, next, now);
}

/** True when the user signed in from this address within USUAL_ADDRESS_DAYS. */
async function isUsualAddress(db: Tx | ReturnType<typeof getDb>, userId: number, ip: string, now: Date): Promise<boolean> {
  const since = new Date(now.getTime() - USUAL_ADDRESS_DAYS * 24 * 3600_000);
  return !!await db
    .select({ id: authSessions.id })
    .from(authSessions)
    .where(and(eq(authSessions.userId, userId), eq(authSessions.ip, ip), gt(authSessions.createdAt, since)))
    .get();
}

/** The account limit tripped: its owner and every active admin are told, in the failure's transaction. */
async function warnAccountLimited(tx: Tx, user: User, req: RequestInfo): Promise<void> {
  const admins = (await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, 'admin'), eq(users.active, true)))
    .all())
    .map((a) => a.id);
  const body =
    '一小时内多次输入错误的密码，已暂停从其他地址登录这个账号一小时；本人近期登录过的地址不受影响。如果不是本人所为，请尽快修改密码，或联系管理员。';
  await notify(tx, [...new Set([user.id, ...admins])], { kind: 'security', title: `账号“${user.username}”登录失败次数过多`, body, link: null });
  await writeAudit(tx, {
    actorId: null,
    actorUsername: user.username,
    action: 'login.account_limited',
    targetType: 'user',
    targetId: user.id,
    ip: req.ip,
  });
}

/**
 * Checks a sign-in and, when it succeeds, opens a sign-in row. Every path runs the same password
 * work (lib/auth/password.ts), unknown and inactive accounts included. There is no viewer yet,
 * so each write goes through the kernel's bare `transaction`: a refusal records its throttle and
 * audit rows and commits them; only the sign-in row itself can be refused after the check.
 * Throttling is per (account, address), per address and per account (lib/auth/throttle.ts).
 */
export async function authenticate(
  input: { username: string; password: string },
  req: RequestInfo,
  now = new Date(),
): Promise<SignInResult | SecondFactorNeeded> {
  const db = getDb();
  const username = input.username.trim().toLowerCase();
  const pair = pairKey(username, req.ip);
  const address = addressKey(req.ip);
  const account = accountKey(username);
  const user = await db.select().from(users).where(eq(users.username, username)).get();

  const pairState = await readThrottle(db, pair);
  const addressState = await readThrottle(db, address);
  const accountState = await readThrottle(db, account);
  let blocked: { by: 'pair' | 'address' | 'account'; state: ThrottleState } | null = null;
  if (pairState && isBlocked(pairState, now)) blocked = { by: 'pair', state: pairState };
  else if (addressState && isBlocked(addressState, now)) blocked = { by: 'address', state: addressState };
  else if (accountState && isBlocked(accountState, now) && !(user && await isUsualAddress(db, user.id, req.ip, now))) {
    // Unknown accounts have no usual address, so they are refused the same way: nothing is told.
    blocked = { by: 'account', state: accountState };
  }
  if (blocked) {
    const by = blocked.by;
    await transaction(async (tx) => {
      await writeAudit(tx, { actorId: null, actorUsername: username, action: 'login.blocked', ip: req.ip, detail: { by } });
    });
    return fail('throttled', `尝试次数过多，请 ${minutesLeft(blocked.state, now)} 分钟后再试`);
  }

  const passwordOk = await verifyPassword(user?.passwordHash ?? null, input.password);
  const expired = !!user?.passwordExpiresAt && user.passwordExpiresAt.getTime() <= now.getTime();
  const ok = !!user && passwordOk && user.active && !expired;

  if (!ok) {
    const reason = !user ? 'unknown' : !passwordOk ? 'password' : !user.active ? 'inactive' : 'expired';
    // The failure is counted and audited (committed); the refusal is returned after the commit.
    // Counted or not answered: when the write lock stays taken (busy), the person is told to try
    // again and learns nothing about the password.
    const counted = await transaction(async (tx) => {
      await recordFailure(tx, pair, now);
      await recordFailure(tx, address, now);
      const accountLimited = await recordFailure(tx, account, now);
      await writeAudit(tx, {
        actorId: user?.id ?? null,
        actorUsername: username,
        action: 'login.failure',
        ip: req.ip,
        detail: { reason },
      });
      if (accountLimited && user) await warnAccountLimited(tx, user, req);
    });
    if (counted) return counted;
    if (reason === 'expired') {
      return fail('expired', '一次性密码已过期，请联系管理员重置密码');
    }
    return fail('invalid', SIGN_IN_FAILED);
  }

  const secondFactor = await secondFactorFor(db, user);
  if (secondFactor) return { ok: true, secondFactor, userId: user.id, username: user.username, passwordStamp: passwordStamp(user.passwordHash) };
  return await openSignIn(user, req, now);
}

/**
 * Opens the sign-in row once every factor has passed (the password alone, or the password and
 * then the second factor: db/queries/two-factor.ts). `inside` runs first in the same transaction
 * (the second factor's own writes).
 */
export async function openSignIn(
  user: Pick<User, 'id' | 'username' | 'passwordHash'>,
  req: RequestInfo,
  now: Date,
  opts: { detail?: Record<string, unknown>; inside?: (tx: Tx) => (Failure | void) | Promise<Failure | void> } = {},
): Promise<SignInResult> {
  const pair = pairKey(user.username, req.ip);
  const sessionId = randomBytes(24).toString('base64url');
  return await transaction(async (tx): Promise<SignInResult> => {
    // Read again under the write lock: an account deactivated or reset while the password was
    // being checked gets no sign-in row.
    const current = await tx
      .select({ active: users.active, passwordHash: users.passwordHash, role: users.role, mustChangePassword: users.mustChangePassword })
      .from(users)
      .where(eq(users.id, user.id))
      .get();
    if (!current?.active || current.passwordHash !== user.passwordHash) return fail('invalid', SIGN_IN_FAILED);
    const refused = await opts.inside?.(tx);
    if (refused) return refused;
    // The owner's own address starts afresh; the account's counter runs out on its own, so that
    // someone still guessing elsewhere stays refused (and the owner is not told twice an hour).
    await tx.delete(loginThrottle).where(eq(loginThrottle.key, pair)).run();
    await tx.insert(authSessions)
      .values({
        id: sessionId,
        userId: user.id,
        createdAt: now,
        expiresAt: new Date(now.getTime() + SESSION_MAX_AGE_S * 1000),
        ip: req.ip,
        userAgent: req.userAgent,
      })
      .run();
    await writeAudit(tx, { actorId: user.id, actorUsername: user.username, action: 'login.success', ip: req.ip, detail: opts.detail });
    return { ok: true, userId: user.id, sessionId, role: current.role, mustChangePassword: current.mustChangePassword };
  });
}

// Every signed-in request reads its sign-in row: built and prepared once per connection
// (./reflections/prepared.ts), with the session, the account and the time as placeholders.
const viewerRow = () =>
  prepared('viewer-row', (db) =>
    db
      .select({
        lastSeenAt: authSessions.lastSeenAt,
        createdAt: authSessions.createdAt,
        id: users.id,
        username: users.username,
        name: users.name,
        title: users.title,
        unitId: users.unitId,
        role: users.role,
        mustChangePassword: users.mustChangePassword,
        // The frame's facts, here rather than a statement of their own on every signed-in page.
        ...shellFactColumns,
      })
      .from(authSessions)
      .innerJoin(users, eq(users.id, authSessions.userId))
      .where(
        and(
          eq(authSessions.id, sql.placeholder('sid')),
          eq(authSessions.userId, sql.placeholder('uid')),
          isNull(authSessions.revokedAt),
          sql`${authSessions.expiresAt} > ${sql.placeholder('now')}`,
          eq(users.active, true),
        ),
      )
      .prepare(),
  );

/**
 * The viewer behind a sign-in row, or null when the row is revoked, expired, idle for longer than
 * the idle timeout (lib/auth/idle.ts: the row is then revoked and the ending audited) or the user
 * inactive. A live row's last-seen time is refreshed at most once a minute.
 */
export async function loadViewer(userId: unknown, sessionId: unknown, now = new Date()): Promise<Viewer | null> {
  if (typeof userId !== 'number' || typeof sessionId !== 'string' || !sessionId) return null;
  const found = await viewerRow().get({ sid: sessionId, uid: userId, now: instant(now) });
  if (!found) return null;
  const { lastSeenAt, createdAt, largeUi, unread, ...row } = found;
  const lastSeen = lastSeenAt ?? createdAt;
  if (isIdle(lastSeen, now)) {
    await endIdleSignIn(row.id, row.username, sessionId, lastSeen, now);
    return null;
  }
  if (needsTouch(lastSeen, now)) {
    // Conditional, so that concurrent requests in the same minute (in any server process) write once.
    // A touch that finds the write lock taken (another process's write, a roster import committing
    // on its thread) is skipped at once rather than waited for (db/no-wait.ts): the page does not
    // wait for somebody else's write, a later request writes it, and the idle timeout counts in minutes.
    try {
      await writeIfFree(() =>
        getDb()
          .update(authSessions)
          .set({ lastSeenAt: now })
          .where(and(eq(authSessions.id, sessionId), or(isNull(authSessions.lastSeenAt), lt(authSessions.lastSeenAt, new Date(now.getTime() - LAST_SEEN_STEP_MS)))))
          .run(),
      );
    } catch (e) {
      if (!isBusyError(e)) throw e;
    }
  }
  const viewer = { ...row, sessionId } as Viewer;
  rememberShellFacts(viewer, { largeUi, unread: Number(unread) });
  return viewer;
}

/** An idle sign-in ends like a sign-out: the row is revoked (once) and the ending audited. */
async function endIdleSignIn(userId: number, username: string, sessionId: string, lastSeen: Date, now: Date): Promise<void> {
  await transaction(async (tx) => {
    const changed = changesOf((await tx
      .update(authSessions)
      .set({ revokedAt: now })
      .where(and(eq(authSessions.id, sessionId), eq(authSessions.userId, userId), isNull(authSessions.revokedAt)))
      .run()));
    if (changed) {
      await writeAudit(tx, {
        actorId: userId,
        actorUsername: username,
        action: 'session.idle',
        detail: { lastSeenAt: lastSeen.toISOString(), idleMinutes: Math.round(idleTimeoutMs() / 60_000) },
      });
    }
  });
}

/** Revokes the viewer's own sign-in row: the cookie that carries it stops working on the next request. */
export const signOut = mutation({
  roles: ['cadre', 'organizer', 'admin', 'auditor'],
  // Someone who has not yet replaced a one-time password can still leave.
  allowPasswordChange: true,
  schema: signOutSchema,
  async run(tx, { viewer, request }) {
    await tx.update(authSessions)
      .set({ revokedAt: new Date() })
      .where(and(eq(authSessions.id, viewer.sessionId), eq(authSessions.userId, viewer.id)))
      .run();
    await writeAudit(tx, { ...actorOf(viewer, request), action: 'logout' });
    return { ok: true as const };
  },
});

/**
 * next-auth's own POST /api/auth/signout clears the cookie; this revokes the sign-in row behind
 * it too, so that a copy of the cookie stops working as it does after 退出登录. Runs from
 * next-auth's signOut event, with the ids the signed token carries (nothing when it has none).
 */
export async function revokeSignIn(userId: unknown, sessionId: unknown, req: RequestInfo): Promise<void> {
  if (typeof userId !== 'number' || typeof sessionId !== 'string' || !sessionId) return;
  await transaction(async (tx) => {
    const row = await tx
      .select({ username: users.username, revokedAt: authSessions.revokedAt })
      .from(authSessions)
      .innerJoin(users, eq(users.id, authSessions.userId))
      .where(and(eq(authSessions.id, sessionId), eq(authSessions.userId, userId)))
      .get();
    if (!row || row.revokedAt) return;
    await tx.update(authSessions)
      .set({ revokedAt: new Date() })
      .where(and(eq(authSessions.id, sessionId), eq(authSessions.userId, userId)))
      .run();
    await writeAudit(tx, { actorId: userId, actorUsername: row.username, action: 'logout', ip: req.ip });
  });
}

/** Revokes every open sign-in of these users except `keep`; runs inside the caller's transaction. */
export async function revokeSessions(tx: Tx, userIds: number[], keep?: string): Promise<void> {
  if (userIds.length === 0) return;
  const conditions = [inArray(authSessions.userId, userIds), isNull(authSessions.revokedAt)];
  if (keep) conditions.push(ne(authSessions.id, keep));
  await tx.update(authSessions)
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
  roles: ['cadre', 'organizer', 'admin', 'auditor'],
  allowPasswordChange: true,
  schema: changePasswordSchema,
  async prepare({ viewer }, input) {
    const row = await getDb().select({ hash: users.passwordHash }).from(users).where(eq(users.id, viewer.id)).get();
    if (!row || !(await verifyPassword(row.hash, input.currentPassword))) {
      return fail('invalid', '当前密码不正确', { currentPassword: ['当前密码不正确'] });
    }
    const problem = passwordProblem(input.newPassword, viewer.username);
    if (problem) return fail('invalid', problem, { newPassword: [problem] });
    return { checkedHash: row.hash, newHash: await hashPassword(input.newPassword) };
  },
  async run(tx, { viewer, request }, _input, { checkedHash, newHash }) {
    // A reset by an administrator (or a change in another tab) while this one was hashing wins.
    const current = await tx.select({ hash: users.passwordHash }).from(users).where(eq(users.id, viewer.id)).get();
    if (current?.hash !== checkedHash) return fail('stale', PASSWORD_CHANGED_MEANWHILE);
    const now = new Date();
    await tx.update(users)
      .set({ passwordHash: newHash, mustChangePassword: false, passwordExpiresAt: null, passwordChangedAt: now, updatedAt: now })
      .where(eq(users.id, viewer.id))
      .run();
    // Every other sign-in of this person ends: a changed password locks out whoever held the old one.
    await revokeSessions(tx, [viewer.id], viewer.sessionId);
    await writeAudit(tx, { ...actorOf(viewer, request), action: 'password.change', targetType: 'user', targetId: viewer.id });
    return { ok: true as const };
  },
});
