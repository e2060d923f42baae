// The audit log's hash chain (issue 14, 等保 安全审计): written by appendAudit, checked by
// verifyAuditChain (npm run audit:verify), and given to rows older than the chain at first start.
// No 'server-only' here: db/index.ts and the scripts use it too.
import { createHash } from 'node:crypto';
import { asc, desc, gt, isNull, sql } from 'drizzle-orm';
import { auditLog } from './schema';
import type { SyncTx, Tx } from './index';

/** The columns an audit row is made of, as stored (the hash aside). */
export type AuditValues = Omit<typeof auditLog.$inferInsert, 'id' | 'hash'>;
type Chainable = { at: Date; actorId: number | null; actorUsername: string | null; action: string; targetType: string | null; targetId: string | null; detail: string | null; ip: string | null };

/** The hash a row carries when the row before it carries `prev` ('' before the first row). */
export function chainHash(prev: string, row: Chainable): string {
  // A JSON array: every field in a fixed order, types kept (null is not ''), no separator ambiguity.
  const canonical = JSON.stringify([
    prev,
    row.at.getTime(),
    row.actorId,
    row.actorUsername,
    row.action,
    row.targetType,
    row.targetId,
    row.detail,
    row.ip,
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

async function lastHash(tx: Tx): Promise<string> {
  return (await tx.select({ hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.id)).limit(1).get())?.hash ?? '';
}

/** Up to this many rows go in one multi-row INSERT; more, through a prepared statement. */
const CHUNK = 50;

/**
 * The one way an audit row is written: each row's hash chains it to the row before it (SHA-256 of
 * the previous hash and the row's content, lib: chainHash). The previous hash is read inside the
 * caller's transaction, and write transactions run one at a time (SQLite's single writer; on
 * PostgreSQL every write transaction first takes one advisory lock, db/postgres.ts, across every
 * app server), so two writers cannot chain to the same row. audit_log refuses UPDATE and DELETE
 * (triggers: SQLite migration 0009, PostgreSQL db/migrations-pg/0001, same names; TRUNCATE too)
 * and a row without a hash; `npm run audit:verify` walks the chain.
 */
export async function appendAudit(tx: Tx, rows: readonly AuditValues[]): Promise<void> {
  let prev = await lastHash(tx);
  const now = new Date();
  const chained = rows.map((r) => {
    const row: Chainable = {
      at: r.at ?? now,
      actorId: r.actorId ?? null,
      actorUsername: r.actorUsername ?? null,
      action: r.action,
      targetType: r.targetType ?? null,
      targetId: r.targetId ?? null,
      detail: r.detail ?? null,
      ip: r.ip ?? null,
    };
    prev = chainHash(prev, row);
    return { ...row, hash: prev };
  });
  if (chained.length <= CHUNK) {
    if (chained.length > 0) await tx.insert(auditLog).values(chained).run();
    return;
  }
  // Many rows (a roster import writes one per account): one prepared statement run per row, so
  // that drizzle builds the SQL once instead of once per multi-row chunk; it was half the time the
  // import's transaction held the write lock.
  const insert = tx
    .insert(auditLog)
    .values({
      at: sql.placeholder('at'),
      actorId: sql.placeholder('actorId'),
      actorUsername: sql.placeholder('actorUsername'),
      action: sql.placeholder('action'),
      targetType: sql.placeholder('targetType'),
      targetId: sql.placeholder('targetId'),
      detail: sql.placeholder('detail'),
      ip: sql.placeholder('ip'),
      hash: sql.placeholder('hash'),
    })
    .prepare();
  for (const row of chained) await insert.run(row);
}

export type ChainCheck = { ok: true; rows: number } | { ok: false; rows: number; brokenAt: number; reason: string };

/**
 * Walks the chain in id order and answers the first row whose hash is not what its content and
 * the row before it give: a row edited, removed from the middle or inserted (rows removed from the
 * end leave no trace in the chain itself; the daily backup keeps a copy to compare with).
 */
export async function verifyAuditChain(tx: Tx): Promise<ChainCheck> {
  let prev = '';
  let lastId = 0;
  let rows = 0;
  for (;;) {
    const page = await tx.select().from(auditLog).where(gt(auditLog.id, lastId)).orderBy(asc(auditLog.id)).limit(5000).all();
    if (page.length === 0) return { ok: true, rows };
    for (const r of page) {
      rows += 1;
      if (r.hash === null) return { ok: false, rows, brokenAt: r.id, reason: '没有校验值' };
      if (chainHash(prev, r) !== r.hash) return { ok: false, rows, brokenAt: r.id, reason: '内容或前后顺序与校验值不符' };
      prev = r.hash;
      lastId = r.id;
    }
  }
}

/**
 * Rows written before the chain existed get their hashes once, at first start after the upgrade
 * (db/index.ts), in id order. The update trigger lets a hash be set only where there was none and
 * nothing else change; once every row has one, no update is possible.
 */
export function backfillAuditChain(tx: SyncTx, setHash: (id: number, hash: string) => void): number {
  if (!tx.select({ id: auditLog.id }).from(auditLog).where(isNull(auditLog.hash)).limit(1).get()) return 0;
  let prev = '';
  let lastId = 0;
  let n = 0;
  for (;;) {
    const page = tx.select().from(auditLog).where(gt(auditLog.id, lastId)).orderBy(asc(auditLog.id)).limit(5000).all();
    if (page.length === 0) return n;
    for (const r of page) {
      lastId = r.id;
      if (r.hash !== null) {
        prev = r.hash;
        continue;
      }
      prev = chainHash(prev, r);
      setHash(r.id, prev);
      n += 1;
    }
  }
}
