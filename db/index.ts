import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema';
import { backfillAuditChain } from './audit-chain';

export type DB = BetterSQLite3Database<typeof schema>;
/** The argument a synchronous transaction callback receives. */
export type Tx = Parameters<Parameters<DB['transaction']>[0]>[0];

interface Handle {
  path: string;
  sqlite: Database.Database;
  db: DB;
}

// One connection per process. Kept on globalThis so that dev-mode module reloads reuse it.
// `npm start` may run several server processes over this one file (scripts/serve.ts,
// docs/decisions/0014): WAL lets them read side by side, busy_timeout makes a writer wait for
// the lock, and every write transaction begins IMMEDIATE (db/mutation.ts) so that it takes the
// lock before it reads instead of failing when it upgrades.
const globalKey = Symbol.for('xuesi.db');
type GlobalWithDb = typeof globalThis & { [globalKey]?: Handle };
const g = globalThis as GlobalWithDb;

/** How long a write waits for another process's write lock before it gives up (SQLITE_BUSY). */
export const BUSY_TIMEOUT_MS = 5000;

/** Set by scripts/start.ts for the server processes: the database is migrated, do not migrate. */
export const MIGRATED_ENV = 'XUESI_DB_MIGRATED';

export function databasePath(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.env.DATABASE_PATH ?? path.join(process.cwd(), 'data', 'xuesi.db'));
}

export function migrationsFolder(): string {
  return path.join(/*turbopackIgnore: true*/ process.cwd(), 'db', 'migrations');
}

/**
 * Makes a file readable and writable by the portal's own account only (600), creating it empty
 * when it does not exist yet. The database holds password hashes; SQLite gives the -wal and -shm
 * files the mode of the database file, so the database's own mode is the one that matters.
 */
export function restrictFile(file: string): void {
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  fs.chmodSync(file, 0o600);
}

function open(file: string): Handle {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // Before SQLite opens it, so that not even a moment passes with a world-readable file; also
  // tightens a file an older version created under the default umask.
  restrictFile(file);
  for (const suffix of ['-wal', '-shm']) {
    if (fs.existsSync(file + suffix)) fs.chmodSync(file + suffix, 0o600);
  }
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  // FULL: an acknowledged write is on disk even if the machine loses power.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  sqlite.pragma('foreign_keys = ON');
  const db = drizzle(withStatementCache(sqlite), { schema });
  // The server processes of `npm start` open a database its start-up has already migrated and
  // chained, once, before any of them serves: none of them migrates (two at once would collide).
  if (process.env[MIGRATED_ENV] !== '1') {
    migrate(db, { migrationsFolder: migrationsFolder() });
    chainOldAuditRows(sqlite, db);
  }
  return { path: file, sqlite, db };
}

/**
 * drizzle prepares every query it runs that was not prepared ahead (most reads of a page): SQLite
 * compiling the same SQL again on every request. The connection drizzle is given keeps the last
 * STATEMENT_CACHE_SIZE statements by their SQL text and hands the same one back. A statement is
 * handed back in object mode: drizzle asks for raw rows itself (stmt.raw()) whenever it wants
 * them, and not otherwise. Hand-prepared statements (sqlite.prepare in db/queries) are untouched.
 */
const STATEMENT_CACHE_SIZE = 2000;
function withStatementCache(sqlite: Database.Database): Database.Database {
  const cache = new Map<string, Database.Statement>();
  const prepare = (source: string): Database.Statement => {
    let stmt = cache.get(source);
    if (stmt) {
      // Most recently used last, so that the oldest is the one dropped.
      cache.delete(source);
    } else {
      stmt = sqlite.prepare(source);
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    }
    cache.set(source, stmt);
    if (stmt.reader) stmt.raw(false);
    return stmt;
  };
  return new Proxy(sqlite, {
    get(target, prop) {
      if (prop === 'prepare') return prepare;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

function handle(): Handle {
  const want = databasePath();
  const current = g[globalKey];
  if (current && current.path === want) return current;
  if (current) current.sqlite.close();
  const h = open(want);
  g[globalKey] = h;
  return h;
}

/** The drizzle database for this process (opened and migrated on first use). */
export function getDb(): DB {
  return handle().db;
}

export function getSqlite(): Database.Database {
  return handle().sqlite;
}

/** Closes the connection; the next getDb() opens DATABASE_PATH afresh. Used by tests and scripts. */
export function closeDb(): void {
  const current = g[globalKey];
  if (current) {
    current.sqlite.close();
    delete g[globalKey];
  }
}

/**
 * Audit rows written before the hash chain existed (migration 0009) get their hashes at the first
 * start after the upgrade, in one transaction; afterwards this is one indexed lookup that finds
 * nothing. The update trigger allows exactly this: a hash set where there was none.
 */
function chainOldAuditRows(sqlite: Database.Database, db: DB): void {
  const setHash = sqlite.prepare('UPDATE audit_log SET hash = ? WHERE id = ? AND hash IS NULL');
  db.transaction(
    (tx) => {
      backfillAuditChain(tx, (id, hash) => setHash.run(hash, id));
    },
    { behavior: 'immediate' },
  );
}
