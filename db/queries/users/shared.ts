import 'server-only';
import { and, count, eq, ne } from 'drizzle-orm';
import type { DB, Tx } from '@/db';
import { units, users } from '@/db/schema';
import { fail, type Failure } from '@/lib/action-result';

// What the account changes have in common: the one-time password's lifetime, the refusals they
// share, and the re-checks each makes inside its transaction.

/** How long a one-time password works before the admin must issue another. */
export const ONE_TIME_PASSWORD_DAYS = 14;
export const ONE_TIME_PASSWORD_MS = ONE_TIME_PASSWORD_DAYS * 24 * 60 * 60 * 1000;

export const USERNAME_TAKEN = '账号已存在';
export const LAST_ADMIN = '至少要保留一名正常的管理员';

export function usernameTaken(): Failure {
  return fail('conflict', USERNAME_TAKEN, { username: [USERNAME_TAKEN] });
}

export function unitMissing(): Failure {
  return fail('invalid', '所选单位不存在，请刷新后重选', { unitId: ['所选单位不存在'] });
}

export async function unitExists(tx: DB | Tx, unitId: number | null): Promise<boolean> {
  if (unitId === null) return true;
  return !!await tx.select({ id: units.id }).from(units).where(eq(units.id, unitId)).get();
}

export async function usernameInUse(tx: DB | Tx, username: string, exceptId?: number): Promise<boolean> {
  return !!await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.username, username), exceptId === undefined ? undefined : ne(users.id, exceptId)))
    .get();
}

/** Active admins other than this user: the portal must always keep one. */
export async function otherActiveAdmins(tx: Tx, userId: number): Promise<number> {
  return (
    (await tx
      .select({ n: count() })
      .from(users)
      .where(and(eq(users.role, 'admin'), eq(users.active, true), ne(users.id, userId)))
      .get())?.n ?? 0
  );
}
