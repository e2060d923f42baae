import 'server-only';
import { eq } from 'drizzle-orm';
import type { getDb, Tx } from '@/db';
import { settings, type User } from '@/db/schema';

// Who must use 两步验证: admins and auditors always; organizers when the admin's policy says so
// (settings 'two_factor.organizers'); anyone who has enrolled keeps it until an admin resets it.

export const ORGANIZERS_KEY = 'two_factor.organizers';

type Reader = Tx | ReturnType<typeof getDb>;

export async function organizersNeedTwoFactor(db: Reader): Promise<boolean> {
  const row = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, ORGANIZERS_KEY)).get();
  return row?.value === 'true';
}

export async function twoFactorRequired(db: Reader, role: User['role']): Promise<boolean> {
  return role === 'admin' || role === 'auditor' || (role === 'organizer' && await organizersNeedTwoFactor(db));
}

/** After a right password: 'verify' for an enrolled account, 'enrol' when required and not yet enrolled, else null. */
export async function secondFactorFor(db: Reader, user: Pick<User, 'role' | 'totpEnabledAt'>): Promise<'verify' | 'enrol' | null> {
  if (user.totpEnabledAt) return 'verify';
  return await twoFactorRequired(db, user.role) ? 'enrol' : null;
}
