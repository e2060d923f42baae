// The deadline burst across two app servers (issue 16; part of `npm run bench`, or alone:
// `npm run bench:cluster`):
// 1. scripts/cluster-rig.ts: a throwaway PostgreSQL, two app servers (`npm start`, one process
//    each) sharing it, nginx with the repo's deploy/nginx/xuesi.conf in front (HTTPS);
// 2. in a child process on that database (the dialect is fixed per process at load): one course,
//    its organizer, 2,000 cadres enrolled, one assignment due next week and a signed-in session
//    per cadre, all through db/factories and the bench's signIn (scripts/bench-http-data.ts);
// 3. through nginx, every cadre autosaves once and then presses 提交 once, with at most
//    BURST_CONCURRENCY (200) requests in flight; an answer of 系统正忙 is retried after a pause,
//    as a person presses again (and as the editor's autosave retries), with the same submitKey;
// 4. counted afterwards in PostgreSQL with plain SQL: every acknowledged submit must have its
//    version with the exact words sent (lost = acknowledged but missing or different), no cadre
//    more than one version 1, and every cadre handed in.
// Exits non-zero on a lost, duplicated or missing submission: a correctness check, never a
// timing one. The rig is stopped whatever happens, Ctrl-C included. Without nginx or
// PostgreSQL's server programs it says why and skips.
//
// BURST_CADRES (2000) and BURST_CONCURRENCY (200) change the size for a trial.
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Account } from './bench-http-data';
import type { Rig } from './cluster-rig';
import { formatTable, latencyOf } from './bench-http-stats';

const SELF = path.join('scripts', 'bench-cluster.ts');

interface BurstData {
  assignmentId: number;
  cadres: Account[];
  ms: number;
}

// ---------------------------------------------------------------------------------------------
// The child: builds the data on the rig's PostgreSQL (DATABASE_URL, NEXTAUTH_URL and
// NEXTAUTH_SECRET come from the parent, so the cookie has the rig's name and signature).

async function childData(n: number): Promise<BurstData> {
  const { closeDbAndWait, getDb } = await import('../db');
  const f = await import('../db/factories');
  const { signIn } = await import('./bench-http-data');
  const secret = process.env.NEXTAUTH_SECRET as string;
  const t = performance.now();
  try {
    const built = await getDb().transaction(async () => {
      const organizerId = await f.makeUser('organizer', { username: 'burst-org', name: '冲刺组织者' });
      const courseId = await f.makeCourse({ name: '截止冲刺读书班', columnName: '读书班', startsOn: '2026-11-01', organizerIds: [organizerId] });
      const ids = await f.makeUsers(Array.from({ length: n }, (_, i) => ({ role: 'cadre' as const, username: `burst${String(i + 1).padStart(4, '0')}`, name: `冲刺学员${i + 1}` })));
      await f.enroll(courseId, ids);
      const meetingId = await f.makeMeeting(courseId, { title: '截止前集中学习', startsAt: new Date(Date.now() - 86400_000) });
      const assignmentId = await f.makeAssignment(meetingId, { courseId, title: '截止前学习心得', dueAt: new Date(Date.now() + 7 * 86400_000) });
      const cadres: Account[] = [];
      for (const [i, id] of ids.entries()) cadres.push(await signIn(id, `burst${String(i + 1).padStart(4, '0')}`, secret));
      return { assignmentId, cadres };
    });
    return { ...built, ms: performance.now() - t };
  } finally {
    await closeDbAndWait();
  }
}

async function dataInChild(rig: Rig, n: number, dir: string): Promise<BurstData> {
  const out = path.join(dir, 'burst-data.json');
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: rig.databaseUrl, NEXTAUTH_URL: rig.url, NEXTAUTH_SECRET: rig.secrets.NEXTAUTH_SECRET };
  delete env.XUESI_DB_MIGRATED;
  const child = spawn('npx', ['tsx', '-r', './scripts/server-only-shim.cjs', SELF, '--child', String(n), '--out', out], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', resolve);
  });
  if (code !== 0 || !fs.existsSync(out)) throw new Error(`bench-cluster: building the data failed (exit ${code})`);
  return JSON.parse(fs.readFileSync(out, 'utf8')) as BurstData;
}

// ---------------------------------------------------------------------------------------------
// What the database must hold afterwards (pure, scripts/bench-cluster.test.ts).

export interface SentSubmit {
  authorId: number;
  submitKey: string;
  title: string;
  body: string;
  acknowledged: boolean;
}

/** One reflection_versions row of the burst's assignment, with its reflection's author and status. */
export interface StoredVersion {
  authorId: number;
  status: string;
  version: number;
  submitKey: string;
  title: string;
  body: string;
}

export interface BurstCheck {
  acknowledged: number;
  /** Acknowledged, but no version with that submitKey and exactly those words. */
  lost: number;
  /** Cadres with more than one version 1. */
  duplicates: number;
  /** Cadres who pressed 提交 and have no submitted reflection at the end. */
  missing: number;
}

export function checkBurst(sent: readonly SentSubmit[], stored: readonly StoredVersion[]): BurstCheck {
  const byKey = new Map<string, StoredVersion>();
  const firsts = new Map<number, number>();
  const submitted = new Set<number>();
  for (const v of stored) {
    byKey.set(`${v.authorId}:${v.submitKey}`, v);
    if (v.version === 1) firsts.set(v.authorId, (firsts.get(v.authorId) ?? 0) + 1);
    if (v.status === 'submitted') submitted.add(v.authorId);
  }
  let lost = 0;
  for (const s of sent) {
    if (!s.acknowledged) continue;
    const v = byKey.get(`${s.authorId}:${s.submitKey}`);
    if (!v || v.title !== s.title || v.body !== s.body) lost += 1;
  }
  return {
    acknowledged: sent.filter((s) => s.acknowledged).length,
    lost,
    duplicates: [...firsts.values()].filter((k) => k > 1).length,
    missing: sent.filter((s) => !submitted.has(s.authorId)).length,
  };
}

/** How many of `upstreams` (host:port, as nginx logs them) went to each named server. */
export function perServer(upstreams: readonly string[], servers: readonly { name: string; port: number }[]): Record<string, number> {
  const out: Record<string, number> = Object.fromEntries(servers.map((s) => [s.name, 0]));
  for (const u of upstreams) {
    const name = servers.find((s) => u.endsWith(`:${s.port}`))?.name ?? u;
    out[name] = (out[name] ?? 0) + 1;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The burst

interface Phase {
  times: number[];
  busyRetries: number;
  errors: string[];
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
// A person who reads 系统正忙 and presses again: one to two seconds later.
const pressAgain = () => pause(1000 + Math.random() * 1000);

// After this many presses answered 系统正忙 the attempt counts as an error.
const MAX_PRESSES = 20;

/** Sends `send` until its answer is not busy; times every request. True when it was acknowledged. */
async function untilNotBusy(phase: Phase, send: () => Promise<{ outcome: 'ok' | 'busy' | 'error'; detail: string }>): Promise<boolean> {
  for (let press = 1; ; press++) {
    const t = performance.now();
    const r = await send().catch((e: unknown) => ({ outcome: 'error' as const, detail: e instanceof Error ? `${e.message} ${String(e.cause ?? '')}` : String(e) }));
    phase.times.push(performance.now() - t);
    if (r.outcome === 'busy' && press < MAX_PRESSES) {
      phase.busyRetries += 1;
      await pressAgain();
      continue;
    }
    if (r.outcome !== 'ok') phase.errors.push(r.detail);
    return r.outcome === 'ok';
  }
}

async function fireBurst(base: string, data: BurstData, submitId: string, concurrency: number): Promise<{ autosave: Phase; submit: Phase; sent: SentSubmit[]; wall: number }> {
  const { sendAutosave, sendSubmit, submitOutcome, burstText } = await import('./bench-http-load');
  const autosave: Phase = { times: [], busyRetries: 0, errors: [] };
  const submit: Phase = { times: [], busyRetries: 0, errors: [] };
  const sent: SentSubmit[] = [];
  const { assignmentId } = data;
  let next = 0;
  // Each worker is one request in flight at most: a cadre autosaves, then presses 提交.
  const worker = async () => {
    for (let i = next++; i < data.cadres.length; i = next++) {
      const c = data.cadres[i] as Account;
      const text = burstText(i);
      let revision = 0;
      await untilNotBusy(autosave, async () => {
        const { status, json } = await sendAutosave(base, c.cookie, assignmentId, text);
        if (json.ok && typeof json.revision === 'number') revision = json.revision;
        return { outcome: json.ok === true && status < 300 ? 'ok' : json.code === 'busy' ? 'busy' : 'error', detail: `autosave ${status} ${JSON.stringify(json).slice(0, 200)}` };
      });
      const submitKey = randomUUID();
      const acknowledged = await untilNotBusy(submit, async () => {
        const { status, text: flight } = await sendSubmit(base, c.cookie, submitId, { assignmentId, ...text, baseRevision: revision, submitKey });
        return { outcome: submitOutcome(status, flight), detail: `submit ${status} ${flight.slice(0, 200)}` };
      });
      sent.push({ authorId: c.id, submitKey, ...text, acknowledged });
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, data.cadres.length) }, worker));
  return { autosave, submit, sent, wall: performance.now() - t0 };
}

async function storedVersions(databaseUrl: string, assignmentId: number): Promise<{ versions: StoredVersion[]; submitted: number }> {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const versions = await client.query<StoredVersion>(
      `select r.author_id as "authorId", r.status, v.version, v.submit_key as "submitKey", v.title, v.body
         from reflection_versions v join reflections r on r.id = v.reflection_id
        where r.assignment_id = $1`,
      [assignmentId],
    );
    const submitted = await client.query<{ n: string }>(`select count(*) as n from reflections where assignment_id = $1 and status = 'submitted'`, [assignmentId]);
    return { versions: versions.rows, submitted: Number(submitted.rows[0]?.n ?? 0) };
  } finally {
    await client.end();
  }
}

const n0 = (n: number) => n.toLocaleString('en-US');
const msOf = (n: number) => n.toFixed(0);

/** The whole run; resolves to false when a submission was lost, duplicated or missing. */
export async function benchCluster(): Promise<boolean> {
  const cadres = Number(process.env.BURST_CADRES ?? 2000);
  const concurrency = Number(process.env.BURST_CONCURRENCY ?? 200);
  console.log(`\nDeadline burst on two app servers behind nginx, one PostgreSQL (issue 16): ${n0(cadres)} cadres, at most ${concurrency} requests in flight`);
  const { findNginx, startRig } = await import('./cluster-rig');
  const { findPostgresBin } = await import('../test/pg/cluster');
  if (!findNginx()) {
    console.log('  skipped: no nginx (/usr/sbin/nginx); bash scripts/ensure-nginx.sh installs it (as root).');
    return true;
  }
  if (!findPostgresBin()) {
    console.log('  skipped: no PostgreSQL server programs (/usr/lib/postgresql/*/bin); bash scripts/ensure-postgres.sh installs them (as root).');
    return true;
  }

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xuesi-bench-cluster-'));
  let rig: Rig | null = null;
  let interrupted = false;
  // A terminal's Ctrl-C reaches this process twice (from the terminal and relayed by tsx): the
  // handler stays and acts once, or the second signal would kill the process before it stops the rig.
  const onInterrupt = () => {
    if (interrupted) return;
    interrupted = true;
    // While it starts there is nothing to stop yet: the check after startRig stops it.
    console.log(`\n  interrupted: stopping the rig${rig ? '' : ' once it has started'}`);
    if (!rig) return;
    void rig.stop().finally(() => {
      fs.rmSync(dir, { recursive: true, force: true });
      process.exit(130);
    });
  };
  process.on('SIGINT', onInterrupt);
  process.on('SIGTERM', onInterrupt);
  // The rig's certificate is self-signed for localhost; only this run's requests go there.
  const tlsBefore = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
  let ok = false;
  try {
    rig = await startRig({ admin: { username: 'bench-admin', password: randomBytes(18).toString('base64url') }, log: (line) => console.log(`  ${line}`) });
    if (interrupted) return false;
    const data = await dataInChild(rig, cadres, dir);
    console.log(`  data: ${n0(data.cadres.length)} cadres enrolled and signed in, built in ${(data.ms / 1000).toFixed(1)} s (db/factories on PostgreSQL)`);
    const { actionId } = await import('./bench-http-load');
    const submitId = actionId(process.cwd(), 'submitReflectionAction', 'my/assignments');

    const burst = await fireBurst(rig.url, data, submitId, concurrency);
    const { versions, submitted } = await storedVersions(rig.databaseUrl, data.assignmentId);
    const check = checkBurst(burst.sent, versions);
    const errors = burst.autosave.errors.length + burst.submit.errors.length;
    ok = check.lost === 0 && check.duplicates === 0 && check.missing === 0 && burst.sent.length === data.cadres.length;

    console.log(`  submissions ${n0(burst.sent.length)}, acknowledged ${n0(check.acknowledged)}, lost ${check.lost}, duplicates ${check.duplicates}, missing at the end ${check.missing}`);
    console.log(`  in PostgreSQL: ${n0(submitted)} reflections submitted, ${n0(versions.length)} reflection_versions rows`);
    console.log(`  refused as busy（系统正忙）and sent again: submit ${burst.submit.busyRetries}, autosave ${burst.autosave.busyRetries}; errors: submit ${burst.submit.errors.length}, autosave ${burst.autosave.errors.length}`);
    const row = (name: string, p: Phase) => {
      const l = latencyOf(p.times);
      return [name, n0(l.n), msOf(l.p50), msOf(l.p95), msOf(l.max)];
    };
    console.log(formatTable(['request (each one sent, retries included)', 'n', 'p50 ms', 'p95 ms', 'max ms'], [row('autosave POST /api/reflections/draft', burst.autosave), row('submit (server action) POST /my/assignments/…', burst.submit)], '  '));
    console.log(`  wall time: ${(burst.wall / 1000).toFixed(1)} s (${(burst.sent.length / (burst.wall / 1000)).toFixed(0)} cadres a second)`);
    const servers = rig.servers.map((s) => ({ name: s.name, port: s.port }));
    const drafts = perServer(rig.logged(/"POST \/api\/reflections\/draft /u).map((l) => l.upstream), servers);
    const submits = perServer(rig.logged(new RegExp(`"POST /my/assignments/${data.assignmentId} `, 'u')).map((l) => l.upstream), servers);
    console.log(formatTable(['app server', 'autosaves', 'submits'], Object.keys({ ...drafts, ...submits }).map((name) => [name, n0(drafts[name] ?? 0), n0(submits[name] ?? 0)]), '  '));
    if (servers.some((s) => !drafts[s.name] || !submits[s.name])) {
      const size = fs.existsSync(rig.accessLog) ? `${fs.statSync(rig.accessLog).size} bytes` : 'missing';
      console.log(`  NOTE: an app server took no share of one kind of request (nginx's access log ${rig.accessLog}: ${size})`);
    }

    for (const e of [...burst.autosave.errors, ...burst.submit.errors].slice(0, 5)) console.log(`  error: ${e}`);
    if (!ok || errors > 0) {
      for (const s of rig.servers) console.log(`\n  --- app server ${s.name}, last lines of its log ---\n${s.log().slice(-3000)}`);
    }
    if (!ok) console.log('\n  FAILED: a submission was lost, duplicated or missing (see above)');
    return ok;
  } finally {
    process.removeListener('SIGINT', onInterrupt);
    process.removeListener('SIGTERM', onInterrupt);
    if (tlsBefore === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    else process.env.NODE_TLS_REJECT_UNAUTHORIZED = tlsBefore;
    await rig?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    if (interrupted) process.exit(130);
  }
}

if (process.argv[1]?.endsWith('bench-cluster.ts')) {
  const { values } = parseArgs({ options: { child: { type: 'string' }, out: { type: 'string' } } });
  const run = async () => {
    if (values.child) {
      fs.writeFileSync(values.out!, JSON.stringify(await childData(Number(values.child))));
      return;
    }
    if (!(await benchCluster())) process.exitCode = 1;
  };
  run().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
