import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach } from 'vitest';
import { closeDb, getDb } from '@/db';
import { authSessions, users, type Role } from '@/db/schema';
import type { Viewer } from '@/lib/auth/viewer-type';
import { loadViewer } from '@/db/queries/auth';

const BASE = path.resolve('.tmp/vitest/base.db');

/** Gives each test its own copy of the migrated base database. */
export function useTestDatabase(): void {
  let file = '';
  beforeEach(() => {
    file = path.resolve(`.tmp/vitest/t-${process.pid}-${randomBytes(6).toString('hex')}.db`);
    fs.copyFileSync(BASE, file);
    process.env.DATABASE_PATH = file;
    closeDb();
  });
  afterEach(() => {
    closeDb();
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
  });
}

// A cheap fixed hash so tests do not pay argon2 for every user they create; tests that sign
// in set a real password with hashPassword.
export const UNUSABLE_HASH = '$argon2id$v=19$m=19456,t=2,p=1$dW51c2FibGU$dW51c2FibGU';

let counter = 0;

/** Inserts a user and returns their id. */
export function makeUser(
  role: Role,
  over: Partial<typeof users.$inferInsert> = {},
): number {
  counter += 1;
  const row = getDb()
    .insert(users)
    .values({
      username: `${role}${counter}`,
      name: `测试${counter}`,
      title: '',
      role,
      passwordHash: UNUSABLE_HASH,
      mustChangePassword: false,
      ...over,
    })
    .returning({ id: users.id })
    .get();
  return row.id;
}

/** A live sign-in for this user, as requireUser would give. */
export function viewerFor(userId: number): Viewer {
  const sessionId = randomBytes(12).toString('hex');
  getDb()
    .insert(authSessions)
    .values({ id: sessionId, userId, expiresAt: new Date(Date.now() + 3600_000) })
    .run();
  const viewer = loadViewer(userId, sessionId);
  if (!viewer) throw new Error(`user ${userId} cannot sign in`);
  return viewer;
}

/** A user of this role and their viewer. */
export function signedIn(role: Role, over: Partial<typeof users.$inferInsert> = {}): Viewer {
  return viewerFor(makeUser(role, over));
}

/** The digest Next gives forbidden() / notFound() / redirect(), to assert which one was thrown. */
export function nextDigest(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as { digest?: string }).digest;
  }
  return undefined;
}

export const FORBIDDEN = 'NEXT_HTTP_ERROR_FALLBACK;403';
export const NOT_FOUND = 'NEXT_HTTP_ERROR_FALLBACK;404';
