import 'server-only';
import type Database from 'better-sqlite3';
import { fillPlaceholders, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import { getSqlite } from '@/db';
import type { Viewer } from '@/lib/auth/viewer-type';

// The review desk and the account list run the same few query shapes on every request. Drizzle
// builds each query's SQL and SQLite prepares it afresh on every call, which cost several times
// more than running it (the queue's first page: about 4 ms of building and preparing against
// well under 1 ms of running). Each shape is built once, with named placeholders for every value
// (the viewer, the filter, the page), prepared once per connection, and only run per request.
// The key names the shape: the same key must always build the same SQL.

const dialect = new SQLiteSyncDialect();
const byConnection = new WeakMap<Database.Database, Map<string, { stmt: Database.Statement; params: unknown[] }>>();

/** Rows of the query `build()` under `key`, with `values` for its sql.placeholder()s. */
export function allPrepared<R>(key: string, build: () => SQL, values: Record<string, unknown> = {}): R[] {
  const sqlite = getSqlite();
  let cache = byConnection.get(sqlite);
  if (!cache) {
    cache = new Map();
    byConnection.set(sqlite, cache);
  }
  let entry = cache.get(key);
  if (!entry) {
    const q = dialect.sqlToQuery(build());
    entry = { stmt: sqlite.prepare(q.sql), params: q.params };
    cache.set(key, entry);
  }
  return entry.stmt.all(...fillPlaceholders(entry.params, values)) as R[];
}

/** A list of ids as one parameter, for `x in (select value from json_each(?))`. */
export function idList(ids: readonly number[]): string {
  return JSON.stringify(ids);
}

/**
 * The viewer's reach over a course id column with the viewer as a placeholder (`viewerId`): every
 * course for an admin, the courses they run for an organizer, nothing for anyone else. The same
 * rule as courseManagedBy (db/queries/scope.ts), in a form a prepared statement can keep.
 */
export function managedCourse(role: Viewer['role'], courseIdColumn: SQLWrapper): SQL {
  if (role === 'admin') return sql`1 = 1`;
  if (role !== 'organizer') return sql`0 = 1`;
  return sql`${courseIdColumn} in (select co.course_id from course_organizers co where co.user_id = ${sql.placeholder('viewerId')})`;
}
