import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach } from 'vitest';
import { closeDb } from '@/db';
import { isPostgres } from '@/db/dialect';
import { useTestDatabase } from '@/test/db';

/**
 * useTestDatabase, with the copy in a folder of its own: uploads and password sheets are kept in
 * imports/ beside the database, and tests that count those files must not see another test's.
 */
export function rosterDatabasePerTest(): void {
  useTestDatabase();
  let dir = '';
  beforeEach(() => {
    dir = path.resolve(`.tmp/vitest/roster-${process.pid}-${randomBytes(6).toString('hex')}`);
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'xuesi.db');
    // On PostgreSQL the test's database is its own already (useTestDatabase); DATABASE_PATH then
    // only says where imports/ is (lib/roster/store.ts).
    if (!isPostgres()) {
      fs.copyFileSync(process.env.DATABASE_PATH as string, file);
      closeDb();
    }
    process.env.DATABASE_PATH = file;
  });
  afterEach(() => {
    closeDb();
    fs.rmSync(dir, { recursive: true, force: true });
  });
}
