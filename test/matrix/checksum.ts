import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { getDb, getSqlite } from '@/db';
import { isPostgres } from '@/db/dialect';

// Read through getDb() so that the matrix's "database unchanged" holds on either database
// (issue 16): outside a transaction these reads see committed data only, on SQLite's read
// connection or a pooled PostgreSQL client.

/** Every table of the portal's schema (SQLite: search index included; PostgreSQL: schema public, not drizzle's journal). */
async function tableNames(): Promise<string[]> {
  const rows = (await getDb().all(
    isPostgres()
      ? sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`
      : sql`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`,
  )) as { name: string }[];
  return rows.map((r) => r.name);
}

const quoted = (table: string) => sql.raw(`"${table.replaceAll('"', '""')}"`);

/** A digest of every row of every table (search index included), to prove that nothing changed. */
export async function checksumOfDatabase(): Promise<string> {
  const hash = createHash('sha256');
  for (const table of await tableNames()) {
    hash.update(`\u0000${table}\u0000`);
    const rows = (await getDb().all(sql`select * from ${quoted(table)}`)) as Record<string, unknown>[];
    const lines = rows.map((r) =>
      JSON.stringify(Object.values(r), (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('hex') : typeof v === 'bigint' ? String(v) : v)),
    );
    lines.sort();
    for (const line of lines) hash.update(line);
  }
  return hash.digest('hex');
}

/**
 * The same digest read synchronously from SQLite (callers not yet moved to the async
 * checksumOfDatabase, which runs on both databases).
 */
export function databaseChecksum(): string {
  const sqlite = getSqlite();
  const tables = sqlite
    .prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`)
    .pluck()
    .all() as string[];
  const hash = createHash('sha256');
  for (const table of tables) {
    hash.update(`\u0000${table}\u0000`);
    const rows = sqlite.prepare(`select * from "${table.replaceAll('"', '""')}"`).raw().all() as unknown[][];
    const lines = rows.map((r) => JSON.stringify(r, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('hex') : typeof v === 'bigint' ? String(v) : v)));
    lines.sort();
    for (const line of lines) hash.update(line);
  }
  return hash.digest('hex');
}

/** The row count of each table, to say what changed when a checksum differs. */
export function tableCounts(): Record<string, number> {
  const sqlite = getSqlite();
  const tables = sqlite
    .prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`)
    .pluck()
    .all() as string[];
  return Object.fromEntries(tables.map((t) => [t, sqlite.prepare(`select count(*) from "${t.replaceAll('"', '""')}"`).pluck().get() as number]));
}
