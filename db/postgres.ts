import path from 'node:path';
import type { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import { noWaitForWriteLock } from './no-wait';
import { sql, type SQLWrapper } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { PgDeleteBase, PgInsertBase, type PgDialect, PgSelectBase, PgUpdateBase } from 'drizzle-orm/pg-core';
import { drizzle, PreparedQuery as PgProxyPreparedQuery } from 'drizzle-orm/pg-proxy';

// The PostgreSQL backend (issue 16 step 2, docs/decisions/0017): the same drizzle queries as on
// SQLite, through drizzle's pg-proxy driver over a node-postgres pool, so that this module decides
// which client runs each statement:
// - a statement issued inside a transaction's async context runs on that transaction's client,
//   whatever object issued it (as on SQLite, a function that reads through getDb() inside a
//   transaction sees the transaction's own writes);
// - a read outside a transaction runs on any pooled client and sees committed data only;
// - a write outside a transaction runs in a transaction of its own.
// Every write transaction first takes one transaction-level advisory lock, so write transactions
// run one at a time across every app server, as SQLite's single writer runs them on one: the
// code's read-then-write steps (revision checks, the audit chain's last hash, the next bulletin number) keep
// the guarantees they have on SQLite. Reads never wait for it.
//
// The queries are written against SQLite's drizzle API: `.all()`, `.get()`, `.run()` on a query,
// `db.all/get/run(sql…)`. Those are added here to PostgreSQL's query builders. Values come back as
// SQLite gives them: instants as milliseconds (drizzle maps a timestamp column to a Date either
// way; raw SQL sees the number), 64-bit counts and numerics as numbers.

/** As SQLite's busy_timeout (db/index.ts BUSY_TIMEOUT_MS). */
const LOCK_TIMEOUT_MS = 5000;

/** The advisory lock every write transaction takes first (an arbitrary constant, 0x58445349). */
export const WRITE_LOCK_KEY = 0x5844_5349;

export type Method = 'run' | 'all' | 'values' | 'get' | 'objects' | 'object';

export interface PgTxContext {
  handle: unknown;
  depth: number;
  open: boolean;
  client?: pg.PoolClient;
}

export interface PgBackend {
  url: string;
  pool: pg.Pool;
  /** Resolves once the schema is migrated (the first statement waits for it). */
  ready: Promise<void>;
  dialect: PgDialect;
  route(text: string, params: unknown[], method: Method): Promise<{ rows: unknown[] }>;
  /** A pooled client inside BEGIN that holds the write lock, after this process's earlier writers. */
  takeWriter(): Promise<pg.PoolClient>;
  close(): Promise<void>;
}

const TIMESTAMPTZ = 1184;
const TIMESTAMP = 1114;
const INT8 = 20;
const NUMERIC = 1700;

/** What node-postgres parses column values with: SQLite's shapes (see the header). */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === TIMESTAMPTZ || oid === TIMESTAMP) {
      const parseDate = pg.types.getTypeParser(oid, 'text') as (v: string) => Date;
      return (v: string) => parseDate(v).getTime();
    }
    if (oid === INT8 || oid === NUMERIC) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format ?? 'text');
  },
} as unknown as pg.CustomTypesConfig;

let shimmed = false;
/** SQLite's `.all()`, `.get()`, `.run()` on PostgreSQL's queries and prepared queries. */
function addSqliteMethods(): void {
  if (shimmed) return;
  shimmed = true;
  type Executable = { execute(values?: Record<string, unknown>): Promise<unknown> };
  const methods = {
    all(this: Executable, values?: Record<string, unknown>) {
      return this.execute(values);
    },
    async get(this: Executable, values?: Record<string, unknown>) {
      const rows = (await this.execute(values)) as unknown[];
      return rows[0];
    },
    async run(this: Executable, values?: Record<string, unknown>) {
      return this.execute(values);
    },
  };
  // Instants arrive as milliseconds (the type parser below): db/pg/schema.ts makes its timestamp
  // columns map them to a Date.
  // As on SQLite (db/index.ts): drizzle would wrap a failing statement in a DrizzleQueryError whose
  // message carries the statement's parameters (a reflection's text, a password hash) into the
  // server's log; without the wrapper a failure is node-postgres's own error (its SQLSTATE code).
  (PgProxyPreparedQuery.prototype as unknown as { queryWithCache: unknown }).queryWithCache = async function queryWithCache<T>(
    _text: string,
    _params: unknown[],
    query: () => Promise<T>,
  ): Promise<T> {
    return query();
  };
  for (const cls of [PgSelectBase, PgInsertBase, PgUpdateBase, PgDeleteBase, PgProxyPreparedQuery]) {
    for (const [name, fn] of Object.entries(methods)) {
      Object.defineProperty(cls.prototype, name, { value: fn, configurable: true, writable: true });
    }
  }
}

/** Reads begin with SELECT (or VALUES / a read-only WITH); anything else is a write. */
function isRead(text: string): boolean {
  const head = text.trimStart().slice(0, 6).toLowerCase();
  if (head === 'select' || head.startsWith('values')) return true;
  if (head.startsWith('with')) return !/\b(insert|update|delete)\b/iu.test(text);
  return false;
}

/** A result as drizzle's proxy expects it, with the count of changed rows where drizzle's SQLite run() had one. */
function shaped(r: pg.QueryResult, method: Method): { rows: unknown[] } {
  if (method === 'run') return { rows: Object.assign([], { changes: r.rowCount ?? 0, lastInsertRowid: 0 }) };
  if (method === 'get' || method === 'object') return { rows: (r.rows[0] as unknown[]) ?? undefined! };
  if (method === 'all' || method === 'values' || method === 'objects') return { rows: r.rows };
  // drizzle's 'execute' (a write without returning, or a raw statement): the rows, carrying the count.
  return { rows: Object.assign(r.rows, { changes: r.rowCount ?? 0 }) };
}

export function openPostgres(
  url: string,
  /** The client of the transaction open in this async context, if any (db/index.ts keeps the context). */
  activeClient: () => pg.PoolClient | null,
  options: { migrate: boolean; migrationsFolder: string },
): { backend: PgBackend; db: unknown } {
  addSqliteMethods();
  const pool = new pg.Pool({
    connectionString: url,
    types,
    max: Number(process.env.PG_POOL_SIZE ?? 10),
    // Instants in UTC; a lock (the write lock, a row) waited for no longer than SQLite's
    // busy_timeout, after which the change fails as busy (isBusyError) and is not written.
    options: `-c TimeZone=UTC -c lock_timeout=${LOCK_TIMEOUT_MS}`,
  });
  // A client that fails while idle in the pool (the server restarted) is dropped by the pool; the
  // error must not end the process.
  pool.on('error', () => undefined);
  const ready = options.migrate ? migrateOnce(pool, options.migrationsFolder) : Promise.resolve();
  // drizzle's proxy methods: 'all' wants rows as arrays (a mapped select), 'execute' as objects.
  const query = async (client: pg.Pool | pg.PoolClient, text: string, params: unknown[], method: Method | 'execute'): Promise<pg.QueryResult> => {
    const arrays = method === 'all' || method === 'values' || method === 'get';
    return arrays ? client.query({ text, values: params, rowMode: 'array' }) : client.query({ text, values: params });
  };
  const route = async (text: string, params: unknown[], method: Method | 'execute'): Promise<{ rows: unknown[] }> => {
    await ready;
    const client = activeClient();
    if (client) return shaped(await query(client, text, params, method), method as Method);
    if (isRead(text)) return shaped(await query(pool, text, params, method), method as Method);
    // A write outside any transaction: its own, after the lock, like every write.
    const own = await takeWriter();
    try {
      const r = await query(own, text, params, method);
      await own.query('COMMIT');
      return shaped(r, method as Method);
    } catch (e) {
      await own.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      own.release();
    }
  };
  // Write transactions of this process queue here, first come first served (as SQLite's WriteLock
  // in db/index.ts), and only the first of them waits on a pooled client for the advisory lock:
  // waiting writers would otherwise hold every client of the pool and leave none for reads. The
  // advisory lock alone orders the writers of different app servers.
  let gate: Promise<void> = Promise.resolve();
  const takeWriter = async (): Promise<pg.PoolClient> => {
    const before = gate;
    let pass!: () => void;
    gate = new Promise<void>((r) => {
      pass = r;
    });
    await before;
    let client: pg.PoolClient | null = null;
    try {
      client = await pool.connect();
      await client.query('BEGIN');
      if (noWaitForWriteLock()) {
        // writeIfFree (db/no-wait.ts): the lock now, or busy at once.
        const got = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS ok', [WRITE_LOCK_KEY]);
        if (!got.rows[0]?.ok) throw Object.assign(new Error('the write lock is taken'), { code: '55P03' });
      } else {
        await client.query('SELECT pg_advisory_xact_lock($1)', [WRITE_LOCK_KEY]);
      }
      return client;
    } catch (e) {
      if (client) {
        await client.query('ROLLBACK').catch(() => undefined);
        client.release();
      }
      throw e;
    } finally {
      pass();
    }
  };
  const db = drizzle(async (text, params, method) => route(text, params, method as Method | 'execute'));
  const dialect = (db as unknown as { dialect: PgDialect }).dialect;
  const raw = async (q: SQLWrapper | string, method: Method) => {
    const built = dialect.sqlToQuery(typeof q === 'string' ? sql.raw(q) : q.getSQL());
    return route(built.sql, built.params, method);
  };
  Object.assign(db, {
    all: async (q: SQLWrapper | string) => (await raw(q, 'objects')).rows,
    get: async (q: SQLWrapper | string) => (await raw(q, 'objects')).rows[0],
    run: async (q: SQLWrapper | string) => (await raw(q, 'execute' as Method)).rows,
  });
  const backend: PgBackend = {
    url,
    pool,
    ready,
    dialect,
    route: (text, params, method) => route(text, params, method),
    takeWriter,
    close: async () => {
      await ready.catch(() => undefined);
      await pool.end();
    },
  };
  return { backend, db };
}

/** Transactions: BEGIN on a client of its own, the write lock, the async context; nested ones are savepoints. */
export async function runPgTransaction<C extends PgTxContext, T>(
  backend: PgBackend,
  txContext: AsyncLocalStorage<C>,
  outer: C | null,
  makeContext: (client: pg.PoolClient, depth: number) => C,
  body: () => Promise<T>,
): Promise<T> {
  if (outer?.client) {
    const client = outer.client;
    const name = `sp${outer.depth}`;
    await client.query(`SAVEPOINT ${name}`);
    const ctx = makeContext(client, outer.depth + 1);
    try {
      const result = await txContext.run(ctx, body);
      await client.query(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (e) {
      await client.query(`ROLLBACK TO SAVEPOINT ${name}`).catch(() => undefined);
      throw e;
    } finally {
      ctx.open = false;
    }
  }
  await backend.ready;
  const client = await backend.takeWriter();
  const ctx = makeContext(client, 1);
  try {
    const result = await txContext.run(ctx, body);
    await client.query('COMMIT');
    return result;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    ctx.open = false;
    client.release();
  }
}

/** Applies db/migrations-pg, one app server at a time (a session-level advisory lock). */
async function migrateOnce(pool: pg.Pool, migrationsFolder: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [WRITE_LOCK_KEY + 1]);
    try {
      await migrate(drizzleNodePg(client), { migrationsFolder });
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [WRITE_LOCK_KEY + 1]);
    }
  } finally {
    client.release();
  }
}

export function pgMigrationsFolder(): string {
  return path.join(/*turbopackIgnore: true*/ process.cwd(), 'db', 'migrations-pg');
}
