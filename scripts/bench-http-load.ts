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
}

/**
 * One page under 10 connections for `seconds`. p95 comes from every response's own time
 * (autocannon's histogram stops at p90 and p97.5).
 */
export function hammer(url: string, headers: Record<string, string>, seconds: number, pgid?: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const times: number[] = [];
    const cpu0 = groupCpuMs(pgid);
    const instance = autocannon({ url, connections: 10, duration: seconds, headers }, (err, result) => {
      if (err) return reject(err);
      const cpu = (groupCpuMs(pgid) - cpu0) / Math.max(1, result.requests.total);
      resolve({ rps: result.requests.total / seconds, p95: quantile(times, 0.95), bad: result.non2xx + result.errors, cpu });
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
 */
export function groupCpuMs(pgid: number | undefined): number {
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
    if (Number(f[2]) === pgid) ticks += Number(f[11]) + Number(f[12]);
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

/**
 * The deadline: every cadre's editor autosaves (POST /api/reflections/draft, what
 * components/reflection-editor/draft-sync.ts sends), then every cadre presses 提交 (the server
 * action submitReflectionAction, posted to the editor's URL with the headers React's client
 * sends; the router state tree is the one a browser on the editor page sends). The client's
 * follow-up navigation after a submit is not part of the figure.
 */
export async function deadlineBurst(base: string, cadres: readonly Account[], assignmentId: number, submitId: string, pgid?: number): Promise<{ autosave: BurstPhase; submit: BurstPhase }> {
  const origin = new URL(base).origin;
  const revisions = new Map<number, number>();
  const autosave = await allAtOnce(
    cadres.map((c, i) => async () => {
      const res = await fetch(`${base}/api/reflections/draft`, {
        method: 'POST',
        headers: { cookie: c.cookie, origin, 'content-type': 'application/json' },
        body: JSON.stringify({ assignmentId, title: `截止前的学习体会（${i + 1}）`, body: `${TEXT}\n\n第${i + 1}位学员。`, readingIds: [], baseRevision: 0 }),
      });
      const text = await res.text();
      const json = JSON.parse(text) as { ok?: boolean; revision?: number };
      if (json.ok && typeof json.revision === 'number') revisions.set(c.id, json.revision);
      return { ok: res.ok && json.ok === true, bytes: Buffer.byteLength(text) };
    }),
    pgid,
  );
  const page = `/my/assignments/${assignmentId}`;
  // The router state a browser on the editor page sends (captured from Chromium): each segment
  // [name, { children }, null, null, 0], the root's last field 16.
  const seg = (name: unknown, child?: unknown[]) => [name, child ? { children: child } : {}, null, null, 0];
  const tree = seg('', seg('(cadre)', seg('my', seg('assignments', seg(['assignmentId', String(assignmentId), 'd', null], seg('__PAGE__'))))));
  tree[4] = 16;
  const stateTree = encodeURIComponent(JSON.stringify(tree));
  const submit = await allAtOnce(
    cadres.map((c, i) => async () => {
      const res = await fetch(`${base}${page}`, {
        method: 'POST',
        headers: {
          cookie: c.cookie,
          origin,
          accept: 'text/x-component',
          'content-type': 'text/plain;charset=UTF-8',
          'next-action': submitId,
          'next-router-state-tree': stateTree,
        },
        body: JSON.stringify([
          { assignmentId, title: `截止前的学习体会（${i + 1}）`, body: `${TEXT}\n\n第${i + 1}位学员。`, readingIds: [], baseRevision: revisions.get(c.id) ?? 0, submitKey: randomUUID(), declaration: true },
        ]),
      });
      // The flight answer carries the action's value; a success says "ok":true in it.
      const text = await res.text();
      return { ok: res.ok && /"ok":true/u.test(text), bytes: Buffer.byteLength(text) };
    }),
    pgid,
  );
  return { autosave, submit };
}
