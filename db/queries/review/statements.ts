import 'server-only';
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { queryCached } from '@/db';
import { idsValue } from '@/db/sql-kit';
import type { Viewer } from '@/lib/auth/viewer-type';

// The review desk and the account list run the same few query shapes on every request. Drizzle
// builds each query's SQL and SQLite prepares it afresh on every call, which cost several times
// more than running it (the queue's first page: about 4 ms of building and preparing against
// well under 1 ms of running). Each shape is built once, with named placeholders for every value
// (the viewer, the filter, the page), and only run per request: through queryCached (db/index.ts),
// which keeps the built SQL per database and runs it on the async layer's routing, so that it
// goes wherever getDb()'s queries go (issue 16).
// The key names the shape: the same key must always build the same SQL.

/** Rows of the query `build()` under `key`, with `values` for its sql.placeholder()s. */
export async function allPrepared<R>(key: string, build: () => SQL, values: Record<string, unknown> = {}): Promise<R[]> {
  return await queryCached<R>(key, build, values);
}

/** A list of ids as the value of one placeholder of inIds (db/sql-kit.ts). */
export function idList(ids: readonly number[]): string | number[] {
  return idsValue(ids);
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
