// The load side of `npm run bench:http` (scripts/bench-http.ts): one autocannon run against one
// page, and the deadline burst (100 cadres autosaving, then submitting, all at once).
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Account } from './bench-http-data';
import { median, quantile } from './bench-http-stats';

// autocannon ships no types; only what the bench uses is described here.
interface Histogram {
  average: number;
}
interface CannonResult {
  requests: Histogram & { total: number };
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
}
interface CannonInstance {
  on(event: 'response', fn: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void): void;
}
type Cannon = (opts: Record<string, unknown>, done: (err: Error | null, result: CannonResult) => void) => CannonInstance;
const autocannon = createRequire(path.join(process.cwd(), 'package.json'))('autocannon') as Cannon;

export interface Run {
  rps: number;
  p95: number;
  /** Non-2xx answers and connection errors. */
  bad: number;
  /** Server CPU (every process of its group, user + system) per answered request, ms; NaN off Linux. */
  cpu: number;
  /**
   * Of it, the processes' main threads: JavaScript, React's rendering and SQLite run there; V8's
   * collector and compiler helpers and libuv's pool run beside it.
   */
  mainCpu: number;
}

/**
 * One page under 10 connections (BENCH_CONNECTIONS) for `seconds`. p95 comes from every
 * response's own time (autocannon's histogram stops at p90 and p97.5). One connection to one
 * server process (BENCH_CONNECTIONS=1 WEB_CONCURRENCY=1) gives a page's own CPU per request,
 * without the interleaving of requests that ten connections on two cores bring.
 */
export function hammer(url: string, headers: Record<string, string>, seconds: number, pgid?: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const times: number[] = [];
    const cpu0 = groupCpuMs(pgid);
    const main0 = groupCpuMs(pgid, true);
    const from = process.hrtime.bigint() / 1000n;
    const instance = autocannon({ url, connections: Number(process.env.BENCH_CONNECTIONS) || 10, duration: seconds, headers }, (err, result) => {
      if (err) return reject(err);
      const answered = Math.max(1, result.requests.total);
      const cpu = (groupCpuMs(pgid) - cpu0) / answered;
      const mainCpu = (groupCpuMs(pgid, true) - main0) / answered;
      // BENCH_WINDOWS=1: when each page was driven, in µs of CLOCK_MONOTONIC, to cut a system-wide
      // `perf record -k CLOCK_MONOTONIC` of the run into pages (no profiler in the server).
      if (process.env.BENCH_WINDOWS) console.log(`\nwindow ${new URL(url).pathname} ${from} ${process.hrtime.bigint() / 1000n} ${result.requests.total}`);
      resolve({ rps: result.requests.total / seconds, p95: quantile(times, 0.95), bad: result.non2xx + result.errors, cpu, mainCpu });
    });
    instance.on('response', (_client, _status, _bytes, ms) => times.push(ms));
  });
}

/** The server action's id, read from the build: the editor calls it as React's client would. */
export function actionId(root: string, exportedName: string, pageFragment: string): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, '.next', 'server', 'server-reference-manifest.json'), 'utf8')) as {
    node: Record<string, { workers: Record<string, unknown>; exportedName?: string }>;
  };
  const found = Object.entries(manifest.node).find(
    ([, entry]) => entry.exportedName === exportedName && Object.keys(entry.workers).some((w) => w.includes(pageFragment)),
  );
  if (!found) throw new Error(`no server action ${exportedName} for ${pageFragment} in the build`);
  return found[0];
}

export interface BurstPhase {
  /** CPU the server's processes spent in the phase (Linux /proc; NaN elsewhere), ms. */
  cpu: number;
  p50: number;
  p95: number;
  max: number;
  errors: number;
  wall: number;
  /** The median answer's size in bytes. */
  bytes: number;
}

/**
 * CPU time (user + system, ms) of every process in a process group: the server `npm start` runs,
 * its workers included. Wall times on a busy machine say how long others ran too; this does not.
 * mainOnly: the main thread of each process alone (/proc/PID/task/PID/stat).
 */
export function groupCpuMs(pgid: number | undefined, mainOnly = false): number {
  if (pgid === undefined || !fs.existsSync('/proc/self/stat')) return Number.NaN;
  let ticks = 0;
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/u.test(pid)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // After the command's closing parenthesis: state, ppid, pgrp, … utime (14th field), stime (15th).
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(f[2]) !== pgid) continue;
    if (!mainOnly) {
      ticks += Number(f[11]) + Number(f[12]);
      continue;
    }
    try {
      const main = fs.readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
      const m = main.slice(main.lastIndexOf(')') + 2).split(' ');
      ticks += Number(m[11]) + Number(m[12]);
    } catch {
      // gone meanwhile
    }
  }
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

/** Fires every request at once and times each to its last byte; a request says if it succeeded and how big the answer was. */
async function allAtOnce(requests: (() => Promise<{ ok: boolean; bytes: number }>)[], pgid?: number): Promise<BurstPhase> {
  const cpu0 = groupCpuMs(pgid);
  const t0 = performance.now();
  const outcomes = await Promise.all(
    requests.map(async (send) => {
      const t = performance.now();
      const { ok, bytes } = await send().catch(() => ({ ok: false, bytes: 0 }));
      return { ok, bytes, ms: performance.now() - t };
    }),
  );
  const times = outcomes.map((o) => o.ms);
  return { cpu: groupCpuMs(pgid) - cpu0, p50: median(times), p95: quantile(times, 0.95), max: Math.max(...times), errors: outcomes.filter((o) => !o.ok).length, wall: performance.now() - t0, bytes: median(outcomes.map((o) => o.bytes)) };
}

const TEXT = '通过这次集中学习，我对党的自我革命有了更深刻的认识。坚持党建引领，把党的组织优势转化为基层治理效能。'.repeat(12);

/** The i-th cadre's words (0-based), already as the server stores them (finalTitle / finalBody leave them unchanged). */
export function burstText(i: number): { title: string; body: string } {
  return { title: `截止前的学习体会（${i + 1}）`, body: `${TEXT}\n\n第${i + 1}位学员。` };
}

/** One autosave as components/reflection-editor/draft-sync.ts sends it; the route's JSON answer. */
export async function sendAutosave(base: string, cookie: string, assignmentId: number, text: { title: string; body: string }): Promise<{ status: number; json: { ok?: boolean; code?: string; revision?: number }; bytes: number }> {
  const res = await fetch(`${base}/api/reflections/draft`, {
    method: 'POST',
    headers: { cookie, origin: new URL(base).origin, 'content-type': 'application/json' },
    body: JSON.stringify({ assignmentId, ...text, readingIds: [], baseRevision: 0 }),
  });
  const raw = await res.text();
  let json: { ok?: boolean; code?: string; revision?: number } = {};
  try {
    json = JSON.parse(raw) as typeof json;
  } catch {
    // An HTML error page (a proxy's 502): not ok, and no code.
  }
  return { status: res.status, json, bytes: Buffer.byteLength(raw) };
}

/**
 * The router state a browser on the editor page sends with a server action (captured from
 * Chromium): each segment [name, { children }, null, null, 0], the root's last field 16.
 */
export function editorStateTree(assignmentId: number): string {
  const seg = (name: unknown, child?: unknown[]) => [name, child ? { children: child } : {}, null, null, 0];
  const tree = seg('', seg('(cadre)', seg('my', seg('assignments', seg(['assignmentId', String(assignmentId), 'd', null], seg('__PAGE__'))))));
  tree[4] = 16;
  return encodeURIComponent(JSON.stringify(tree));
}

/**
 * One press of 提交 — the server action submitReflectionAction posted to the editor's URL with the
 * headers React's client sends. The answer is the flight text, which carries the action's value.
 */
export async function sendSubmit(
  base: string,
  cookie: string,
  submitId: string,
  input: { assignmentId: number; title: string; body: string; baseRevision: number; submitKey: string },
): Promise<{ status: number; text: string }> {
  const res = await fetch(`${base}/my/assignments/${input.assignmentId}`, {
    method: 'POST',
    headers: {
      cookie,
      origin: new URL(base).origin,
      accept: 'text/x-component',
      'content-type': 'text/plain;charset=UTF-8',
      'next-action': submitId,
      'next-router-state-tree': editorStateTree(input.assignmentId),
    },
    body: JSON.stringify([{ ...input, readingIds: [], declaration: true }]),
  });
  return { status: res.status, text: await res.text() };
}

/** What a submit's answer says: acknowledged (ok:true), refused as busy（系统正忙）, or anything else. */
export function submitOutcome(status: number, flight: string): 'ok' | 'busy' | 'error' {
  if (status === 200 && /"ok":true/u.test(flight)) return 'ok';
  if (/"code":"busy"/u.test(flight)) return 'busy';
  return 'error';
}

/**
 * The deadline: every cadre's editor autosaves (POST /api/reflections/draft, what
 * components/reflection-editor/draft-sync.ts sends), then every cadre presses 提交 (the server
 * action submitReflectionAction, posted to the editor's URL with the headers React's client
 * sends; the router state tree is the one a browser on the editor page sends). The client's
 * follow-up navigation after a submit is not part of the figure.
 */
export async function deadlineBurst(base: string, cadres: readonly Account[], assignmentId: number, submitId: string, pgid?: number): Promise<{ autosave: BurstPhase; submit: BurstPhase }> {
  const revisions = new Map<number, number>();
  const autosave = await allAtOnce(
    cadres.map((c, i) => async () => {
      const { status, json, bytes } = await sendAutosave(base, c.cookie, assignmentId, burstText(i));
      if (json.ok && typeof json.revision === 'number') revisions.set(c.id, json.revision);
      return { ok: status < 300 && json.ok === true, bytes };
    }),
    pgid,
  );
  const submit = await allAtOnce(
    cadres.map((c, i) => async () => {
      const { status, text } = await sendSubmit(base, c.cookie, submitId, { assignmentId, ...burstText(i), baseRevision: revisions.get(c.id) ?? 0, submitKey: randomUUID() });
      return { ok: submitOutcome(status, text) === 'ok', bytes: Buffer.byteLength(text) };
    }),
    pgid,
  );
  return { autosave, submit };
}
