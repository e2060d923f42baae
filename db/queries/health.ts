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
    const migrations = Number((await db.get<{ n: number }>(sql`select count(*) as n from __drizzle_migrations`))?.n ?? 0);
    return { ok: true, database: 'ok', ...(journalMode === undefined ? {} : { journalMode }), migrations };
  } catch {
    return { ok: false, database: 'error' };
  }
}
