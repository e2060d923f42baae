import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { databasePath } from '@/db';
import { useTestDatabase } from '@/test/db';
import { DATA_KEY_ENV, dataKey, isSealed, seal, unseal } from './sealed';

describe('sealed fields', () => {
  useTestDatabase();
  const saved = process.env[DATA_KEY_ENV];
  afterEach(() => {
    if (saved === undefined) delete process.env[DATA_KEY_ENV];
    else process.env[DATA_KEY_ENV] = saved;
  });

  it('opens what it sealed, for the same context only; the stored text does not contain the value', () => {
    process.env[DATA_KEY_ENV] = 'k'.repeat(43);
    const stored = seal('JBSWY3DPEHPK3PXP', 'totp:7');
    expect(isSealed(stored)).toBe(true);
    expect(stored).not.toContain('JBSWY3DPEHPK3PXP');
    expect(seal('JBSWY3DPEHPK3PXP', 'totp:7')).not.toBe(stored);
    expect(unseal(stored, 'totp:7')).toBe('JBSWY3DPEHPK3PXP');
    expect(unseal(stored, 'totp:8')).toBeNull();
  });

  it('does not open under another data key, or altered, or with a shortened tag', () => {
    process.env[DATA_KEY_ENV] = 'a'.repeat(43);
    const stored = seal('JBSWY3DPEHPK3PXP', 'totp:7');
    const [iv, body, tag] = stored.slice(3).split('.') as [string, string, string];
    const flipped = Buffer.from(body, 'base64url');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(unseal(`v1.${iv}.${flipped.toString('base64url')}.${tag}`, 'totp:7')).toBeNull();
    expect(unseal(`v1.${iv}.${body}.${Buffer.from(tag, 'base64url').subarray(0, 4).toString('base64url')}`, 'totp:7')).toBeNull();
    expect(unseal('v1.broken', 'totp:7')).toBeNull();
    process.env[DATA_KEY_ENV] = 'b'.repeat(43);
    expect(unseal(stored, 'totp:7')).toBeNull();
  });

  it('reads a value stored before sealing as it is', () => {
    expect(unseal('JBSWY3DPEHPK3PXP', 'totp:7')).toBe('JBSWY3DPEHPK3PXP');
    expect(isSealed('JBSWY3DPEHPK3PXP')).toBe(false);
  });

  it('without XUESI_DATA_KEY keeps a generated key beside the database, readable by the portal only', () => {
    delete process.env[DATA_KEY_ENV];
    // A folder of its own: other test files share the test databases' folder and its key.
    const dir = fs.mkdtempSync(path.resolve('.tmp/vitest/data-key-'));
    const db = process.env.DATABASE_PATH;
    process.env.DATABASE_PATH = path.join(dir, 'xuesi.db');
    const file = path.join(path.dirname(databasePath()), 'data-key');
    onTestFinished(() => {
      process.env.DATABASE_PATH = db;
      fs.rmSync(dir, { recursive: true, force: true });
    });
    const key = dataKey();
    expect(key.length).toBeGreaterThanOrEqual(43);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(dataKey()).toBe(key);
    const stored = seal('JBSWY3DPEHPK3PXP', 'totp:1');
    expect(unseal(stored, 'totp:1')).toBe('JBSWY3DPEHPK3PXP');
  });
});
