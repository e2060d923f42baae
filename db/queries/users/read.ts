import 'server-only';
import { and, asc, count, eq, gt, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { notFound } from 'next/navigation';
import type { z } from 'zod';
import { getDb } from '@/db';
import { unitPathOf } from '@/db/queries/account';
import { unitPathMap, unitSubtreeIds } from '@/db/queries/units';
import { authSessions, ROLES, userCounts, users, type Role } from '@/db/schema';
import { assertRole } from '@/lib/auth/guard';
import type { Viewer } from '@/lib/auth/viewer-type';
import { listUsersSchema } from '@/lib/validation/users';
import { inIds, keysetAfter, orderByKeys, seekPage, type SortKey } from '@/db/sql-kit';
import { allPrepared, idList } from '@/db/queries/review/statements';

// Reading accounts: the list with its filter, the counts above it, one account, and the list as
// rows for 导出花名册. Admin only.

export const USERS_PAGE_SIZE = 25;

/** The list's order: 姓名, then the id, which makes it total (users_name_idx holds both). */
const USER_KEYS: SortKey[] = [
  { expr: users.name, dir: 'asc' },
  { expr: users.id, dir: 'asc' },
];

export interface UserListItemDto {
  id: number;
  username: string;
  name: string;
  title: string;
  unitId: number | null;
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
  /** Where 上一页 / 下一页 start (keyset paging, db/sql-kit seekPage); null where there is none. */
  prevCursor: string | null;
  nextCursor: string | null;
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

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/gu, (c) => `\\${c}`);
}

/**
 * How many accounts of each role there are, and how many of them are in use: read from
 * user_counts, which triggers keep in the same transaction as every change to users (migration
 * issue_15c_custom), so the figure costs the same at 45 accounts and at 100,000.
 */
export async function countUsersByRole(viewer: Viewer): Promise<UserSummaryDto> {
  assertRole(viewer, 'admin');
  const rows = await getDb()
    .select({ role: userCounts.role, active: userCounts.active, mustChange: userCounts.mustChangePassword, n: userCounts.n })
    .from(userCounts)
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

/** How many accounts the filter matches: from the counters when it names at most a role and a state. */
async function countMatching(f: z.output<typeof listUsersSchema>, where: UserWhere): Promise<number> {
  if (!f.q && f.unitId === undefined) {
    const conditions: SQL[] = [];
    if (f.role) conditions.push(sql`${userCounts.role} = ${sql.placeholder('role')}`);
    // The state as a boolean built into the statement (one shape per state): a placeholder would
    // carry 1/0, which PostgreSQL does not compare with a boolean.
    if (f.status) conditions.push(eq(userCounts.active, f.status === 'active'));
    return (
      (
        await allPrepared<{ n: number }>(
          `users:counted:${f.role ? 'role' : ''}:${f.status ?? ''}`,
          () => sql`select coalesce(sum(${userCounts.n}), 0) as n from ${userCounts} where ${and(sql`1 = 1`, ...conditions)}`,
          where.values,
        )
      )[0]?.n ?? 0
    );
  }
  return (await allPrepared<{ n: number }>(`users:count:${where.shape}`, () => sql`select count(*) as n from ${users} where ${where.sql}`, where.values))[0]?.n ?? 0;
}

/** The list's filter with a placeholder for every value, and a key naming its shape (statements.ts). */
interface UserWhere {
  sql: SQL;
  values: Record<string, unknown>;
  shape: string;
}

async function preparedWhere(viewer: Viewer, f: z.output<typeof listUsersSchema>): Promise<UserWhere> {
  const conditions: SQL[] = [sql`1 = 1`];
  const values: Record<string, unknown> = {};
  const shape: string[] = [];
  if (f.q) {
    const pattern = `%${escapeLike(f.q)}%`;
    conditions.push(
      sql`(${users.username} like ${sql.placeholder('qLower')} escape '\\' or ${users.name} like ${sql.placeholder('q')} escape '\\')`,
    );
    Object.assign(values, { q: pattern, qLower: pattern.toLowerCase() });
    shape.push('q');
  }
  if (f.role) {
    conditions.push(sql`${users.role} = ${sql.placeholder('role')}`);
    values.role = f.role;
    shape.push('role');
  }
  if (f.status) {
    // Built into the statement, one shape per state (see countMatching).
    conditions.push(eq(users.active, f.status === 'active'));
    shape.push(f.status);
  }
  if (f.unitId !== undefined) {
    conditions.push(inIds(users.unitId, sql.placeholder('units')));
    values.units = idList(await unitSubtreeIds(viewer, { id: f.unitId }));
    shape.push('unit');
  }
  return { sql: and(...conditions) as SQL, values, shape: shape.join('+') };
}

/** The WHERE of the account list and of its export: the same filter gives the same people. */
async function userListWhere(viewer: Viewer, f: z.output<typeof listUsersSchema>): Promise<SQL | undefined> {
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
    const ids = await unitSubtreeIds(viewer, { id: f.unitId });
    conditions.push(ids.length ? inArray(users.unitId, ids) : sql`0`);
  }
  return and(...conditions);
}

/**
 * One page of accounts, by 姓名. q matches 账号 or 姓名 anywhere; unitId takes the unit and every
 * unit below it, so choosing 樊城区 lists the people of its towns too. A page reached by 上一页 /
 * 下一页 carries a cursor and seeks in users_name_idx (name, then the id) to it, so a deep page costs
 * what the first does; a page number alone is read from the nearer end.
 */
export async function listUsers(
  viewer: Viewer,
  filter: z.input<typeof listUsersSchema>,
  { after, before, unitPaths = true }: { after?: unknown; before?: unknown; unitPaths?: boolean } = {},
): Promise<UserListDto> {
  assertRole(viewer, 'admin');
  const f = listUsersSchema.parse(filter);
  const where = await preparedWhere(viewer, f);
  const total = await countMatching(f, where);
  // The page's ids in 姓名 order first (from the index alone), then the page's 25 rows; each shape
  // built and prepared once (statements.ts).
  const page = await seekPage({
    total,
    request: { after, before, page: f.page },
    pageSize: USERS_PAGE_SIZE,
    shape: ['string', 'number'],
    run: async ({ after: past, reverse, limit, offset }) =>
      await allPrepared<{ id: number; name: string }>(
        `users:page:${where.shape}:${past ? 'after' : ''}:${reverse ? 'rev' : ''}`,
        () =>
          sql`select ${users.id} as id, ${users.name} as name from ${users}
              where ${where.sql} ${past ? sql`and ${keysetAfter(USER_KEYS, [sql.placeholder('k0'), sql.placeholder('k1')], reverse)}` : sql``}
              order by ${sql.join(orderByKeys(USER_KEYS, reverse), sql`, `)} limit ${sql.placeholder('limit')} offset ${sql.placeholder('offset')}`,
        { ...where.values, ...(past ? { k0: past[0], k1: past[1] } : {}), limit, offset },
      ),
    keyOf: (r) => [r.name, r.id],
  });
  const ids = page.items.map((r) => r.id);
  const at = new Map(ids.map((id, i) => [id, i]));
  const rows = ids.length
    ? // active and mustChangePassword: 0/1 from SQLite, true/false from PostgreSQL.
      (await allPrepared<{ id: number; username: string; name: string; title: string; unitId: number | null; role: Role; active: number | boolean; mustChangePassword: number | boolean }>(
        'users:rows',
        () =>
          sql`select ${users.id} as id, ${users.username} as username, ${users.name} as name, ${users.title} as title, ${users.unitId} as "unitId",
                ${users.role} as role, ${users.active} as active, ${users.mustChangePassword} as "mustChangePassword"
              from ${users} where ${inIds(users.id, sql.placeholder('ids'))}`,
        { ids: idList(ids) },
      )).sort((a, b) => (at.get(a.id) ?? 0) - (at.get(b.id) ?? 0))
    : [];
  // /admin looks paths up in the unit list it has anyway (unitPaths: false).
  const paths = unitPaths && rows.some((r) => r.unitId !== null) ? await unitPathMap(viewer) : new Map<number, string>();
  return {
    ...page,
    items: rows.map((r) => ({
      ...r,
      active: Boolean(r.active),
      mustChangePassword: Boolean(r.mustChangePassword),
      unitPath: r.unitId === null ? '' : (paths.get(r.unitId) ?? ''),
    })),
  };
}

/** One account as the admin sees it; 404 when there is none. */
export async function getUserDetail(viewer: Viewer, { id }: { id: number }, now = new Date()): Promise<UserDetailDto> {
  assertRole(viewer, 'admin');
  const db = getDb();
  const row = await db
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
    (await db
      .select({ n: count() })
      .from(authSessions)
      .where(and(eq(authSessions.userId, id), isNull(authSessions.revokedAt), gt(authSessions.expiresAt, now)))
      .get())?.n ?? 0;
  return { ...row, unitPath: await unitPathOf(row.unitId), openSignIns: open };
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
export async function listUsersForExport(viewer: Viewer, filter: z.input<typeof listUsersSchema>): Promise<UserExportRow[]> {
  assertRole(viewer, 'admin');
  const f = listUsersSchema.parse(filter);
  const rows = await getDb()
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
    .where(await userListWhere(viewer, f))
    .orderBy(asc(users.name), asc(users.id))
    .all();
  const paths = await unitPathMap(viewer);
  return rows.map(({ unitId, ...r }) => ({ ...r, unitPath: unitId === null ? '' : (paths.get(unitId) ?? '') }));
}
