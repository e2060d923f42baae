'use server';

import { redirect } from 'next/navigation';
import { enrolSecondFactor, PENDING_ENDED, verifySecondFactor } from '@/db/queries/two-factor';
import { fail, invalid, type ActionResult } from '@/lib/action-result';
import { clearPendingSignIn, readPendingSignIn } from '@/lib/auth/pending-sign-in';
import { startSession } from '@/lib/auth/start-session';
import { landingPath } from '@/lib/authz';
import { requestInfo } from '@/lib/request';
import { secondFactorCodeSchema } from '@/lib/validation/two-factor';

export type EnrolledData = { recoveryCodes: string[]; next: string };

/**
 * The second sign-in step (两步验证), like signInAction outside the kernel's adapters: there is no
 * viewer until it succeeds. Verify: a code or a recovery code, then the session and the landing
 * page. Enrol: the first code proves the authenticator holds the secret; the ten recovery codes
 * come back once, to be shown on the page before going on.
 */
export async function secondFactorAction(_: ActionResult<EnrolledData> | null, form: FormData): Promise<ActionResult<EnrolledData>> {
  const pending = await readPendingSignIn();
  if (!pending) return fail('expired', PENDING_ENDED);
  const parsed = secondFactorCodeSchema.safeParse({ code: form.get('code') ?? '' });
  if (!parsed.success) return invalid(parsed.error);
  const req = await requestInfo();
  const result = pending.mode === 'enrol' ? await enrolSecondFactor(pending, parsed.data.code, req) : await verifySecondFactor(pending, parsed.data.code, req);
  if (!result.ok) {
    if (result.code === 'expired') await clearPendingSignIn();
    return result;
  }
  await startSession(result);
  const next = result.mustChangePassword ? '/change-password' : landingPath(result.role, pending.callbackUrl);
  const recoveryCodes = (result as { recoveryCodes?: string[] }).recoveryCodes;
  // Setting a cookie refreshes the page this action came from: the pending cookie stays (it can
  // enrol nothing more: the account is enrolled now, and it expires in minutes) so that the page
  // renders the same and the recovery codes stay on screen until 继续.
  if (recoveryCodes) return { ok: true, message: '两步验证已启用', data: { recoveryCodes, next } };
  await clearPendingSignIn();
  redirect(next);
}
