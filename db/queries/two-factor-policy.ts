import 'server-only';
import { eq } from 'drizzle-orm';
import type { getDb, Tx } from '@/db';
import { settings, type User } from '@/db/schema';

// Who must use 两步验证: admins and auditors always; organizers when the admin's policy says so
// (settings 'two_factor.organizers'); anyone who has enrolled keeps it until an admin resets it.

export const ORGANIZERS_KEY = 'two_factor.organizers';

type Reader = Tx | ReturnType<typeof getDb>;

export function organizersNeedTwoFactor(db: Reader): boolean {
  const row = db.select({ value: settings.value }).from(settings).where(eq(settings.key, ORGANIZERS_KEY)).get();
  return row?.value === 'true';
}

export function twoFactorRequired(db: Reader, role: User['role']): boolean {
  return role === 'admin' || role === 'auditor' || (role === 'organizer' && organizersNeedTwoFactor(db));
}

/** After a right password: 'verify' for an enrolled account, 'enrol' when required and not yet enrolled, else null. */
export function secondFactorFor(db: Reader, user: Pick<User, 'role' | 'totpEnabledAt'>): 'verify' | 'enrol' | null {
  if (user.totpEnabledAt) return 'verify';
  return twoFactorRequired(db, user.role) ? 'enrol' : null;
}
