import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { closeDb, getDb, getSqlite, restrictFile } from '@/db';
import { isPostgres } from '@/db/dialect';
import { makeUser } from '@/test/db';

// The database holds password hashes: its file, the WAL and shared-memory files beside it, and
// every backup are readable by the portal's own account only, whatever the umask.

const dir = path.resolve(`.tmp/vitest/mode-${process.pid}-${randomBytes(4).toString('hex')}`);

function mode(file: string): number {
  return fs.statSync(file).mode & 0o777;
}

afterEach(() => {
  closeDb();
  fs.rmSync(dir, { recursive: true, force: true });
});

// SQLite only: these are the modes of the SQLite file and its -wal/-shm; a PostgreSQL database
// is the server's own files, whose modes PostgreSQL itself keeps (0700 data directory).
describe.skipIf(isPostgres())('file modes', () => {
  it('creates the database, its -wal and -shm, and a backup as 600 under a permissive umask', async () => {
    const old = process.umask(0o022);
    try {
      const file = path.join(dir, 'xuesi.db');
      process.env.DATABASE_PATH = file;
      closeDb();
      getDb();
      await makeUser('cadre', { username: 'mode-check' });
      for (const suffix of ['', '-wal', '-shm']) {
        expect(fs.existsSync(file + suffix), suffix).toBe(true);
        expect(mode(file + suffix).toString(8), `xuesi.db${suffix}`).toBe('600');
      }
      const backup = path.join(dir, 'backups', 'b.db');
      fs.mkdirSync(path.dirname(backup), { recursive: true });
      restrictFile(backup);
      await getSqlite().backup(backup);
      restrictFile(backup);
      expect(mode(backup).toString(8)).toBe('600');
    } finally {
      process.umask(old);
    }
  });

  it('tightens a database file that an older version left world-readable', () => {
    const file = path.join(dir, 'old.db');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(file, '');
    fs.chmodSync(file, 0o644);
    process.env.DATABASE_PATH = file;
    closeDb();
    getDb();
    expect(mode(file).toString(8)).toBe('600');
  });
});
