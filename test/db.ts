import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach } from 'vitest';
import { closeDb } from '@/db';

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

// Accounts, sign-ins and viewers come from the shared factories (db/factories.ts); these names
// stay here because every test imports them from @/test/db.
export { makeUser, signedIn, UNUSABLE_HASH, viewerFor } from '@/db/factories';

/** The digest Next gives forbidden() / notFound() / redirect(), to assert which one was thrown. */
export async function nextDigest(fn: () => unknown | Promise<unknown>): Promise<string | undefined> {
  try {
    await fn();
  } catch (e) {
    return (e as { digest?: string }).digest;
  }
  return undefined;
}

export const FORBIDDEN = 'NEXT_HTTP_ERROR_FALLBACK;403';
export const NOT_FOUND = 'NEXT_HTTP_ERROR_FALLBACK;404';
