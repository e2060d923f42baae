import 'server-only';
import { sql } from 'drizzle-orm';
import { getDb } from '@/db';
import { isPostgres } from '@/db/dialect';

/** Whether the database answers, and how it is set up. No data and no user is exposed. */
export async function databaseHealth(): Promise<{
  ok: boolean;
  database: 'ok' | 'error';
  journalMode?: string;
  migrations?: number;
}> {
  try {
    const db = getDb();
    // The journal mode is SQLite's alone (WAL expected): read through the pragma's table-valued
    // function, a read-only select the async layer runs like any other read.
    const journalMode = isPostgres() ? undefined : (await db.get<{ journal_mode: string }>(sql`select journal_mode from pragma_journal_mode`))?.journal_mode;
    // drizzle's migrators keep their journal in "drizzle".__drizzle_migrations on PostgreSQL, in
    // the main schema on SQLite. count(*) is a bigint (text from node-postgres) there: Number().
    const journal = isPostgres() ? sql`drizzle.__drizzle_migrations` : sql`__drizzle_migrations`;
    const migrations = Number((await db.get<{ n: number | string }>(sql`select count(*) as n from ${journal}`))?.n ?? 0);
    return { ok: true, database: 'ok', ...(journalMode === undefined ? {} : { journalMode }), migrations };
  } catch {
    return { ok: false, database: 'error' };
  }
}
