import { eq } from 'drizzle-orm';
import { getDb } from '@/db';
import { passwordStamp } from '@/db/queries/auth';
import { users } from '@/db/schema';
import { setPendingSignIn } from '@/lib/auth/pending-sign-in';
import { newTotpSecret, totpCode, totpStep } from '@/lib/auth/totp';
import { makeUser, signedIn } from '@/test/db';
import type { MatrixEntry } from '../types';

// 两步验证: the second sign-in step (no viewer yet, like signInAction), and the admin's reset and policy.

const ADMIN_ACTIONS = 'app/(admin)/admin/two-factor-actions.ts';

/** An account with 两步验证 on, as enrolment leaves it. */
async function enrolled(): Promise<number> {
  return await makeUser('organizer', { totpSecret: newTotpSecret(), totpEnabledAt: new Date(), totpLastStep: 1 });
}

export const entries: MatrixEntry[] = [
  {
    file: 'app/(auth)/login/two-factor/actions.ts',
    name: 'secondFactorAction',
    roles: ['admin', 'auditor'],
    kind: 'form',
    scope: 'none',
    anonymous: 'the second step comes before there is a viewer; the pending cookie and the code decide',
    async setup() {
      const id = await makeUser('auditor');
      const user = await getDb().select().from(users).where(eq(users.id, id)).get();
      if (!user) throw new Error('no user');
      const secret = newTotpSecret();
      await setPendingSignIn({ userId: id, username: user.username, passwordStamp: passwordStamp(user.passwordHash), mode: 'enrol', secret });
      return { actor: null, input: { code: totpCode(secret, totpStep(new Date())) } };
    },
  },
  {
    file: ADMIN_ACTIONS,
    name: 'resetTwoFactorAction',
    roles: ['admin'],
    kind: 'form',
    scope: 'none',
    setup: async () => ({ actor: await signedIn('admin'), input: { id: await enrolled() } }),
  },
  {
    file: ADMIN_ACTIONS,
    name: 'setTwoFactorPolicyAction',
    roles: ['admin'],
    kind: 'form',
    scope: 'none',
    setup: async () => ({ actor: await signedIn('admin'), input: { organizers: 'on' } }),
  },
];
