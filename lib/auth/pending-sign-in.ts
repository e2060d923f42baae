import 'server-only';
import { decode, encode } from 'next-auth/jwt';
import { cookies } from 'next/headers';
import type { PendingSignIn } from '@/db/queries/two-factor';
import { useSecureCookies } from './cookie';
import { authSecret } from './secret';

// Between the password and the second factor: who, bound to their current password, and while
// enrolling the secret the QR code shows. An encrypted next-auth JWT (the same encoder and secret
// as the session) in its own short-lived cookie; its fields are not a session's (no uid/sid), so
// it can never pass for one.

export const PENDING_COOKIE = `${useSecureCookies ? '__Secure-' : ''}xuesi.pending-sign-in`;
export const PENDING_MAX_AGE_S = 10 * 60;

export type PendingCookie = PendingSignIn & { mode: 'verify' | 'enrol'; username: string; callbackUrl?: string };

export async function setPendingSignIn(p: PendingCookie): Promise<void> {
  const token = await encode({
    token: { pendingUid: p.userId, who: p.username, stamp: p.passwordStamp, mode: p.mode, totp: p.secret, next: p.callbackUrl },
    secret: authSecret(),
    maxAge: PENDING_MAX_AGE_S,
  });
  (await cookies()).set(PENDING_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: useSecureCookies,
    path: '/',
    maxAge: PENDING_MAX_AGE_S,
  });
}

export async function readPendingSignIn(): Promise<PendingCookie | null> {
  const raw = (await cookies()).get(PENDING_COOKIE)?.value;
  if (!raw) return null;
  try {
    const t = await decode({ token: raw, secret: authSecret() });
    if (!t || typeof t.pendingUid !== 'number' || typeof t.stamp !== 'string') return null;
    if (t.mode !== 'verify' && t.mode !== 'enrol') return null;
    return {
      userId: t.pendingUid,
      passwordStamp: t.stamp,
      mode: t.mode,
      username: typeof t.who === 'string' ? t.who : '',
      secret: typeof t.totp === 'string' ? t.totp : undefined,
      callbackUrl: typeof t.next === 'string' ? t.next : undefined,
    };
  } catch {
    return null;
  }
}

export async function clearPendingSignIn(): Promise<void> {
  (await cookies()).delete(PENDING_COOKIE);
}
