import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db';
import { users } from '@/db/schema';
import { verifyPassword } from '@/lib/auth/password';
import { useTestDatabase } from '@/test/db';
import { createInitialAdmin } from './initial-admin';

// `npm start` and `npm run db:seed` both call createInitialAdmin: what README says about the
// first admin is what this does, whichever runs first on an empty database.

describe('the first admin (start and seed alike)', () => {
  useTestDatabase();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xuesi-initial-admin-'));
  const dbFile = path.join(dir, 'xuesi.db');
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  afterEach(() => {
    vi.unstubAllEnvs();
    fs.rmSync(path.join(dir, 'initial-admin.txt'), { force: true });
    log.mockClear();
  });

  it('without INITIAL_ADMIN_*: admin with a one-time password printed once, kept in initial-admin.txt (600), to be changed', async () => {
    vi.stubEnv('INITIAL_ADMIN_USERNAME', '');
    vi.stubEnv('INITIAL_ADMIN_PASSWORD', '');
    await createInitialAdmin(dbFile);
    const file = path.join(dir, 'initial-admin.txt');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const password = /初始密码：(\S+)/u.exec(fs.readFileSync(file, 'utf8'))?.[1] ?? '';
    const admin = await getDb().select().from(users).get();
    expect(admin).toMatchObject({ username: 'admin', role: 'admin', mustChangePassword: true });
    expect(await verifyPassword(admin?.passwordHash ?? null, password)).toBe(true);
    expect(log.mock.calls.flat().join('\n')).toContain(password);
    // A second run (seed after start, or start after seed) creates nobody.
    await createInitialAdmin(dbFile);
    expect(await getDb().select().from(users).all()).toHaveLength(1);
  });

  it('with INITIAL_ADMIN_*: that account and password, nothing printed or written, no change required', async () => {
    vi.stubEnv('INITIAL_ADMIN_USERNAME', 'root');
    vi.stubEnv('INITIAL_ADMIN_PASSWORD', 'Strong-Start-2026');
    await createInitialAdmin(dbFile);
    expect(fs.existsSync(path.join(dir, 'initial-admin.txt'))).toBe(false);
    expect(log.mock.calls.flat().join('\n')).not.toContain('Strong-Start-2026');
    const admin = await getDb().select().from(users).get();
    expect(admin).toMatchObject({ username: 'root', mustChangePassword: false });
    expect(await verifyPassword(admin?.passwordHash ?? null, 'Strong-Start-2026')).toBe(true);
  });
});
