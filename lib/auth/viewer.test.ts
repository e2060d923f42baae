import { eq } from 'drizzle-orm';
import { encode } from 'next-auth/jwt';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db';
import { authSessions, users } from '@/db/schema';
import { makeSession } from '@/db/factories';
import { makeUser, useTestDatabase } from '@/test/db';
import { SESSION_COOKIE } from './cookie';

// currentViewer decrypts the session cookie and reads its sign-in row once per request (instead of
// next-auth's getServerSession, whose two callbacks read it twice and encrypt a new cookie): it
// must still refuse every cookie next-auth's path refused.

const SECRET = 'viewer-test-secret-0123456789abcdef0123456789';
const jar = vi.hoisted(() => new Map<string, string>());

vi.mock('next/headers', () => ({
  cookies: () => Promise.resolve({ get: (name: string) => (jar.has(name) ? { name, value: jar.get(name) } : undefined), has: (name: string) => jar.has(name) }),
  headers: () => Promise.resolve(new Headers()),
}));
// React's cache() memoizes only inside a server request; here each call reads afresh.
vi.mock('react', async (original) => ({ ...(await original<Record<string, unknown>>()), cache: <T,>(fn: T) => fn }));

const { currentViewer } = await import('./viewer');

async function cookieFor(uid: number, sid: string, secret = SECRET): Promise<string> {
  return encode({ token: { uid, sid, sub: String(uid) }, secret, maxAge: 3600 });
}

describe('currentViewer', () => {
  useTestDatabase();
  beforeEach(() => {
    jar.clear();
    vi.stubEnv('NEXTAUTH_SECRET', SECRET);
  });

  it('is the account of a live sign-in, and nobody without a cookie', async () => {
    expect(await currentViewer()).toBeNull();
    const id = await makeUser('cadre', { name: '王建国' });
    const sid = await makeSession(id);
    jar.set(SESSION_COOKIE, await cookieFor(id, sid));
    expect(await currentViewer()).toMatchObject({ id, name: '王建国', role: 'cadre', sessionId: sid });
  });

  it('refuses a revoked sign-in, a deactivated account, a forged or altered cookie', async () => {
    const id = await makeUser('cadre');
    const sid = await makeSession(id);
    const good = await cookieFor(id, sid);

    jar.set(SESSION_COOKIE, await cookieFor(id, sid, 'another-secret-0123456789abcdef0123456789'));
    expect(await currentViewer()).toBeNull();
    jar.set(SESSION_COOKIE, `${good.slice(0, -4)}AAAA`);
    expect(await currentViewer()).toBeNull();
    // Someone else's session id under this account's id.
    jar.set(SESSION_COOKIE, await cookieFor(id, await makeSession(await makeUser('cadre'))));
    expect(await currentViewer()).toBeNull();

    jar.set(SESSION_COOKIE, good);
    expect(await currentViewer()).not.toBeNull();
    await getDb().update(users).set({ active: false }).where(eq(users.id, id)).run();
    expect(await currentViewer()).toBeNull();
    await getDb().update(users).set({ active: true }).where(eq(users.id, id)).run();
    await getDb().update(authSessions).set({ revokedAt: new Date() }).where(eq(authSessions.id, sid)).run();
    expect(await currentViewer()).toBeNull();
  });

  it('derives the key from the secret in force: after a change of secret old cookies are refused, new ones accepted', async () => {
    const id = await makeUser('cadre');
    const sid = await makeSession(id);
    const old = await cookieFor(id, sid);
    jar.set(SESSION_COOKIE, old);
    expect(await currentViewer()).toMatchObject({ id });
    const next = 'rotated-secret-0123456789abcdef0123456789abc';
    vi.stubEnv('NEXTAUTH_SECRET', next);
    expect(await currentViewer()).toBeNull();
    jar.set(SESSION_COOKIE, await cookieFor(id, sid, next));
    expect(await currentViewer()).toMatchObject({ id });
  });

  it('refuses a cookie past its expiry, as next-auth does (15 s of clock tolerance)', async () => {
    const id = await makeUser('cadre');
    const sid = await makeSession(id);
    jar.set(SESSION_COOKIE, await encode({ token: { uid: id, sid, sub: String(id) }, secret: SECRET, maxAge: -60 }));
    expect(await currentViewer()).toBeNull();
    jar.set(SESSION_COOKIE, await encode({ token: { uid: id, sid, sub: String(id) }, secret: SECRET, maxAge: -5 }));
    expect(await currentViewer()).toMatchObject({ id });
  });
});
