import { inOrder } from '@/lib/in-order';
// One of two processes writing to the same database file at once (db/processes.test.ts), as two
// server processes of `npm start` do (scripts/serve.ts). It opens the database as a server
// process does (migrated already: XUESI_DB_MIGRATED=1), says "ready", waits for "go" on stdin so
// that both start together, runs its tasks and prints one JSON line of results.
import readline from 'node:readline';
import { getDb } from '@/db';
import { writeAudit } from '@/db/audit';
import { transaction } from '@/db/mutation';
import { authenticate } from '@/db/queries/auth';
import { saveDraft } from '@/db/queries/reflections/drafts';
import { submitReflection } from '@/db/queries/reflections/submit';
import type { Viewer } from '@/lib/auth/viewer-type';

export interface WriterTask {
  name: string;
  viewer: Viewer;
  /** Assignments to save to, each at base revision 0, with this process's own text. */
  saves: number[];
  /** [assignmentId, baseRevision, submitKey]: the same in both processes. */
  submits: [number, number, string][];
  body: string;
  auditRows: number;
  signIn: { username: string; ip: string; attempts: number };
}

async function main() {
  const task = JSON.parse(process.argv[2] ?? '{}') as WriterTask;
  getDb();
  console.log('ready');
  const lines = readline.createInterface({ input: process.stdin });
  await new Promise<void>((resolve) => lines.once('line', () => resolve()));
  lines.close();

  const req = { ip: task.signIn.ip, userAgent: task.name };
  const saves = await inOrder(task.saves, async (assignmentId) => {
    const r = await saveDraft(task.viewer, { assignmentId, title: task.name, body: task.body, readingIds: [], baseRevision: 0 }, req);
    return r.ok ? 'ok' : r.code;
  });
  const submits = await inOrder(task.submits, async ([assignmentId, baseRevision, submitKey]) => {
    const r = await submitReflection(
      task.viewer,
      { assignmentId, title: '同一次提交', body: task.body, readingIds: [], baseRevision, submitKey, declaration: true },
      req,
    );
    return r.ok ? 'ok' : r.code;
  });
  for (let i = 0; i < task.auditRows; i += 1) {
    await transaction(async (tx) => await writeAudit(tx, { actorId: null, actorUsername: task.name, action: 'login.blocked', ip: req.ip, detail: { i } }));
  }
  const signIns: string[] = [];
  for (let i = 0; i < task.signIn.attempts; i += 1) {
    const r = await authenticate({ username: task.signIn.username, password: `wrong-${i}` }, req);
    signIns.push(r.ok ? 'ok' : r.code);
  }
  console.log(JSON.stringify({ saves, submits, signIns }));
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
