import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';

// Migrate once into a base file; every test copies it (see test/db.ts).
export default function setup() {
  const dir = path.resolve('.tmp/vitest');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const base = path.join(dir, 'base.db');
  const sqlite = new Database(base);
  migrate(drizzle(sqlite), { migrationsFolder: path.resolve('db/migrations') });
  sqlite.pragma('journal_mode = DELETE');
  sqlite.close();
  process.env.XUESI_TEST_BASE_DB = base;
}
