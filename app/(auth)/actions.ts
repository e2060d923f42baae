'use server';

import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { authenticate, changeOwnPassword, signOut } from '@/db/queries/auth';
import { formValues, invalid, withValues, type ActionResult } from '@/lib/action-result';
import { landingPath } from '@/lib/authz';
import { SESSION_COOKIE } from '@/lib/auth/cookie';
import { setPendingSignIn } from '@/lib/auth/pending-sign-in';
import { startSession } from '@/lib/auth/start-session';
import { newTotpSecret } from '@/lib/auth/totp';
import { requestInfo } from '@/lib/request';
import { formAction, formSubmit } from '@/lib/server-action';
import { signInSchema } from '@/lib/validation/users';

/**
 * Sign-in as a server action: the form posts without JavaScript, and the failure messages are
 * ours. The session is next-auth's JWT, minted here with next-auth's own encoder and secret.
 * There is no viewer yet, so this is the one action outside the kernel's adapters; its writes
 * go through the kernel's bare transaction inside authenticate().
 */
export async function signInAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  const parsed = signInSchema.safeParse({
    username: form.get('username') ?? '',
    password: form.get('password') ?? '',
    callbackUrl: form.get('callbackUrl') || undefined,
  });
  if (!parsed.success) return withValues(invalid(parsed.error), formValues(form));
  const result = await authenticate(parsed.data, await requestInfo());
  if (!result.ok) return withValues(result, formValues(form));
  if ('secondFactor' in result) {
    // 两步验证: no sign-in yet; the second step (app/(auth)/login/two-factor) finishes it.
    await setPendingSignIn({
      userId: result.userId,
      username: result.username,
      passwordStamp: result.passwordStamp,
      mode: result.secondFactor,
      secret: result.secondFactor === 'enrol' ? newTotpSecret() : undefined,
      callbackUrl: parsed.data.callbackUrl,
    });
    redirect('/login/two-factor');
  }
  await startSession(result);
  redirect(result.mustChangePassword ? '/change-password' : landingPath(result.role, parsed.data.callbackUrl));
}

/** Ends this sign-in: the row is revoked, the cookie dropped, and the sign-in page says so. */
export const signOutAction = formSubmit(signOut, {
  then: async () => {
    (await cookies()).delete(SESSION_COOKIE);
    redirect('/login?signedOut=1');
  },
});

export const changePasswordAction = formAction(changeOwnPassword, {
  message: '密码已修改',
  then: (_result, _input, viewer) => redirect(`${landingPath(viewer.role, null)}?passwordChanged=1`),
});
