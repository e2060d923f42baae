import 'server-only';
import { eq } from 'drizzle-orm';
import { getDb } from '@/db';
import { actorOf, writeAudit } from '@/db/audit';
import { mutation, preparedMutation } from '@/db/mutation';
import { unitPathOf } from '@/db/queries/account';
import { users } from '@/db/schema';
import { fail, type Failure } from '@/lib/action-result';
import { generatePassword, hashOneTimePassword } from '@/lib/auth/password';
import { canChangeOwnAccess } from '@/lib/authz';
import { createUserSchema, updateUserSchema } from '@/lib/validation/users';
import { reindexAuthor } from '../search-index';
import {
  LAST_ADMIN,
  ONE_TIME_PASSWORD_MS,
  otherActiveAdmins,
  unitExists,
  unitMissing,
  usernameInUse,
  usernameTaken,
} from './shared';

// Creating an account and editing its fields (账号, 姓名, 职务, 单位, 角色).

/** The one-time password is handed back once, for the admin to pass on; it is stored only as a hash. */
export type PasswordIssued = { ok: true; id: number; username: string; password: string; expiresAt: Date };

/**
 * Creates an account with a random one-time password that must be changed at first sign-in and
 * stops working after ONE_TIME_PASSWORD_DAYS.
 */
export const createUser = preparedMutation({
  roles: ['admin'],
  schema: createUserSchema,
  onUniqueViolation: usernameTaken,
  async prepare(_ctx, data) {
    // Checked before the slow hash so that a typo costs nothing, and again in the transaction.
    const db = getDb();
    if (await usernameInUse(db, data.username)) return usernameTaken();
    if (!await unitExists(db, data.unitId)) return unitMissing();
    const password = generatePassword();
    const now = new Date();
    return { password, hash: await hashOneTimePassword(password), now, expiresAt: new Date(now.getTime() + ONE_TIME_PASSWORD_MS) };
  },
  async run(tx, { viewer, request }, data, { password, hash, now, expiresAt }): Promise<PasswordIssued | Failure> {
    if (await usernameInUse(tx, data.username)) return usernameTaken();
    if (!await unitExists(tx, data.unitId)) return unitMissing();
    const row = await tx
      .insert(users)
      .values({
        username: data.username,
        name: data.name,
        title: data.title,
        unitId: data.unitId,
        role: data.role,
        passwordHash: hash,
        mustChangePassword: true,
        passwordExpiresAt: expiresAt,
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: users.id })
      .get();
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: 'user.create',
      targetType: 'user',
      targetId: row.id,
      detail: {
        username: data.username,
        name: data.name,
        title: data.title,
        unit: data.unitId === null ? null : await unitPathOf(data.unitId),
        role: data.role,
      },
    });
    return { ok: true, id: row.id, username: data.username, password, expiresAt };
  },
});

const FIELD_NAMES = ['username', 'name', 'title', 'unitId'] as const;

/**
 * Saves 账号, 姓名, 职务, 单位 and 角色. A role change is audited on its own ('user.role'); an admin
 * cannot take away their own admin role, and the last active admin cannot be demoted.
 */
export const updateUser = mutation({
  roles: ['admin'],
  schema: updateUserSchema,
  onUniqueViolation: usernameTaken,
  async run(tx, { viewer, request }, data) {
    const current = await tx
      .select({
        username: users.username,
        name: users.name,
        title: users.title,
        unitId: users.unitId,
        role: users.role,
        active: users.active,
      })
      .from(users)
      .where(eq(users.id, data.id))
      .get();
    if (!current) return fail('not_found', '账号不存在');

    const roleChanged = current.role !== data.role;
    if (roleChanged && current.role === 'admin') {
      if (!canChangeOwnAccess(viewer, data.id)) {
        const message = '不能取消自己的管理员角色';
        return fail('forbidden', message, { role: [message] });
      }
      if (current.active && await otherActiveAdmins(tx, data.id) === 0) {
        return fail('last_admin', LAST_ADMIN, { role: [LAST_ADMIN] });
      }
    }
    if (data.username !== current.username && await usernameInUse(tx, data.username, data.id)) {
      return usernameTaken();
    }
    if (data.unitId !== current.unitId && !await unitExists(tx, data.unitId)) return unitMissing();

    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const k of FIELD_NAMES) {
      if (current[k] !== data[k]) {
        changes[k === 'unitId' ? 'unit' : k] =
          k === 'unitId'
            ? { from: current.unitId === null ? null : await unitPathOf(current.unitId), to: data.unitId === null ? null : await unitPathOf(data.unitId) }
            : { from: current[k], to: data[k] };
      }
    }
    const fieldsChanged = Object.keys(changes).length > 0;
    if (!fieldsChanged && !roleChanged) return { ok: true as const, id: data.id, changed: false };

    const now = new Date();
    await tx.update(users)
      .set({
        username: data.username,
        name: data.name,
        title: data.title,
        unitId: data.unitId,
        role: data.role,
        updatedAt: now,
      })
      .where(eq(users.id, data.id))
      .run();
    // 姓名 is in the search index: a rename must be found under the new name.
    if (changes.name) await reindexAuthor(tx, data.id);
    if (fieldsChanged) {
      await writeAudit(tx, {
        ...actorOf(viewer, request),
        action: 'user.update',
        targetType: 'user',
        targetId: data.id,
        detail: { username: data.username, changes },
      });
    }
    if (roleChanged) {
      await writeAudit(tx, {
        ...actorOf(viewer, request),
        action: 'user.role',
        targetType: 'user',
        targetId: data.id,
        detail: { username: data.username, from: current.role, to: data.role },
      });
    }
    return { ok: true as const, id: data.id, changed: true };
  },
});
