import Database from 'better-sqlite3';
import pg from 'pg';
import { databasePath, getDb } from '@/db';
import { isPostgres } from '@/db/dialect';
import { WRITE_LOCK_KEY } from '@/db/postgres';
import { units } from '@/db/schema';

/**
 * The database's write lock, taken on a connection of its own (as another server process, the
 * roster process or another app server would hold it) until release(), which writes nothing.
 */
export async function holdWriteLock(): Promise<{ release: () => Promise<void> }> {
  if (isPostgres()) {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [WRITE_LOCK_KEY]);
    return {
      release: async () => {
        await client.query('ROLLBACK');
        await client.end();
      },
    };
  }
  // This process's connections first (they open the file in WAL mode), then the other one.
  await getDb().select().from(units).limit(1).all();
  const other = new Database(databasePath());
  other.exec('BEGIN IMMEDIATE');
  return {
    release: async () => {
      other.exec('ROLLBACK');
      other.close();
    },
  };
}
