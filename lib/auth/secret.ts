import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { databasePath } from '@/db';

/**
 * A secret kept in a file beside the database (mode 600): read when it is there, otherwise
 * generated once (`bytes` random bytes, base64url). Two processes starting at once agree: the
 * second to write finds the first's file and uses it.
 */
export function secretBesideDatabase(name: string, bytes: number): string {
  const file = path.join(path.dirname(databasePath()), name);
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const secret = randomBytes(bytes).toString('base64url');
  try {
    fs.writeFileSync(file, `${secret}\n`, { flag: 'wx', mode: 0o600 });
    return secret;
  } catch (e) {
    // Another process wrote it first: use theirs.
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return fs.readFileSync(file, 'utf8').trim();
    throw e;
  }
}

/**
 * NEXTAUTH_SECRET, or a secret generated once and kept beside the database (mode 600),
 * so that a restart keeps people signed in.
 */
export function authSecret(): string {
  return process.env.NEXTAUTH_SECRET || secretBesideDatabase('auth-secret', 48);
}
