import 'server-only';
import { and, asc, count, eq, gt, inArray, isNull, ne, notInArray, or, sql, type SQL } from 'drizzle-orm';
import { notFound } from 'next/navigation';
import type { z } from 'zod';
import { getDb, type Tx } from '@/db';
import { unitPathOf } from '@/db/queries/account';
import { revokeSessions } from '@/db/queries/auth';
import { unitPathMap, unitSubtreeIds } from '@/db/queries/units';
import { authSessions, loginThrottle, ROLES, units, users, type Role } from '@/db/schema';
import { fail, invalid, type Failure } from '@/lib/action-result';
import { writeAudit } from '@/db/audit';
import { assertRole } from '@/lib/auth/guard';
import { generatePassword, hashOneTimePassword } from '@/lib/auth/password';
import { accountKey } from '@/lib/auth/throttle';
import type { Viewer } from '@/lib/auth/viewer-type';
import { canChangeOwnAccess } from '@/lib/authz';
import type { RequestInfo } from '@/lib/request';
import { bulkDeactivateSchema, bulkMoveSchema, bulkRoleSchema } from '@/lib/validation/bulk-users';
import {
  createUserSchema,
  listUsersSchema,
  setUserActiveSchema,
  updateUserSchema,
  userIdSchema,
} from '@/lib/validation/users';
import { reindexAuthor } from './search-index';

export const USERS_PAGE_SIZE = 25;

/** How long a one-time password works before the admin must issue another. */
export const ONE_TIME_PASSWORD_DAYS = 14;
const ONE_TIME_PASSWORD_MS = ONE_TIME_PASSWORD_DAYS * 24 * 60 * 60 * 1000;

export const USERNAME_TAKEN = '账号已存在';
export const LAST_ADMIN = '至少要保留一名正常的管理员';

export interface UserListItemDto {
  id: number;
  username: string;
  name: string;
  title: string;
  unitPath: string;
  role: Role;
  active: boolean;
  mustChangePassword: boolean;
}

export interface UserListDto {
  items: UserListItemDto[];
  total: number;
  page: number;
  pageCount: number;
  pageSize: number;
}

export type UserSummaryDto = Record<Role, { total: number; active: number }> & {
  total: number;
  active: number;
  mustChangePassword: number;
};

export interface UserDetailDto {
  id: number;
  username: string;
  name: string;
  title: string;
  unitId: number | null;
  unitPath: string;
  role: Role;
  /** 手机, from a roster import; admin-only. */
  phone: string | null;
  active: boolean;
  mustChangePassword: boolean;
  passwordExpiresAt: Date | null;
  passwordChangedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  openSignIns: number;
}

/** The one-time password is handed back once, for the admin to pass on; it is stored only as a hash. */
export type PasswordIssued = { ok: true; id: number; username: string; password: string; expiresAt: Date };

export type UserChangeResult = { ok: true; id: number; changed: boolean } | Failure;

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/gu, (c) => `\\${c}`);
}

function constraintCode(e: unknown): string | undefined {
  for (let cur = e as { code?: unknown; cause?: unknown } | undefined, i = 0; cur && i < 5; i++) {
    if (typeof cur.code === 'string' && cur.code.startsWith('SQLITE_CONSTRAINT')) return cur.code;
    cur = cur.cause as typeof cur;
  }
  return undefined;
}

function usernameTaken(): Failure {
  return fail('conflict', USERNAME_TAKEN, { username: [USERNAME_TAKEN] });
}

function unitMissing(): Failure {
  return fail('invalid', '所选单位不存在,请刷新后重选', { unitId: ['所选单位不存在'] });
}

function unitExists(tx: Tx, unitId: number | null): boolean {
  if (unitId === null) return true;
  return !!tx.select({ id: units.id }).from(units).where(eq(units.id, unitId)).get();
}

function usernameInUse(tx: Tx, username: string, exceptId?: number): boolean {
  return !!tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.username, username), exceptId === undefined ? undefined : ne(users.id, exceptId)))
    .get();
}

/** Active admins other than this user: the portal must always keep one. */
function otherActiveAdmins(tx: Tx, userId: number): number {
  return (
    tx
      .select({ n: count() })
      .from(users)
      .where(and(eq(users.role, 'admin'), eq(users.active, true), ne(users.id, userId)))
      .get()?.n ?? 0
  );
}

function actor(viewer: Viewer, req: RequestInfo) {
  return { actorId: viewer.id, actorUsername: viewer.username, ip: req.ip };
}

// ---------------------------------------------------------------------------------------------
// Reads

/** How many accounts of each role there are, and how many of them are in use. */
export function countUsersByRole(viewer: Viewer): UserSummaryDto {
  assertRole(viewer, 'admin');
  const rows = getDb()
    .select({
      role: users.role,
      active: users.active,
      mustChange: users.mustChangePassword,
      n: count(),
    })
    .from(users)
    .groupBy(users.role, users.active, users.mustChangePassword)
    .all();
  const out = {
    total: 0,
    active: 0,
    mustChangePassword: 0,
    ...Object.fromEntries(ROLES.map((r) => [r, { total: 0, active: 0 }])),
  } as UserSummaryDto;
  for (const r of rows) {
    out[r.role].total += r.n;
    out.total += r.n;
    if (r.active) {
      out[r.role].active += r.n;
      out.active += r.n;
      if (r.mustChange) out.mustChangePassword += r.n;
    }
  }
  return out;
}

/** The WHERE of the account list and of its export: the same filter gives the same people. */
function userListWhere(viewer: Viewer, f: z.output<typeof listUsersSchema>): SQL | undefined {
  const conditions: (SQL | undefined)[] = [];
  if (f.q) {
    const pattern = `%${escapeLike(f.q)}%`;
    conditions.push(
      or(
        sql`${users.username} like ${pattern.toLowerCase()} escape '\\'`,
        sql`${users.name} like ${pattern} escape '\\'`,
      ),
    );
  }
  if (f.role) conditions.push(eq(users.role, f.role));
  if (f.status) conditions.push(eq(users.active, f.status === 'active'));
  if (f.unitId !== undefined) {
    const ids = unitSubtreeIds(viewer, { id: f.unitId });
    conditions.push(ids.length ? inArray(users.unitId, ids) : sql`0`);
  }
  return and(...conditions);
}

/**
 * One page of accounts, by 姓名. q matches 账号 or 姓名 anywhere; unitId takes the unit and every
 * unit below it, so choosing 樊城区 lists the people of its towns too.
 */
export function listUsers(viewer: Viewer, filter: z.input<typeof listUsersSchema>): UserListDto {
  assertRole(viewer, 'admin');
  const f = listUsersSchema.parse(filter);
  const where = userListWhere(viewer, f);
  const db = getDb();
  const total = db.select({ n: count() }).from(users).where(where).get()?.n ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / USERS_PAGE_SIZE));
  const rows = db
    .select({
      id: users.id,
      username: users.username,
      name: users.name,
      title: users.title,
      unitId: users.unitId,
      role: users.role,
      active: users.active,
      mustChangePassword: users.mustChangePassword,
    })
    .from(users)
    .where(where)
    .orderBy(asc(users.name), asc(users.id))
    .limit(USERS_PAGE_SIZE)
    .offset((f.page - 1) * USERS_PAGE_SIZE)
    .all();
  const paths = rows.some((r) => r.unitId !== null) ? unitPathMap(viewer) : new Map<number, string>();
  return {
    items: rows.map(({ unitId, ...r }) => ({ ...r, unitPath: unitId === null ? '' : (paths.get(unitId) ?? '') })),
    total,
    page: f.page,
    pageCount,
    pageSize: USERS_PAGE_SIZE,
  };
}

/** One account as the admin sees it; 404 when there is none. */
export function getUserDetail(viewer: Viewer, { id }: { id: number }, now = new Date()): UserDetailDto {
  assertRole(viewer, 'admin');
  const db = getDb();
  const row = db
    .select({
      id: users.id,
      username: users.username,
      name: users.name,
      title: users.title,
      unitId: users.unitId,
      role: users.role,
      phone: users.phone,
      active: users.active,
      mustChangePassword: users.mustChangePassword,
      passwordExpiresAt: users.passwordExpiresAt,
      passwordChangedAt: users.passwordChangedAt,
      createdAt: users.createdAt,
      updatedAt: users.updatedAt,
    })
    .from(users)
    .where(eq(users.id, id))
    .get();
  if (!row) notFound();
  const open =
    db
      .select({ n: count() })
      .from(authSessions)
      .where(and(eq(authSessions.userId, id), isNull(authSessions.revokedAt), gt(authSessions.expiresAt, now)))
      .get()?.n ?? 0;
  return { ...row, unitPath: unitPathOf(row.unitId), openSignIns: open };
}

// ---------------------------------------------------------------------------------------------
// Changes

/**
 * Creates an account with a random one-time password that must be changed at first sign-in and
 * stops working after ONE_TIME_PASSWORD_DAYS.
 */
export async function createUser(
  viewer: Viewer,
  input: z.input<typeof createUserSchema>,
  req: RequestInfo,
  now = new Date(),
): Promise<PasswordIssued | Failure> {
  assertRole(viewer, 'admin');
  const parsed = createUserSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  const data = parsed.data;
  const db = getDb();

  // Checked before the slow hash so that a typo costs nothing, and again in the transaction.
  const early = db.transaction((tx) =>
    usernameInUse(tx, data.username) ? usernameTaken() : !unitExists(tx, data.unitId) ? unitMissing() : null,
  );
  if (early) return early;

  const password = generatePassword();
  const hash = await hashOneTimePassword(password);
  const expiresAt = new Date(now.getTime() + ONE_TIME_PASSWORD_MS);
  try {
    return db.transaction(
      (tx): PasswordIssued | Failure => {
        if (usernameInUse(tx, data.username)) return usernameTaken();
        if (!unitExists(tx, data.unitId)) return unitMissing();
        const row = tx
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
        writeAudit(tx, {
          ...actor(viewer, req),
          action: 'user.create',
          targetType: 'user',
          targetId: row.id,
          detail: {
            username: data.username,
            name: data.name,
            title: data.title,
            unit: data.unitId === null ? null : unitPathOf(data.unitId),
            role: data.role,
          },
        });
        return { ok: true, id: row.id, username: data.username, password, expiresAt };
      },
      { behavior: 'immediate' },
    );
  } catch (e) {
    if (constraintCode(e) === 'SQLITE_CONSTRAINT_UNIQUE') return usernameTaken();
    throw e;
  }
}

const FIELD_NAMES = ['username', 'name', 'title', 'unitId'] as const;

/**
 * Saves 账号, 姓名, 职务, 单位 and 角色. A role change is audited on its own ('user.role'); an admin
 * cannot take away their own admin role, and the last active admin cannot be demoted.
 */
export function updateUser(
  viewer: Viewer,
  input: z.input<typeof updateUserSchema>,
  req: RequestInfo,
  now = new Date(),
): UserChangeResult {
  assertRole(viewer, 'admin');
  const parsed = updateUserSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  const data = parsed.data;
  try {
    return getDb().transaction(
      (tx): UserChangeResult => {
        const current = tx
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
          if (current.active && otherActiveAdmins(tx, data.id) === 0) {
            return fail('last_admin', LAST_ADMIN, { role: [LAST_ADMIN] });
          }
        }
        if (data.username !== current.username && usernameInUse(tx, data.username, data.id)) {
          return usernameTaken();
        }
        if (data.unitId !== current.unitId && !unitExists(tx, data.unitId)) return unitMissing();

        const changes: Record<string, { from: unknown; to: unknown }> = {};
        for (const k of FIELD_NAMES) {
          if (current[k] !== data[k]) {
            changes[k === 'unitId' ? 'unit' : k] =
              k === 'unitId'
                ? { from: current.unitId === null ? null : unitPathOf(current.unitId), to: data.unitId === null ? null : unitPathOf(data.unitId) }
                : { from: current[k], to: data[k] };
          }
        }
        const fieldsChanged = Object.keys(changes).length > 0;
        if (!fieldsChanged && !roleChanged) return { ok: true, id: data.id, changed: false };

        tx.update(users)
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
        if (changes.name) reindexAuthor(tx, data.id);
        if (fieldsChanged) {
          writeAudit(tx, {
            ...actor(viewer, req),
            action: 'user.update',
            targetType: 'user',
            targetId: data.id,
            detail: { username: data.username, changes },
          });
        }
        if (roleChanged) {
          writeAudit(tx, {
            ...actor(viewer, req),
            action: 'user.role',
            targetType: 'user',
            targetId: data.id,
            detail: { username: data.username, from: current.role, to: data.role },
          });
        }
        return { ok: true, id: data.id, changed: true };
      },
      { behavior: 'immediate' },
    );
  } catch (e) {
    if (constraintCode(e) === 'SQLITE_CONSTRAINT_UNIQUE') return usernameTaken();
    throw e;
  }
}

/**
 * Issues a fresh one-time password: the old one stops working, every sign-in of the person ends,
 * and a lock from failed attempts is lifted so that they can sign in with the new one.
 */
export async function resetUserPassword(
  viewer: Viewer,
  input: z.input<typeof userIdSchema>,
  req: RequestInfo,
  now = new Date(),
): Promise<PasswordIssued | Failure> {
  assertRole(viewer, 'admin');
  const parsed = userIdSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  const { id } = parsed.data;
  if (!canChangeOwnAccess(viewer, id)) {
    return fail('forbidden', '不能重置自己的密码,请用“修改密码”');
  }
  const db = getDb();
  if (!db.select({ id: users.id }).from(users).where(eq(users.id, id)).get()) {
    return fail('not_found', '账号不存在');
  }
  const password = generatePassword();
  const hash = await hashOneTimePassword(password);
  const expiresAt = new Date(now.getTime() + ONE_TIME_PASSWORD_MS);
  return db.transaction(
    (tx): PasswordIssued | Failure => {
      const target = tx.select({ username: users.username }).from(users).where(eq(users.id, id)).get();
      if (!target) return fail('not_found', '账号不存在');
      tx.update(users)
        .set({ passwordHash: hash, mustChangePassword: true, passwordExpiresAt: expiresAt, updatedAt: now })
        .where(eq(users.id, id))
        .run();
      revokeSessions(tx, [id]);
      tx.delete(loginThrottle).where(eq(loginThrottle.key, accountKey(target.username))).run();
      writeAudit(tx, {
        ...actor(viewer, req),
        action: 'password.reset',
        targetType: 'user',
        targetId: id,
        detail: { username: target.username, expiresAt: expiresAt.toISOString() },
      });
      return { ok: true, id, username: target.username, password, expiresAt };
    },
    { behavior: 'immediate' },
  );
}

/**
 * 停用 / 启用. A deactivated person's sign-ins end at once. Nobody deactivates themself, and the last
 * active admin stays.
 */
export function setUserActive(
  viewer: Viewer,
  input: z.input<typeof setUserActiveSchema>,
  req: RequestInfo,
  now = new Date(),
): UserChangeResult {
  assertRole(viewer, 'admin');
  const parsed = setUserActiveSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  const { id, active } = parsed.data;
  return getDb().transaction(
    (tx): UserChangeResult => {
      const target = tx
        .select({ username: users.username, role: users.role, active: users.active })
        .from(users)
        .where(eq(users.id, id))
        .get();
      if (!target) return fail('not_found', '账号不存在');
      if (!active) {
        if (!canChangeOwnAccess(viewer, id)) return fail('forbidden', '不能停用自己的账号');
        if (target.role === 'admin' && target.active && otherActiveAdmins(tx, id) === 0) {
          return fail('last_admin', LAST_ADMIN);
        }
      }
      if (target.active === active) return { ok: true, id, changed: false };
      tx.update(users).set({ active, updatedAt: now }).where(eq(users.id, id)).run();
      if (!active) revokeSessions(tx, [id]);
      writeAudit(tx, {
        ...actor(viewer, req),
        action: active ? 'user.reactivate' : 'user.deactivate',
        targetType: 'user',
        targetId: id,
        detail: { username: target.username },
      });
      return { ok: true, id, changed: true };
    },
    { behavior: 'immediate' },
  );
}

// ---------------------------------------------------------------------------------------------
// Bulk changes from the account list, and the list as a file

export type BulkResult = { ok: true; affected: number; unchanged: number } | Failure;

type BulkTarget = { id: number; username: string; role: Role; active: boolean; unitId: number | null };

function bulkTargets(tx: Tx, ids: number[]): BulkTarget[] | Failure {
  const rows = tx
    .select({ id: users.id, username: users.username, role: users.role, active: users.active, unitId: users.unitId })
    .from(users)
    .where(inArray(users.id, ids))
    .all();
  if (rows.length !== ids.length) {
    return fail('not_found', `有 ${ids.length - rows.length} 个账号已不存在,请刷新后重试`);
  }
  return rows;
}

/** Active admins left once these people stop being active admins. */
function activeAdminsWithout(tx: Tx, ids: number[]): number {
  return (
    tx
      .select({ n: count() })
      .from(users)
      .where(and(eq(users.role, 'admin'), eq(users.active, true), notInArray(users.id, ids)))
      .get()?.n ?? 0
  );
}

/**
 * 批量停用: all or nothing. Refused when it includes the admin themself or would leave no active
 * admin; people already inactive are counted as unchanged. Sign-ins of those deactivated end.
 */
export function bulkDeactivateUsers(
  viewer: Viewer,
  input: z.input<typeof bulkDeactivateSchema>,
  req: RequestInfo,
  now = new Date(),
): BulkResult {
  assertRole(viewer, 'admin');
  const parsed = bulkDeactivateSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  const { ids } = parsed.data;
  if (ids.some((id) => !canChangeOwnAccess(viewer, id))) return fail('forbidden', '不能停用自己的账号,请取消勾选自己');
  return getDb().transaction(
    (tx): BulkResult => {
      const targets = bulkTargets(tx, ids);
      if (!Array.isArray(targets)) return targets;
      const changing = targets.filter((t) => t.active);
      if (changing.some((t) => t.role === 'admin') && activeAdminsWithout(tx, changing.map((t) => t.id)) === 0) {
        return fail('last_admin', LAST_ADMIN);
      }
      if (changing.length > 0) {
        const changingIds = changing.map((t) => t.id);
        tx.update(users).set({ active: false, updatedAt: now }).where(inArray(users.id, changingIds)).run();
        revokeSessions(tx, changingIds);
      }
      for (const t of changing) {
        writeAudit(tx, {
          ...actor(viewer, req),
          action: 'user.deactivate',
          targetType: 'user',
          targetId: t.id,
          detail: { username: t.username, bulk: changing.length },
        });
      }
      return { ok: true, affected: changing.length, unchanged: targets.length - changing.length };
    },
    { behavior: 'immediate' },
  );
}

/** 批量移动到单位 (unitId null: 无单位). */
export function bulkMoveUsers(
  viewer: Viewer,
  input: z.input<typeof bulkMoveSchema>,
  req: RequestInfo,
  now = new Date(),
): BulkResult {
  assertRole(viewer, 'admin');
  const parsed = bulkMoveSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  const { ids, unitId } = parsed.data;
  return getDb().transaction(
    (tx): BulkResult => {
      if (!unitExists(tx, unitId)) return unitMissing();
      const targets = bulkTargets(tx, ids);
      if (!Array.isArray(targets)) return targets;
      const changing = targets.filter((t) => t.unitId !== unitId);
      if (changing.length > 0) {
        tx.update(users)
          .set({ unitId, updatedAt: now })
          .where(inArray(users.id, changing.map((t) => t.id)))
          .run();
      }
      const to = unitId === null ? null : unitPathOf(unitId);
      const paths = new Map<number, string>();
      for (const t of changing) {
        if (t.unitId !== null && !paths.has(t.unitId)) paths.set(t.unitId, unitPathOf(t.unitId));
        writeAudit(tx, {
          ...actor(viewer, req),
          action: 'user.update',
          targetType: 'user',
          targetId: t.id,
          detail: {
            username: t.username,
            changes: { unit: { from: t.unitId === null ? null : (paths.get(t.unitId) ?? null), to } },
            bulk: changing.length,
          },
        });
      }
      return { ok: true, affected: changing.length, unchanged: targets.length - changing.length };
    },
    { behavior: 'immediate' },
  );
}

/** 批量修改角色. Nobody changes their own role, and the last active admin keeps theirs. */
export function bulkSetRole(
  viewer: Viewer,
  input: z.input<typeof bulkRoleSchema>,
  req: RequestInfo,
  now = new Date(),
): BulkResult {
  assertRole(viewer, 'admin');
  const parsed = bulkRoleSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  const { ids, role } = parsed.data;
  return getDb().transaction(
    (tx): BulkResult => {
      const targets = bulkTargets(tx, ids);
      if (!Array.isArray(targets)) return targets;
      const changing = targets.filter((t) => t.role !== role);
      if (changing.some((t) => !canChangeOwnAccess(viewer, t.id))) {
        return fail('forbidden', '不能修改自己的角色,请取消勾选自己');
      }
      const demoted = changing.filter((t) => t.role === 'admin' && t.active);
      if (demoted.length > 0 && activeAdminsWithout(tx, demoted.map((t) => t.id)) === 0) {
        return fail('last_admin', LAST_ADMIN);
      }
      if (changing.length > 0) {
        tx.update(users)
          .set({ role, updatedAt: now })
          .where(inArray(users.id, changing.map((t) => t.id)))
          .run();
      }
      for (const t of changing) {
        writeAudit(tx, {
          ...actor(viewer, req),
          action: 'user.role',
          targetType: 'user',
          targetId: t.id,
          detail: { username: t.username, from: t.role, to: role, bulk: changing.length },
        });
      }
      return { ok: true, affected: changing.length, unchanged: targets.length - changing.length };
    },
    { behavior: 'immediate' },
  );
}

export interface UserExportRow {
  username: string;
  name: string;
  title: string;
  unitPath: string;
  role: Role;
  phone: string | null;
  active: boolean;
}

/** Every account the list's filter matches (all pages), by 姓名, for 导出花名册. */
export function listUsersForExport(viewer: Viewer, filter: z.input<typeof listUsersSchema>): UserExportRow[] {
  assertRole(viewer, 'admin');
  const f = listUsersSchema.parse(filter);
  const rows = getDb()
    .select({
      username: users.username,
      name: users.name,
      title: users.title,
      unitId: users.unitId,
      role: users.role,
      phone: users.phone,
      active: users.active,
    })
    .from(users)
    .where(userListWhere(viewer, f))
    .orderBy(asc(users.name), asc(users.id))
    .all();
  const paths = unitPathMap(viewer);
  return rows.map(({ unitId, ...r }) => ({ ...r, unitPath: unitId === null ? '' : (paths.get(unitId) ?? '') }));
}
