import { createHash } from 'node:crypto';
import { getSqlite } from '@/db';

/** A digest of every row of every table (search index included), to prove that nothing changed. */
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
