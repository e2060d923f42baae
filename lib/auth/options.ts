import 'server-only';
import type { AuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { authenticate, loadViewer, revokeSignIn, SESSION_MAX_AGE_S } from '@/db/queries/auth';
import { signInSchema } from '@/lib/validation/users';
import { clientIp, requestInfo } from '@/lib/request';
import { SESSION_COOKIE, useSecureCookies } from './cookie';
import { authSecret } from './secret';


export function authOptions(): AuthOptions {
  return {
    secret: authSecret(),
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_S },
    jwt: { maxAge: SESSION_MAX_AGE_S },
    useSecureCookies,
    cookies: {
      sessionToken: {
        name: SESSION_COOKIE,
        options: { httpOnly: true, sameSite: 'lax', path: '/', secure: useSecureCookies },
      },
    },
    pages: { signIn: '/login', error: '/login' },
    providers: [
      // The sign-in form posts to a server action that calls the same authenticate(); this
      // provider serves clients that use next-auth's own endpoint.
      CredentialsProvider({
        name: '账号密码',
        credentials: { username: { label: '账号', type: 'text' }, password: { label: '密码', type: 'password' } },
        async authorize(credentials, req) {
          const parsed = signInSchema.safeParse({
            username: credentials?.username,
            password: credentials?.password,
          });
          if (!parsed.success) return null;
          const h = new Headers(req.headers as Record<string, string>);
          const result = await authenticate(parsed.data, {
            ip: clientIp(h),
            userAgent: h.get('user-agent') ?? '',
          });
          // An account with 两步验证 signs in only through the sign-in page's second step.
          if (!result.ok || !('sessionId' in result)) return null;
          return { id: String(result.userId), sid: result.sessionId };
        },
      }),
    ],
    events: {
      // next-auth's own sign-out endpoint only clears the cookie; the row goes too, so that a
      // copied cookie is worthless afterwards (退出登录 revokes through signOutAction).
      async signOut({ token }) {
        await revokeSignIn(token?.uid, token?.sid, await requestInfo());
      },
    },
    callbacks: {
      // Runs on every request that reads the session: the sign-in row and the user are read
      // afresh, so sign-out, deactivation, password and role changes apply at once.
      async jwt({ token, user }) {
        if (user) {
          token.uid = Number(user.id);
          token.sid = (user as { sid?: string }).sid;
        }
        const viewer = await loadViewer(token.uid, token.sid);
        if (!viewer) return { revoked: true };
        return { ...token, role: viewer.role };
      },
      async session({ session, token }) {
        const viewer = token.revoked ? null : await loadViewer(token.uid, token.sid);
        return { expires: session.expires, viewer: viewer ?? undefined };
      },
    },
  };
}
