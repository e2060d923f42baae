import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle as drizzleSync, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { drizzle, RemotePreparedQuery, type SqliteRemoteDatabase } from 'drizzle-orm/sqlite-proxy';
import { AsyncLocalStorage } from 'node:async_hooks';
import { fillPlaceholders, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core';
import * as schema from './schema';
import { backfillAuditChain } from './audit-chain';
import { isPostgres } from './dialect';
import { noWaitForWriteLock } from './no-wait';
import { openPostgres, pgMigrationsFolder, runPgTransaction, type PgBackend } from './postgres';
import type { PoolClient } from 'pg';

/** drizzle's async SQLite database, whose transactions are this module's (see `runTransaction`). */
export interface DB extends Omit<SqliteRemoteDatabase<typeof schema>, 'transaction'> {
  transaction<T>(body: (tx: DB) => Promise<T>, config?: { behavior?: 'deferred' | 'immediate' | 'exclusive' }): Promise<T>;
}
/**
 * What a transaction's callback receives: the same database, whose statements the async context
 * routes to the write connection (see `transaction` below). `tx.transaction(...)` inside one is a
 * savepoint.
 */
export type Tx = DB;
/** The synchronous drizzle database over the write connection: migrations and start-up work only. */
export type SyncDB = BetterSQLite3Database<typeof schema>;
export type SyncTx = Parameters<Parameters<SyncDB['transaction']>[0]>[0];

// Two connections per process to the one WAL file (issue 16 step 1, docs/decisions/0016):
// - the write connection runs every write transaction, one at a time in arrival order (a FIFO
//   lock, since a transaction now awaits between its statements and another request's statements
//   must never run inside it), and every write made outside a transaction (in a transaction of
//   its own, after any open one);
// - the read connection (read-only) runs every read made outside a transaction: it sees only
//   committed data, so it never waits for the lock and never sees another request's open work.
// Statements issued inside a transaction's async context (AsyncLocalStorage) go to the write
// connection whatever object issued them, so a function that reads through getDb() inside a
// transaction sees that transaction's own writes, as it did when everything was synchronous.
// `npm start` may run several server processes over this one file (scripts/serve.ts,
// docs/decisions/0014): busy_timeout makes a writer wait for another process's lock, and every
// write transaction begins IMMEDIATE so that it takes the lock before it reads.

// drizzle's async drivers wrap every failing statement in a DrizzleQueryError whose message is
// the SQL text and its parameters: logged, that would put a reflection's text or a password hash
// in the server's log, and the SQLite error's own message and code would sit one level down. No
// query cache is configured here, so this is the wrapper's only work: without it a failure is
// better-sqlite3's own error, as it was with the synchronous driver.
(RemotePreparedQuery.prototype as unknown as { queryWithCache: unknown }).queryWithCache = async function queryWithCache<T>(
  _text: string,
  _params: unknown[],
  query: () => Promise<T>,
): Promise<T> {
  return query();
};

/** This process's database: the SQLite file, or PostgreSQL (db/postgres.ts) when DATABASE_URL selects it. */
type Handle = SqliteHandle | PgHandle;

interface PgHandle {
  kind: 'postgres';
  /** The DATABASE_URL it was opened with. */
  path: string;
  db: DB;
  backend: PgBackend;
  built: Map<string, { sql: string; params: unknown[] }>;
  route: (text: string, params: unknown[], method: Method) => Promise<{ rows: unknown[] }>;
  sqlToQuery: (q: SQL) => { sql: string; params: unknown[] };
}

interface SqliteHandle {
  kind: 'sqlite';
  path: string;
  /** The write connection. */
  sqlite: Database.Database;
  /** The read-only connection. */
  reader: Database.Database;
  db: DB;
  syncDb: SyncDB;
  lock: WriteLock;
  statements: WeakMap<Database.Database, Map<string, Database.Statement>>;
  /** Queries of `queryCached`, built once per handle: their text and parameters (with placeholders). */
  built: Map<string, { sql: string; params: unknown[] }>;
  /** Runs SQL text on the connection this async context should use. */
  route: (text: string, params: unknown[], method: Method) => Promise<{ rows: unknown[] }>;
  sqlToQuery: (q: SQL) => { sql: string; params: unknown[] };
}

/** Transactions wait their turn, first come first served. */
class WriteLock {
  private tail: Promise<void> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const before = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((r) => {
      release = r;
    });
    return before.then(fn).finally(release);
  }
}

interface TxContext {
  handle: Handle;
  depth: number;
  /** PostgreSQL: the pooled client the transaction runs on. */
  client?: PoolClient;
  /**
   * False once the transaction has committed or rolled back. Work a transaction schedules (a
   * timer, a promise it does not await) keeps its async context after it ends; such a statement
   * must not run on the write connection as if inside a transaction, where it could land in
   * another request's open one.
   */
  open: boolean;
}

// Kept on globalThis so that dev-mode module reloads reuse it.
const globalKey = Symbol.for('xuesi.db');
const contextKey = Symbol.for('xuesi.db.tx');
type GlobalWithDb = typeof globalThis & { [globalKey]?: Handle; [contextKey]?: AsyncLocalStorage<TxContext> };
const g = globalThis as GlobalWithDb;
// One per process, like the handle: a production build bundles this module into several chunks
// (route handlers, pages, actions), each its own instance. A transaction begun through one must
// be seen by a statement issued through another (a kernel change calling 查重's prepared
// statements), or that statement would go to the read-only connection, or wait for the lock the
// transaction itself holds.
const txContext = (g[contextKey] ??= new AsyncLocalStorage<TxContext>());

/** How long a write waits for another process's write lock before it gives up (SQLITE_BUSY). */
export const BUSY_TIMEOUT_MS = 5000;

export { writeIfFree } from './no-wait';

function isSqliteBusy(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/**
 * Takes SQLite's write lock for `step` (BEGIN IMMEDIATE, or one write statement outside any
 * transaction) without holding up the thread while another connection has it: SQLite's own
 * busy_timeout waits by sleeping inside the call, and with it every page this process was
 * serving (a roster import committing 10,000 accounts on its thread held them all for its 1–1.5 s
 * whenever someone's last-seen time or autosave came due). Here the step is tried with no wait,
 * and a busy answer is tried again after a short pause that lets the process serve meanwhile,
 * until the connection's busy_timeout has passed (then busy, as SQLite would have said). A step
 * that finds the lock taken has changed nothing, so trying it again is safe. Inside writeIfFree
 * there is no second try.
 */
async function withoutBlocking<T>(sqlite: Database.Database, step: () => T): Promise<T> {
  // The connection's own timeout is the budget (BUSY_TIMEOUT_MS as opened; a connection set to 0
  // tries once, as a test of a refused write expects).
  const budget = sqlite.pragma('busy_timeout', { simple: true }) as number;
  const until = Date.now() + budget;
  const once = noWaitForWriteLock() || budget <= 0;
  for (let pause = 1; ; pause = Math.min(pause * 2, 4)) {
    sqlite.pragma('busy_timeout = 0');
    try {
      return step();
    } catch (e) {
      if (once || !isSqliteBusy(e) || Date.now() >= until) throw e;
    } finally {
      sqlite.pragma(`busy_timeout = ${budget}`);
    }
    await new Promise((r) => setTimeout(r, pause));
  }
}

/** Set by scripts/start.ts for the server processes: the database is migrated, do not migrate. */
export const MIGRATED_ENV = 'XUESI_DB_MIGRATED';

export function databasePath(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.env.DATABASE_PATH ?? path.join(process.cwd(), 'data', 'xuesi.db'));
}

/** Where this process's data is, for messages: the SQLite file, or the PostgreSQL database's name (never the address, which may carry a password). */
export function databaseLabel(): string {
  return isPostgres() ? `PostgreSQL 数据库 ${new URL(process.env.DATABASE_URL!).pathname.replace(/^\//u, '')}` : databasePath();
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

/**
 * `LIMIT ?` and `OFFSET ?` as `LIMIT (? + 0)` and `OFFSET (? + 0)`, outside quoted strings.
 *
 * Since SQLite 3.45 (better-sqlite3 12 bundles 3.53), a LIMIT that is a bare bound parameter is
 * read at prepare time as if it were a literal, and the statement is marked to be prepared again
 * whenever that parameter is bound. better-sqlite3 binds every parameter on every run, and drizzle
 * writes every limit as `limit ?`: so every list query was parsed and planned anew on every run,
 * 35 µs of a cadre's /my page query's 68 µs (perf: sqlite3Reprepare under sqlite3_step). An
 * expression is not read that way. The plans stay the same: the twelve list queries of the
 * bench:http pages have the same EXPLAIN QUERY PLAN either way on the 100,000-reflection database.
 */
export function withOpaqueLimits(text: string): string {
  if (!/\b(?:limit|offset) \?/iu.test(text)) return text;
  // Odd pieces are the quoted strings ('' inside one is a quote), left as they are.
  return text
    .split(/('(?:[^']|'')*')/u)
    .map((piece, i) => (i % 2 === 1 ? piece : piece.replace(/\b(limit|offset) \?/giu, '$1 (? + 0)')))
    .join('');
}

/** Statements are prepared once per connection and SQL text (drizzle builds the same text each time). */
const STATEMENT_CACHE_LIMIT = 4000;
function statementOn(h: SqliteHandle, conn: Database.Database, text: string): Database.Statement {
  let cache = h.statements.get(conn);
  if (!cache) {
    cache = new Map();
    h.statements.set(conn, cache);
  }
  let stmt = cache.get(text);
  if (!stmt) {
    if (cache.size >= STATEMENT_CACHE_LIMIT) cache.clear();
    stmt = conn.prepare(withOpaqueLimits(text));
    cache.set(text, stmt);
  }
  return stmt;
}

/** drizzle's methods, and 'objects'/'object' for raw `db.all(sql…)`/`db.get(sql…)`, whose rows are objects by column name. */
type Method = 'run' | 'all' | 'values' | 'get' | 'objects' | 'object';
/** What drizzle's async SQLite driver expects back; `run` also carries better-sqlite3's changes. */
export interface RunResult {
  rows: unknown[];
  changes: number;
  lastInsertRowid: number | bigint;
}
/** How many rows a write changed (better-sqlite3's count, carried through drizzle's run()). */
export function changesOf(result: unknown): number {
  return (result as Partial<RunResult>).changes ?? 0;
}

function execute(stmt: Database.Statement, params: unknown[], method: Method): { rows: unknown[] } {
  if (method === 'run' || !stmt.reader) {
    const r = stmt.run(...params);
    return { rows: [], changes: r.changes, lastInsertRowid: r.lastInsertRowid } as RunResult;
  }
  stmt.raw(method !== 'objects' && method !== 'object');
  // 'get': the one row (its values), or undefined, as drizzle's driver expects.
  if (method === 'get' || method === 'object') return { rows: stmt.get(...params) as unknown[] };
  return { rows: stmt.all(...params) };
}

function open(file: string): SqliteHandle {
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
  const syncDb = drizzleSync(sqlite, { schema });
  // The server processes of `npm start` open a database its start-up has already migrated and
  // chained, once, before any of them serves: none of them migrates (two at once would collide).
  if (process.env[MIGRATED_ENV] !== '1') {
    migrate(syncDb, { migrationsFolder: migrationsFolder() });
    chainOldAuditRows(sqlite, syncDb);
  }
  const reader = new Database(file, { readonly: true });
  reader.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  const h = { kind: 'sqlite', path: file, sqlite, reader, syncDb, lock: new WriteLock(), statements: new WeakMap(), built: new Map() } as Omit<SqliteHandle, 'db' | 'route' | 'sqlToQuery'> as SqliteHandle;
  const route = async (text: string, params: unknown[], method: Method) => {
    if (activeTx(h)) return execute(statementOn(h, sqlite, text), params, method);
    const read = statementOn(h, reader, text);
    if (read.readonly) return execute(read, params, method);
    // A write outside any transaction: its own, after any open one.
    return h.lock.run(async () => withoutBlocking(sqlite, () => execute(statementOn(h, sqlite, text), params, method)));
  };
  const db = drizzle(route, { schema }) as unknown as DB;
  // Raw `db.all(sql…)` / `db.get(sql…)`: drizzle's async driver hands back the driver's rows as
  // they are, and mapped selects need them as arrays; these two answer objects by column name, as
  // better-sqlite3's driver did.
  const dialect = (db as unknown as { dialect: SQLiteAsyncDialect }).dialect;
  const raw = async (query: SQLWrapper | string, method: 'objects' | 'object') => {
    const q = dialect.sqlToQuery(typeof query === 'string' ? sql.raw(query) : query.getSQL());
    return (await route(q.sql, q.params, method)).rows;
  };
  Object.assign(db, {
    all: (query: SQLWrapper | string) => raw(query, 'objects'),
    get: (query: SQLWrapper | string) => raw(query, 'object'),
  });
  // Transactions: the lock, BEGIN IMMEDIATE and the async context; nested ones are savepoints.
  (db as { transaction: unknown }).transaction = <T>(body: (tx: Tx) => Promise<T>) => runTransaction(h, body);
  h.db = db;
  h.route = route;
  h.sqlToQuery = (q) => dialect.sqlToQuery(q);
  return h;
}

function openPg(url: string): PgHandle {
  const h = { kind: 'postgres', path: url, built: new Map() } as Omit<PgHandle, 'db' | 'backend' | 'route' | 'sqlToQuery'> as PgHandle;
  const { backend, db } = openPostgres(url, () => activeTx(h)?.client ?? null, { migrate: process.env[MIGRATED_ENV] !== '1', migrationsFolder: pgMigrationsFolder() });
  h.backend = backend;
  h.db = db as DB;
  h.route = backend.route;
  h.sqlToQuery = (q) => backend.dialect.sqlToQuery(q);
  (db as { transaction: unknown }).transaction = <T>(body: (tx: Tx) => Promise<T>) => runTransaction(h, body);
  return h;
}

/** The open transaction of this async context on this handle, if any. */
function activeTx(h: Handle): TxContext | null {
  const ctx = txContext.getStore();
  return ctx?.handle === h && ctx.open ? ctx : null;
}

async function runTransaction<T>(h: Handle, body: (tx: Tx) => Promise<T>): Promise<T> {
  const outer = activeTx(h);
  if (h.kind === 'postgres') {
    return runPgTransaction(h.backend, txContext, outer, (client, depth) => ({ handle: h, depth, open: true, client }), () => body(h.db));
  }
  if (outer) {
    const name = `sp${outer.depth}`;
    h.sqlite.exec(`SAVEPOINT ${name}`);
    const ctx: TxContext = { handle: h, depth: outer.depth + 1, open: true };
    try {
      const result = await txContext.run(ctx, () => body(h.db));
      h.sqlite.exec(`RELEASE ${name}`);
      return result;
    } catch (e) {
      // A failure that ended the whole transaction (SQLite rolls back on some I/O errors) leaves
      // no savepoint to go back to: the outer transaction sees the error and fails as a whole.
      if (h.sqlite.inTransaction) h.sqlite.exec(`ROLLBACK TO ${name}; RELEASE ${name}`);
      throw e;
    } finally {
      ctx.open = false;
    }
  }
  return h.lock.run(async () => {
    await withoutBlocking(h.sqlite, () => h.sqlite.exec('BEGIN IMMEDIATE'));
    const ctx: TxContext = { handle: h, depth: 1, open: true };
    try {
      const result = await txContext.run(ctx, () => body(h.db));
      h.sqlite.exec('COMMIT');
      return result;
    } catch (e) {
      if (h.sqlite.inTransaction) h.sqlite.exec('ROLLBACK');
      throw e;
    } finally {
      ctx.open = false;
    }
  });
}

/** Runs `fn` outside any transaction's async context: for work a transaction schedules to run later. */
export function detached<T>(fn: () => T): T {
  return txContext.exit(fn);
}

function handle(): Handle {
  const pg = isPostgres();
  const want = pg ? process.env.DATABASE_URL! : databasePath();
  const current = g[globalKey];
  if (current && current.path === want) return current;
  if (current) void close(current);
  const h = pg ? openPg(want) : open(want);
  g[globalKey] = h;
  return h;
}

function close(h: Handle): Promise<void> {
  if (h.kind === 'postgres') return h.backend.close();
  h.reader.close();
  h.sqlite.close();
  return Promise.resolve();
}

function sqliteHandle(): SqliteHandle {
  const h = handle();
  if (h.kind !== 'sqlite') throw new Error('这一步只适用于 SQLite 数据库（当前数据库是 PostgreSQL）');
  return h;
}

/**
 * Rows (objects by column name) of the query `build()` makes, built into SQL text once per
 * database under `key` and run with `values` for its sql.placeholder()s. For the hot query shapes
 * of the review desk, the account list and search: drizzle's building costs several times the
 * running (see db/queries/review/statements.ts). The same key must always build the same SQL.
 */
export async function queryCached<R>(key: string, build: () => SQL, values: Record<string, unknown> = {}): Promise<R[]> {
  const h = handle();
  let q = h.built.get(key);
  if (!q) {
    q = h.sqlToQuery(build());
    h.built.set(key, q);
  }
  return (await h.route(q.sql, fillPlaceholders(q.params, values), 'objects')).rows as R[];
}

/** The drizzle database for this process (opened and migrated on first use). */
export function getDb(): DB {
  return handle().db;
}

/**
 * The better-sqlite3 connection a hand-prepared statement should run on here: the write
 * connection inside a transaction, the read-only one outside.
 */
export function getSqlite(): Database.Database {
  const h = sqliteHandle();
  return activeTx(h) ? h.sqlite : h.reader;
}

/** The write connection, for start-up work, scripts and tests that write outside the kernel synchronously. */
export function getWriteSqlite(): Database.Database {
  return sqliteHandle().sqlite;
}

/**
 * False when an error inside a transaction ended the whole transaction (SQLite rolls back on some
 * I/O errors). On PostgreSQL a failed statement inside a savepoint leaves the transaction usable
 * once the savepoint is rolled back, so it stays open.
 */
export function transactionStillOpen(): boolean {
  const h = handle();
  return h.kind === 'postgres' ? true : h.sqlite.inTransaction;
}

/** Which database this process runs on. */
export function dialectName(): 'sqlite' | 'postgres' {
  return handle().kind;
}

/** True inside a transaction's async context. */
export function inTransaction(): boolean {
  const h = g[globalKey];
  return h !== undefined && activeTx(h) !== null;
}

/** Closes the connections; the next getDb() opens DATABASE_PATH afresh. Used by tests and scripts. */
export function closeDb(): void {
  void closeDbAndWait();
}

/** closeDb, resolving once the connections are closed (PostgreSQL's pool ends asynchronously). */
export async function closeDbAndWait(): Promise<void> {
  const current = g[globalKey];
  if (current) {
    delete g[globalKey];
    await close(current);
  }
}

/**
 * Audit rows written before the hash chain existed (migration 0009) get their hashes at the first
 * start after the upgrade, in one transaction; afterwards this is one indexed lookup that finds
 * nothing. The update trigger allows exactly this: a hash set where there was none.
 */
function chainOldAuditRows(sqlite: Database.Database, db: SyncDB): void {
  const setHash = sqlite.prepare('UPDATE audit_log SET hash = ? WHERE id = ? AND hash IS NULL');
  // At open, before anything else runs: the synchronous driver's own transaction.
  db.transaction(
    // eslint-disable-next-line no-restricted-syntax -- the synchronous driver, at open
    (tx) => {
      backfillAuditChain(tx, (id, hash) => setHash.run(hash, id));
    },
    { behavior: 'immediate' },
  );
}
