import 'server-only';
import { eq } from 'drizzle-orm';
import { getDb } from '@/db';
import { actorOf, writeAudit } from '@/db/audit';
import { mutation, preparedMutation } from '@/db/mutation';
import { revokeSessions } from '@/db/queries/auth';
import { loginThrottle, users } from '@/db/schema';
import { fail, type Failure } from '@/lib/action-result';
import { generatePassword, hashOneTimePassword } from '@/lib/auth/password';
import { accountKey } from '@/lib/auth/throttle';
import { canChangeOwnAccess } from '@/lib/authz';
import { setUserActiveSchema, userIdSchema } from '@/lib/validation/users';
import { LAST_ADMIN, ONE_TIME_PASSWORD_MS, otherActiveAdmins } from './shared';
import type { PasswordIssued } from './write';

// Whether and how a person can sign in: a fresh one-time password, 停用 and 启用.

/**
 * Issues a fresh one-time password: the old one stops working, every sign-in of the person ends,
 * and a lock from failed attempts is lifted so that they can sign in with the new one.
 */
export const resetUserPassword = preparedMutation({
  roles: ['admin'],
  schema: userIdSchema,
  async prepare({ viewer }, { id }) {
    if (!canChangeOwnAccess(viewer, id)) return fail('forbidden', '不能重置自己的密码，请用“修改密码”');
    if (!await getDb().select({ id: users.id }).from(users).where(eq(users.id, id)).get()) {
      return fail('not_found', '账号不存在');
    }
    const password = generatePassword();
    const now = new Date();
    return { password, hash: await hashOneTimePassword(password), now, expiresAt: new Date(now.getTime() + ONE_TIME_PASSWORD_MS) };
  },
  async run(tx, { viewer, request }, { id }, { password, hash, now, expiresAt }): Promise<PasswordIssued | Failure> {
    const target = await tx.select({ username: users.username }).from(users).where(eq(users.id, id)).get();
    if (!target) return fail('not_found', '账号不存在');
    await tx.update(users)
      .set({ passwordHash: hash, mustChangePassword: true, passwordExpiresAt: expiresAt, updatedAt: now })
      .where(eq(users.id, id))
      .run();
    await revokeSessions(tx, [id]);
    await tx.delete(loginThrottle).where(eq(loginThrottle.key, accountKey(target.username))).run();
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: 'password.reset',
      targetType: 'user',
      targetId: id,
      detail: { username: target.username, expiresAt: expiresAt.toISOString() },
    });
    return { ok: true, id, username: target.username, password, expiresAt };
  },
});

/**
 * 停用 / 启用. A deactivated person's sign-ins end at once. Nobody deactivates themself, and the last
 * active admin stays.
 */
export const setUserActive = mutation({
  roles: ['admin'],
  schema: setUserActiveSchema,
  async run(tx, { viewer, request }, { id, active }) {
    const target = await tx
      .select({ username: users.username, role: users.role, active: users.active })
      .from(users)
      .where(eq(users.id, id))
      .get();
    if (!target) return fail('not_found', '账号不存在');
    if (!active) {
      if (!canChangeOwnAccess(viewer, id)) return fail('forbidden', '不能停用自己的账号');
      if (target.role === 'admin' && target.active && await otherActiveAdmins(tx, id) === 0) {
        return fail('last_admin', LAST_ADMIN);
      }
    }
    if (target.active === active) return { ok: true as const, id, changed: false };
    await tx.update(users).set({ active, updatedAt: new Date() }).where(eq(users.id, id)).run();
    if (!active) await revokeSessions(tx, [id]);
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: active ? 'user.reactivate' : 'user.deactivate',
      targetType: 'user',
      targetId: id,
      detail: { username: target.username },
    });
    return { ok: true as const, id, changed: true };
  },
});
