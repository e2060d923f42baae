import { execFileSync } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { closeDb, databasePath, getDb } from '@/db';
import { verifyAuditChain } from '@/db/audit-chain';
import { isPostgres } from '@/db/dialect';
import { makeAuditEntries, makeUnit } from '@/db/factories';
import { createUnit } from '@/db/queries/units';
import { signedIn, useTestDatabase } from '@/test/db';

const REQ = { ip: '10.0.0.1', userAgent: 'vitest' };

async function verify() {
  return await getDb().transaction(async (tx) => await verifyAuditChain(tx));
}

/** Statements run on a raw connection of the test's database, past the portal's own (to tamper with it). */
async function rawExec(statements: string[]): Promise<void> {
  if (isPostgres()) {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      for (const s of statements) await client.query(s);
    } finally {
      await client.end();
    }
    return;
  }
  closeDb();
  const raw = new Database(databasePath());
  try {
    for (const s of statements) raw.exec(s);
  } finally {
    raw.close();
  }
}

/** Drops one of the audit log's triggers (the same names on both databases: db/migrations-pg/0001). */
const dropTrigger = (name: string) => (isPostgres() ? `DROP TRIGGER ${name} ON audit_log` : `DROP TRIGGER ${name}`);

describe('audit log: a hash chain, append-only', () => {
  useTestDatabase();

  async function rows(n: number) {
    await makeAuditEntries(Array.from({ length: n }, (_, i) => ({ actorId: null, actorUsername: `u${i}`, action: 'login.failure', ip: '10.0.0.9' })));
  }

  it('chains rows written by changes and by batches; verify finds it whole', async () => {
    await rows(5);
    const admin = await signedIn('admin');
    expect(await createUnit(admin, { name: '樊城区', parentId: '' }, REQ)).toMatchObject({ ok: true });
    await rows(3);
    expect(await verify()).toEqual({ ok: true, rows: 9 });
  });

  it('a batch of many rows (the prepared-statement path) stores every field and chains whole', async () => {
    const at = new Date('2026-05-09T01:30:00Z');
    await makeAuditEntries(
      Array.from({ length: 120 }, (_, i) => ({
        at,
        actorId: null,
        actorUsername: `u${i}`,
        action: 'user.create',
        targetType: 'user',
        targetId: String(i),
        detail: JSON.stringify({ username: `u${i}`, via: 'roster' }),
        ip: '10.0.0.9',
      })),
    );
    await rows(2);
    expect(await verify()).toEqual({ ok: true, rows: 122 });
    const stored = await getDb().get(sql`SELECT at, actor_username, action, target_type, target_id, detail, ip FROM audit_log WHERE id = 120`);
    expect(stored).toEqual({
      at: at.getTime(),
      actor_username: 'u119',
      action: 'user.create',
      target_type: 'user',
      target_id: '119',
      detail: '{"username":"u119","via":"roster"}',
      ip: '10.0.0.9',
    });
  });

  it('refuses UPDATE, DELETE and a row without a hash, through a raw connection too', async () => {
    await rows(2);
    const db = getDb();
    await expect(db.run(sql`UPDATE audit_log SET ip = '1.1.1.1' WHERE id = 1`)).rejects.toThrow(/append-only/u);
    await expect(db.run(sql`UPDATE audit_log SET hash = NULL WHERE id = 1`)).rejects.toThrow(/append-only/u);
    await expect(db.run(sql`DELETE FROM audit_log`)).rejects.toThrow(/append-only/u);
    await expect(db.run(sql`INSERT INTO audit_log (action) VALUES ('logout')`)).rejects.toThrow(/chain hash/u);
    if (isPostgres()) await expect(db.run(sql`TRUNCATE audit_log`)).rejects.toThrow(/append-only/u);
    expect(await verify()).toEqual({ ok: true, rows: 2 });
  });

  it('verify names the first row tampered with through a raw connection with the trigger dropped', async () => {
    await rows(6);
    await rawExec([dropTrigger('audit_log_no_update'), "UPDATE audit_log SET actor_username = 'someone-else' WHERE id = 4"]);
    expect(await verify()).toMatchObject({ ok: false, brokenAt: 4 });
  });

  it('verify notices a row removed from the middle (the next row no longer chains)', async () => {
    await rows(6);
    await rawExec([dropTrigger('audit_log_no_delete'), 'DELETE FROM audit_log WHERE id = 3']);
    expect(await verify()).toMatchObject({ ok: false, brokenAt: 4 });
  });

  // SQLite only: a database from before migration 0009 (rows without hashes) exists only as a
  // SQLite file; a PostgreSQL database starts chained (db/migrations-pg) or is copied from a
  // chained SQLite one (npm run db:copy-to-postgres), so PostgreSQL's start-up has nothing to backfill.
  it.skipIf(isPostgres())('rows older than the chain get their hashes at the next start, in id order', async () => {
    await makeUnit('樊城区');
    await rows(3);
    closeDb();
    // As a database from before migration 0009 would be: rows without hashes.
    const raw = new Database(databasePath());
    raw.exec('DROP TRIGGER audit_log_no_update');
    raw.prepare('UPDATE audit_log SET hash = NULL').run();
    raw.exec("CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log WHEN NOT (OLD.hash IS NULL AND NEW.hash IS NOT NULL) BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;");
    raw.close();
    expect(await verify()).toEqual({ ok: true, rows: 3 });
    await rows(1);
    expect(await verify()).toEqual({ ok: true, rows: 4 });
  });

  it('two transactions appending at once chain one after the other (one writer at a time)', async () => {
    await Promise.all(Array.from({ length: 6 }, () => rows(4)));
    expect(await verify()).toEqual({ ok: true, rows: 24 });
  });

  it('npm run audit:verify says 完整, and names the broken row with exit code 1', async () => {
    await rows(3);
    const run = () =>
      execFileSync('npx', ['tsx', '--conditions=react-server', path.resolve('scripts/audit-verify.ts')], {
        env: isPostgres() ? { ...process.env } : { ...process.env, DATABASE_PATH: databasePath() },
        encoding: 'utf8',
        stdio: 'pipe',
      });
    closeDb();
    expect(run()).toContain('审计日志完整');
    await rawExec([dropTrigger('audit_log_no_update'), "UPDATE audit_log SET detail = '{}' WHERE id = 2"]);
    let out = '';
    try {
      run();
    } catch (e) {
      out = String((e as { stderr?: string }).stderr);
    }
    expect(out).toContain('第 2 号记录');
  });
});
