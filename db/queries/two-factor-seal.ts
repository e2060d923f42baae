import { eq, isNotNull } from 'drizzle-orm';
import { transaction } from '@/db/mutation';
import { users } from '@/db/schema';
import { isSealed, seal } from '@/lib/auth/sealed';

// Apart from db/queries/two-factor.ts so that start-up (scripts/start.ts, outside Next) can run
// it without the sign-in code's Next imports.

/** The 两步验证 secret is stored sealed (lib/auth/sealed.ts), bound to its account. */
export function totpContext(userId: number): string {
  return `totp:${userId}`;
}

/**
 * Seals the 两步验证 secrets stored before they were sealed; run at start-up (scripts/start.ts).
 * Returns how many it sealed.
 */
export async function sealStoredTotpSecrets(): Promise<number> {
  let sealed = 0;
  await transaction(async (tx) => {
    const rows = await tx.select({ id: users.id, secret: users.totpSecret }).from(users).where(isNotNull(users.totpSecret)).all();
    for (const row of rows) {
      if (row.secret === null || isSealed(row.secret)) continue;
      await tx.update(users).set({ totpSecret: seal(row.secret, totpContext(row.id)) }).where(eq(users.id, row.id)).run();
      sealed += 1;
    }
  });
  return sealed;
}
