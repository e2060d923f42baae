import 'server-only';
import { getSqlite } from '@/db';

/** Whether the database answers, and how it is set up. No data and no user is exposed. */
export function databaseHealth(): {
  ok: boolean;
  database: 'ok' | 'error';
  journalMode?: string;
  migrations?: number;
} {
  try {
    const sqlite = getSqlite();
    const journalMode = sqlite.pragma('journal_mode', { simple: true }) as string;
    const migrations = (sqlite.prepare('select count(*) as n from __drizzle_migrations').get() as { n: number }).n;
    sqlite.prepare('select 1').get();
    return { ok: true, database: 'ok', journalMode, migrations };
  } catch {
    return { ok: false, database: 'error' };
  }
}
