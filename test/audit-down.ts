import { sql } from 'drizzle-orm';
import { getDb, getWriteSqlite } from '@/db';
import { isPostgres } from '@/db/dialect';

// Makes every insert into audit_log fail with "audit down", to show that a change whose audit row
// cannot be written is not written either: a trigger on SQLite, a trigger function on PostgreSQL.

export async function auditDown(): Promise<void> {
  if (isPostgres()) {
    await getDb().run(sql.raw(`create function no_audit() returns trigger language plpgsql as $$ begin raise exception 'audit down'; end $$`));
    await getDb().run(sql.raw('create trigger no_audit before insert on audit_log for each row execute function no_audit()'));
  } else {
    getWriteSqlite().exec(`create trigger no_audit before insert on audit_log begin select raise(abort, 'audit down'); end;`);
  }
}

export async function auditUp(): Promise<void> {
  if (isPostgres()) {
    await getDb().run(sql.raw('drop trigger no_audit on audit_log'));
    await getDb().run(sql.raw('drop function no_audit()'));
  } else {
    getWriteSqlite().exec('drop trigger no_audit');
  }
}

/**
 * True when `e` is the failure auditDown() causes: its message, or that of an error it wraps
 * (drizzle's pg-proxy reports a failed statement as "Failed query: …" with the server's error as
 * its cause).
 */
export function isAuditDown(e: unknown): boolean {
  for (let x: unknown = e; x instanceof Error; x = x.cause) if (/audit down/u.test(x.message)) return true;
  return false;
}
