import 'server-only';
import { encode } from 'next-auth/jwt';
import { cookies } from 'next/headers';
import { SESSION_MAX_AGE_S } from '@/db/queries/auth';
import type { Role } from '@/db/schema';
import { SESSION_COOKIE, useSecureCookies } from './cookie';
import { authSecret } from './secret';

/** Mints next-auth's session cookie for an opened sign-in row (docs/decisions/0001). */
export async function startSession(result: { userId: number; sessionId: string; role: Role }): Promise<void> {
  const token = await encode({
    token: { sub: String(result.userId), uid: result.userId, sid: result.sessionId, role: result.role },
    secret: authSecret(),
    maxAge: SESSION_MAX_AGE_S,
  });
  (await cookies()).set(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: useSecureCookies,
    path: '/',
    maxAge: SESSION_MAX_AGE_S,
  });
}
