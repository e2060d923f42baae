import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach } from 'vitest';
import { closeDb } from '@/db';
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
    // SQLite: the test's database moves into the folder. PostgreSQL (no DATABASE_PATH): the
    // database stays where it is, and DATABASE_PATH only names the folder the files go to.
    if (process.env.DATABASE_PATH) fs.copyFileSync(process.env.DATABASE_PATH, file);
    closeDb();
    process.env.DATABASE_PATH = file;
  });
  afterEach(() => {
    closeDb();
    fs.rmSync(dir, { recursive: true, force: true });
  });
}
