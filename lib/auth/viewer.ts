import 'server-only';
import { hkdfSync } from 'node:crypto';
import { jwtDecrypt } from 'jose';
import { cache } from 'react';
import { getServerSession } from 'next-auth';
import { cookies } from 'next/headers';
import { forbidden, redirect } from 'next/navigation';
import { loadViewer } from '@/db/queries/auth';
import type { Role } from '@/db/schema';
import { SESSION_COOKIE } from './cookie';
import { authOptions } from './options';
import { authSecret } from './secret';
import type { Viewer } from './viewer-type';

export type { Viewer };

let derived: { secret: string; key: Uint8Array } | null = null;

/**
 * next-auth's cookie key: HKDF-SHA256 of the secret, empty salt, its info string, 32 bytes
 * (next-auth/jwt's getDerivedEncryptionKey). next-auth derives it again on every decode; it
 * depends only on the secret, so it is derived once per secret here.
 */
function encryptionKey(secret: string): Uint8Array {
  if (derived?.secret !== secret) {
    derived = { secret, key: new Uint8Array(hkdfSync('sha256', secret, '', 'NextAuth.js Generated Encryption Key', 32)) };
  }
  return derived.key;
}

/** next-auth/jwt's decode with the key above: the same JWE (dir, A256GCM), the same 15 s clock tolerance. */
async function decodeSession(token: string): Promise<Record<string, unknown> | null> {
  try {
    const { payload } = await jwtDecrypt(token, encryptionKey(authSecret()), { clockTolerance: 15 });
    return payload;
  } catch {
    return null;
  }
}

/**
 * The signed-in viewer for this request, or null. Cached per request, so the layout, the page and
 * the components of one request read the sign-in row once.
 *
 * The cookie is decrypted here and its sign-in row read once, which is what next-auth's session
 * callbacks do (options.ts: the jwt and the session callback each call loadViewer). Going through
 * getServerSession read the row twice and encrypted a fresh cookie that a page cannot set. A
 * cookie next-auth split into chunks (never ours: it holds two ids) still goes through it.
 */
export const currentViewer = cache(async (): Promise<Viewer | null> => {
  const jar = await cookies();
  const token = jar.get(SESSION_COOKIE)?.value;
  if (token === undefined) {
    if (!jar.has(`${SESSION_COOKIE}.0`)) return null;
    const session = await getServerSession(authOptions());
    return session?.viewer ?? null;
  }
  const payload = await decodeSession(token);
  if (!payload) return null;
  return await loadViewer(payload.uid, payload.sid);
});

/**
 * The signed-in viewer; a visitor who is not signed in is sent to the sign-in page, and one who
 * must change their password reaches nothing but the change-password page.
 */
export async function requireUser(opts: { allowPasswordChange?: boolean } = {}): Promise<Viewer> {
  const viewer = await currentViewer();
  if (!viewer) redirect('/login');
  if (viewer.mustChangePassword && !opts.allowPasswordChange) redirect('/change-password');
  return viewer;
}

/** The viewer when they hold one of these roles; anyone else gets 403. */
export async function requireRole(...roles: Role[]): Promise<Viewer> {
  const viewer = await requireUser();
  if (!roles.includes(viewer.role)) forbidden();
  return viewer;
}
