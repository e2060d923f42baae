import { inOrder } from '@/lib/in-order';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import readline from 'node:readline';
import { count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { databasePath, getDb, getWriteSqlite, MIGRATED_ENV } from '@/db';
import { isPostgres } from '@/db/dialect';
import { verifyAuditChain } from '@/db/audit-chain';
import { makeAssignment } from '@/db/factories';
import { BUSY_MESSAGE } from '@/db/mutation';
import { authenticate, readThrottle } from '@/db/queries/auth';
import { saveDraft } from '@/db/queries/reflections/drafts';
import { auditLog, reflections, reflectionVersions } from '@/db/schema';
import { accountKey, addressKey, pairKey } from '@/lib/auth/throttle';
import { courseWithAssignment } from '@/test/course-fixtures';
import { signedIn, useTestDatabase } from '@/test/db';
import { holdWriteLock } from '@/test/write-lock';
import type { WriterTask } from './writer';

// `npm start` runs one server process per core over one SQLite file (scripts/serve.ts,
// docs/decisions/0014). Two real processes here write to one file at the same moment, each
// through the kernel as a server process would, and every guarantee holds across them. On
// PostgreSQL the two processes are two app servers over one database (issue 16): the same
// guarantees, from the advisory write lock (db/postgres.ts) instead of SQLite's file lock.

const root = path.resolve(import.meta.dirname, '../..');

interface WriterResult {
  saves: string[];
  submits: string[];
  signIns: string[];
}

function startWriter(task: WriterTask) {
  const child = spawn(path.join(root, 'node_modules/.bin/tsx'), ['-r', './scripts/server-only-shim.cjs', 'test/processes/writer.ts', JSON.stringify(task)], {
    cwd: root,
    // DATABASE_URL (PostgreSQL) comes with process.env: the test's own database.
    env: { ...process.env, DATABASE_PATH: databasePath(), [MIGRATED_ENV]: '1' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = readline.createInterface({ input: child.stdout });
  const ready = new Promise<void>((resolve) => lines.once('line', () => resolve()));
  const result = new Promise<WriterResult>((resolve, reject) => {
    let last = '';
    lines.on('line', (l) => (last = l));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(last) as WriterResult) : reject(new Error(`writer exited ${code}`))));
  });
  return { ready, result, go: () => child.stdin.end('go\n') };
}

describe('two server processes writing to one database', () => {
  useTestDatabase();

  it('keep revision checks, submit keys, the audit chain and the sign-in throttle', { timeout: 120_000 }, async () => {
    const cadre = await signedIn('cadre');
    const { meetingId, assignmentId } = await courseWithAssignment([cadre.id]);
    const saves = [assignmentId, ...await inOrder(Array.from({ length: 19 }), async () => await makeAssignment(meetingId))];
    const submitTo = await inOrder(Array.from({ length: 20 }), async () => await makeAssignment(meetingId));
    const submits = submitTo.map((id): [number, number, string] => [id, 0, randomUUID()]);
    const auditBefore = (await getDb().select({ n: count() }).from(auditLog).get())?.n ?? 0;
    const signIn = { username: 'no-such-cadre', ip: '203.0.113.9', attempts: 2 };
    const task = (name: string, body: string): WriterTask => ({ name, viewer: cadre, saves, submits, body, auditRows: 150, signIn });

    const a = startWriter(task('进程甲', '进程甲写下的心得正文。'.repeat(5)));
    const b = startWriter(task('进程乙', '进程乙写下的心得正文。'.repeat(5)));
    await Promise.all([a.ready, b.ready]);
    a.go();
    b.go();
    const [ra, rb] = await Promise.all([a.result, b.result]);

    // Revision checks: of two saves on the same base revision, one wins and one is told of the conflict.
    for (let i = 0; i < saves.length; i += 1) expect([ra.saves[i], rb.saves[i]].sort()).toEqual(['conflict', 'ok']);
    const db = getDb();
    for (const id of saves) {
      const row = await db.select().from(reflections).where(eq(reflections.assignmentId, id)).get();
      expect(row?.revision).toBe(1);
    }
    // Submit keys: the same key twice is one version, and both processes are answered as submitted.
    expect([...ra.submits, ...rb.submits].every((r) => r === 'ok')).toBe(true);
    for (const id of submitTo) {
      const row = await db.select().from(reflections).where(eq(reflections.assignmentId, id)).get();
      expect(await db.select().from(reflectionVersions).where(eq(reflectionVersions.reflectionId, row?.id ?? -1)).all()).toHaveLength(1);
    }
    // The audit chain: every row of both processes is in one unbroken chain.
    const check = await db.transaction(async (tx) => await verifyAuditChain(tx));
    expect(check.ok).toBe(true);
    expect((await db.select({ n: count() }).from(auditLog).where(eq(auditLog.action, 'login.blocked')).get())?.n).toBe(300);
    expect(check.rows).toBeGreaterThanOrEqual(auditBefore + 300);
    // The sign-in throttle: failures from both processes count together.
    expect([...ra.signIns, ...rb.signIns]).toEqual(['invalid', 'invalid', 'invalid', 'invalid']);
    for (const key of [pairKey(signIn.username, signIn.ip), addressKey(signIn.ip), accountKey(signIn.username)]) {
      expect((await readThrottle(db, key))?.failures).toBe(4);
    }
    // So here, in a third process's turn, the fifth failure is the pair's limit and the sixth try is refused.
    const req = { ip: signIn.ip, userAgent: 'vitest' };
    expect(await authenticate({ username: signIn.username, password: 'wrong-5' }, req)).toMatchObject({ ok: false, code: 'invalid' });
    expect(await authenticate({ username: signIn.username, password: 'wrong-6' }, req)).toMatchObject({ ok: false, code: 'throttled' });
  });

  it('a write that cannot get the lock before busy_timeout is refused in Chinese and writes nothing', async () => {
    const cadre = await signedIn('cadre');
    const { assignmentId } = await courseWithAssignment([cadre.id]);
    // Another process holds the write lock. SQLite: this one gives up at once rather than after
    // 5 seconds; PostgreSQL: after lock_timeout (5 seconds, db/postgres.ts), which a pooled
    // client has from its start.
    const save = () => saveDraft(cadre, { assignmentId, title: '标题', body: '正文', readingIds: [], baseRevision: 0 });
    const lock = await holdWriteLock();
    if (!isPostgres()) getWriteSqlite().pragma('busy_timeout = 0');
    try {
      expect(await save()).toEqual({ ok: false, code: 'busy', message: BUSY_MESSAGE });
    } finally {
      await lock.release();
    }
    expect(await getDb().select().from(reflections).all()).toHaveLength(0);
    // Once the lock is free the same save goes through.
    expect(await saveDraft(cadre, { assignmentId, title: '标题', body: '正文', readingIds: [], baseRevision: 0 })).toMatchObject({ ok: true });
  });
});
