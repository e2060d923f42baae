import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach } from 'vitest';
import pg from 'pg';
import { closeDb, closeDbAndWait } from '@/db';
import { isPostgres } from '@/db/dialect';

const BASE = path.resolve('.tmp/vitest/base.db');

/** Gives each test its own copy of the migrated base database. */
export function useTestDatabase(): void {
  if (isPostgres()) postgresTestDatabase();
  else sqliteTestDatabase();
}

function sqliteTestDatabase(): void {
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

let admin: pg.Client | null = null;
async function adminClient(): Promise<pg.Client> {
  if (!admin) {
    const url = process.env.XUESI_TEST_PG_ADMIN;
    if (!url) throw new Error('XUESI_TEST_PG_ADMIN is not set: run the PostgreSQL suite through vitest.pg.config.ts');
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
  }
  return admin;
}

/** PostgreSQL (vitest.pg.config.ts): each test its own database, a copy of the migrated base (test/pg/global-setup.ts). */
function postgresTestDatabase(): void {
  let name = '';
  beforeEach(async () => {
    name = `t_${process.pid}_${randomBytes(6).toString('hex')}`;
    const client = await adminClient();
    await client.query(`CREATE DATABASE ${name} TEMPLATE xuesi_base`);
    process.env.DATABASE_URL = process.env.XUESI_TEST_PG_ADMIN!.replace(/\/postgres$/u, `/${name}`);
    closeDb();
  });
  afterEach(async () => {
    await closeDbAndWait();
    await (await adminClient()).query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
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
