import { inOrder } from '@/lib/in-order';
// The 花名册 import as other users feel it (issue 17: "10,000 new accounts ≤ 5 s … without slowing
// other users' pages by more than 20 % during the import"). npm run bench calls benchRosterHttp()
// after the in-process figures of scripts/bench-roster.ts; alone:
//   npx tsx -r ./scripts/server-only-shim.cjs scripts/bench-roster-http.ts [--runs N] [--rate R]
//
// The production server as `npm start` runs it (scripts/start.ts, built first when the build is not
// current; WEB_CONCURRENCY as the environment has it, so one server process per core when unset)
// on a temporary database. Signed-in cadres load their full /my page over HTTP, open loop at a
// fixed rate (each cadre on a fixed period, the cadres staggered; a page is due at its moment
// whether or not the last one was answered), each page timed from when it was due to its last
// byte. Meanwhile an admin imports a 10,000-new-account roster through the portal's own routes, as
// the browser does (components/admin/roster-import.tsx): the .xlsx as the raw body of
// POST /api/admin/roster/preview, then POST /api/admin/roster/commit asking for NDJSON progress,
// read to its result line. The admin confirms at once, so the commit waits for the hashing the
// preview started. Each run: a quiet window, the import, a quiet window; /my's p50/p95/p99 in the
// quiet windows (both together) against during the import (upload → committed), and the ratio of
// the p95s. Also the CPU the server's processes and this client spent in each window, so that the
// probe's own share of a 2-core machine is in the figures. It prints; it asserts nothing.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { encode } from 'next-auth/jwt';
import { groupCpuMs } from './bench-http-load';
import { latencyOf, type Latency } from './bench-http-stats';
import { ensureBuild } from './source-hash';
import { webConcurrency } from './web-concurrency';

const ROWS = 10_000;
const CADRES = 4;
/** /my pages a second from all cadres together (each cadre every CADRES / RATE seconds). */
const DEFAULT_RATE = 20;
/** The quiet windows before and after each import. */
const IDLE_MS = 5000;
const root = process.cwd();




const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

// ---------------------------------------------------------------------------------------------
// The database: an admin, four cadres whose /my has eight assignments on it, and one course per run
// with three groups for the roster to fill. Sessions minted as lib/auth/start-session.ts mints them.

interface Setup {
  dbFile: string;
  secret: string;
  admin: string;
  cadres: string[];
  courses: string[];
}

export async function buildDatabase(dir: string, runs: number): Promise<Setup> {
  const dbFile = path.join(dir, 'bench.db');
  const secret = randomBytes(32).toString('base64url');
  const previous = process.env.DATABASE_PATH;
  process.env.DATABASE_PATH = dbFile;
  const { getDb, closeDb } = await import('../db');
  closeDb();
  try {
    getDb();
    const f = await import('../db/factories');
    const { SESSION_MAX_AGE_S } = await import('../db/queries/auth');
    const { SESSION_COOKIE } = await import('../lib/auth/cookie');
    const { users } = await import('../db/schema');
    const { eq } = await import('drizzle-orm');
    const cookieOf = async (id: number) => {
      await getDb().update(users).set({ mustChangePassword: false }).where(eq(users.id, id)).run();
      const role = (await getDb().select({ role: users.role }).from(users).where(eq(users.id, id)).get())?.role;
      const now = Date.now();
      const sid = await f.makeSession(id, { createdAt: new Date(now), expiresAt: new Date(now + SESSION_MAX_AGE_S * 1000), ip: '127.0.0.1', userAgent: 'bench:roster-http' });
      return `${SESSION_COOKIE}=${await encode({ token: { sub: String(id), uid: id, sid, role }, secret, maxAge: SESSION_MAX_AGE_S })}`;
    };
    const adminId = await f.makeUser('admin', { username: 'bench-admin', name: '王晓丽' });
    const home = await f.makeCourse({ name: '2026年第一期读书班', columnName: '读书班', startsOn: null });
    for (let i = 1; i <= 8; i++) {
      const meetingId = await f.makeMeeting(home, { title: `第${i}次集中学习`, startsAt: new Date(Date.now() - i * 86400_000) });
      await f.makeAssignment(meetingId, { courseId: home, title: `第${i}次集中学习心得`, prompt: '', dueAt: new Date(Date.now() + i * 86400_000) });
    }
    const cadreIds = await inOrder(Array.from({ length: CADRES }), async (_, i) => await f.makeUser('cadre', { username: `bench-cadre-${i + 1}`, name: `夏定阳${i + 1}` }));
    await f.enroll(home, cadreIds);
    const courses = await inOrder(Array.from({ length: runs + 1 }), async (_, r) => {
      const name = `2020年全区党组织书记读书班（第${r + 1}批）`;
      const id = await f.makeCourse({ name, columnName: '', startsOn: null });
      for (const g of ['第一组', '第二组', '第三组']) await f.makeGroup(id, { name: g });
      return name;
    });
    return { dbFile, secret, admin: await cookieOf(adminId), cadres: await Promise.all(cadreIds.map(cookieOf)), courses };
  } finally {
    closeDb();
    if (previous === undefined) delete process.env.DATABASE_PATH;
    else process.env.DATABASE_PATH = previous;
  }
}

// ---------------------------------------------------------------------------------------------
// The server, as `npm start` runs it.


export async function startServer(setup: Setup, port: number, logFile: string): Promise<ChildProcess> {
  const log = fs.openSync(logFile, 'a');
  const child = spawn(path.join(root, 'node_modules', '.bin', 'tsx'), ['--conditions=react-server', 'scripts/start.ts'], {
    cwd: root,
    detached: true, // its own process group: its CPU is counted, and it is stopped whole
    stdio: ['ignore', log, log],
    env: {
      ...process.env,
      PORT: String(port),
      HOSTNAME_BIND: '127.0.0.1',
      DATABASE_PATH: setup.dbFile,
      NEXTAUTH_SECRET: setup.secret,
      NEXTAUTH_URL: `http://localhost:${port}`,
    },
  });
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline && child.exitCode === null) {
    const up = await fetch(`http://127.0.0.1:${port}/api/health`).then((r) => r.ok, () => false);
    if (up) return child;
    await new Promise((r) => setTimeout(r, 300));
  }
  stopServer(child);
  throw new Error(`the server did not come up on port ${port}:\n${fs.readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n')}`);
}

export function stopServer(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    // gone already
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP, with node:http (lighter on this machine's two cores than fetch).

interface Answer {
  status: number;
  body: Buffer;
  headers: http.IncomingHttpHeaders;
}

export function request(
  agent: http.Agent,
  port: number,
  opts: { method?: string; path: string; headers?: Record<string, string>; body?: Buffer | string; onData?: (chunk: Buffer) => void },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, agent, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => {
        chunks.push(c);
        opts.onData?.(c);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/**
 * The cadres loading /my: cadre c's pages are due at start + c·period/CADRES + k·period, period =
 * CADRES / rate. Each figure (due → last byte) is filed under the window the bench was in when the
 * page was due. A page that is not 200 is counted apart.
 */
export function startProbe(port: number, cookies: string[], rate: number) {
  const period = (cookies.length * 1000) / rate;
  // A kept-alive socket idle for the server's keepAliveTimeout (5 s, Node's default) is closed by
  // the server; a page sent on it just then fails. The client lets go of idle sockets first.
  const agents = cookies.map(() => new http.Agent({ keepAlive: true, timeout: 4000 }));
  const byWindow = new Map<string, number[]>();
  const bad = new Map<string, number>();
  /** BENCH_ROSTER_TRACE=<file>: every page as [due ms since the start, due → done ms, status, window]. */
  const trace: [number, number, number, string][] = [];
  const changes: { at: number; name: string }[] = [{ at: performance.now(), name: 'warm' }];
  const windowAt = (t: number) => {
    for (let i = changes.length - 1; i >= 0; i--) if ((changes[i] as { at: number }).at <= t) return (changes[i] as { name: string }).name;
    return 'warm';
  };
  let stopped = false;
  const inFlight = new Set<Promise<void>>();
  const t0 = performance.now() + 50;
  const timers = cookies.map((cookie, c) => {
    let k = 0;
    const next = () => {
      if (stopped) return;
      const due = t0 + (c * period) / cookies.length + k * period;
      k += 1;
      const fire = () => {
        if (stopped) return;
        const name = windowAt(due);
        const p = request(agents[c] as http.Agent, port, { path: '/my', headers: { cookie } }).then(
          (a) => {
            trace.push([Math.round(due - t0), Math.round(performance.now() - due), a.status, name]);
            if (a.status !== 200) bad.set(name, (bad.get(name) ?? 0) + 1);
            else {
              let list = byWindow.get(name);
              if (!list) byWindow.set(name, (list = []));
              list.push(performance.now() - due);
            }
          },
          () => {
            trace.push([Math.round(due - t0), Math.round(performance.now() - due), 0, name]);
            bad.set(name, (bad.get(name) ?? 0) + 1);
          },
        );
        inFlight.add(p);
        void p.finally(() => inFlight.delete(p));
        next();
      };
      const wait = due - performance.now();
      if (wait > 0) setTimeout(fire, wait);
      else fire();
    };
    next();
    return agents[c];
  });
  return {
    window: (name: string) => changes.push({ at: performance.now(), name }),
    stop: async () => {
      stopped = true;
      await Promise.allSettled([...inFlight]);
      for (const a of timers) a?.destroy();
      if (process.env.BENCH_ROSTER_TRACE) fs.writeFileSync(process.env.BENCH_ROSTER_TRACE, JSON.stringify({ t0, changes: changes.map((c) => ({ at: Math.round(c.at - t0), name: c.name })), trace }));
      return { byWindow, bad };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Where the server's CPU goes, thread by thread (Linux /proc): the request threads, the roster
// process (nice 10, all its threads), the hashing threads (nice 19, gone when done: counted as
// "ended"), V8's own helper threads (garbage collection, compiling) and libuv's pool.

/** Whether `pid` is a server process's roster process (lib/roster/off-thread.ts: `node -e` naming it). */
function isRosterProcess(pid: string): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('XUESI_ROSTER_CHILD');
  } catch {
    return false;
  }
}

type Threads = { byTid: Map<string, { label: string; ticks: number }>; byPid: Map<string, number> };

function threadsOf(pgid: number): Threads {
  const byTid = new Map<string, { label: string; ticks: number }>();
  const byPid = new Map<string, number>();
  if (!fs.existsSync('/proc/self/task')) return { byTid, byPid };
  const fields = (stat: string) => ({ comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), f: stat.slice(stat.lastIndexOf(')') + 2).split(' ') });
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/u.test(pid)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue;
    }
    const { f } = fields(stat);
    if (Number(f[2]) !== pgid) continue;
    byPid.set(pid, Number(f[11]) + Number(f[12]));
    const roster = isRosterProcess(pid);
    let tids: string[] = [];
    try {
      tids = fs.readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      try {
        const t = fields(fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8'));
        const nice = Number(t.f[16]);
        const label = roster
          ? `roster process (nice ${nice})`
          : tid === pid ? 'main threads (requests)' : t.comm.startsWith('V8 ') ? 'V8 helpers (GC, compiler)' : t.comm.startsWith('libuv') ? 'libuv pool' : nice === 19 ? 'hashing threads (nice 19)' : `${t.comm} (nice ${nice})`;
        byTid.set(`${pid}/${tid}`, { label, ticks: Number(t.f[11]) + Number(t.f[12]) });
      } catch {
        // ended meanwhile
      }
    }
  }
  return { byTid, byPid };
}

/**
 * How long the server processes' main threads (the request threads) have waited, runnable, for a
 * CPU (Linux schedstat, ms): a page slowed by the import's threads waits there, whatever the
 * noise of the page times. Null where /proc has no schedstat.
 */
function requestThreadsWaitedMs(pgid: number): number | null {
  let total = 0;
  let seen = false;
  for (const pid of fs.existsSync('/proc/self/schedstat') ? fs.readdirSync('/proc') : []) {
    if (!/^\d+$/u.test(pid)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) !== pgid || isRosterProcess(pid)) continue;
      total += Number(fs.readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[1]) / 1e6;
      seen = true;
    } catch {
      // ended meanwhile
    }
  }
  return seen ? total : null;
}

/** CPU ms by kind of thread between two looks; what ended meanwhile is counted as "ended". */
function threadCpu(a: Threads, b: Threads): Map<string, number> {
  const out = new Map<string, number>();
  const add = (k: string, ticks: number) => out.set(k, (out.get(k) ?? 0) + ticks * 10);
  let live = 0;
  for (const [tid, t] of b.byTid) {
    const d = t.ticks - (a.byTid.get(tid)?.ticks ?? 0);
    live += d;
    if (d > 0) add(t.label, d);
  }
  let total = 0;
  for (const [pid, ticks] of b.byPid) total += ticks - (a.byPid.get(pid) ?? 0);
  // Also what was counted at the first look for threads that ended later.
  let endedBefore = 0;
  for (const [tid, t] of a.byTid) if (!b.byTid.has(tid) && b.byPid.has(tid.split('/')[0] as string)) endedBefore += t.ticks;
  const ended = total - live + endedBefore;
  if (ended > 0) add('threads that ended (hashing)', ended);
  return out;
}

// ---------------------------------------------------------------------------------------------
// The admin's import, as components/admin/roster-import.tsx sends it.

interface Imported {
  /** Upload sent → result line read. */
  total: number;
  preview: number;
  /** Upload sent → the last progress line (every password hashed). */
  hashed: number;
  added: number;
}

/**
 * Upload → preview → 确认导入, as the page sends them. `mark` names the window the probe is in: the
 * preview, the admin reading it (readMs, 0 = confirming at once) and the commit.
 */
export async function importRoster(agent: http.Agent, port: number, cookie: string, fileName: string, bytes: Buffer, readMs = 0, mark: (w: 'preview' | 'read' | 'commit') => void = () => undefined): Promise<Imported> {
  const origin = `http://127.0.0.1:${port}`;
  const t0 = performance.now();
  mark('preview');
  const q = new URLSearchParams({ name: fileName, allowCreateUnits: '1' });
  const up = await request(agent, port, {
    method: 'POST',
    path: `/api/admin/roster/preview?${q.toString()}`,
    headers: { cookie, origin, 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) },
    body: bytes,
  });
  const preview = performance.now() - t0;
  const answer = JSON.parse(up.body.toString('utf8')) as { ok: boolean; message?: string; preview?: { importId: string; digest: string; counts: { add: number; errors: number } } };
  if (up.status !== 200 || !answer.ok || !answer.preview) throw new Error(`preview answered ${up.status}: ${up.body.toString('utf8').slice(0, 300)}`);
  if (answer.preview.counts.errors) throw new Error(`the preview found ${answer.preview.counts.errors} errors`);
  if (readMs > 0) {
    mark('read');
    await new Promise((r) => setTimeout(r, readMs));
  }
  mark('commit');
  const body = JSON.stringify({ importId: answer.preview.importId, digest: answer.preview.digest });
  let hashed = Number.NaN;
  let text = '';
  const done = await request(agent, port, {
    onData: (chunk) => {
      text += chunk.toString('utf8');
      if (Number.isNaN(hashed) && /"type":"progress","done":(\d+),"total":\1\b/u.test(text)) hashed = performance.now() - t0;
    },
    method: 'POST',
    path: '/api/admin/roster/commit',
    headers: { cookie, origin, 'content-type': 'application/json', accept: 'application/x-ndjson', 'content-length': String(Buffer.byteLength(body)) },
    body,
  });
  const total = performance.now() - t0;
  const lines = done.body.toString('utf8').split('\n').filter(Boolean);
  const result = JSON.parse(lines.at(-1) ?? '{}') as { type?: string; ok?: boolean; message?: string; counts?: { added?: number } };
  if (done.status !== 200 || !result.ok) throw new Error(`commit answered ${done.status}: ${lines.at(-1)?.slice(0, 300) ?? ''}`);
  return { total, preview, hashed, added: result.counts?.added ?? Number.NaN };
}

// ---------------------------------------------------------------------------------------------

export interface RosterHttpRun {
  importMs: number;
  idle: Latency;
  during: Latency;
  ratio: number;
  loadBefore: string;
  loadAfter: string;
}

export async function benchRosterHttp(opts: { runs?: number; rate?: number; port?: number; readMs?: number } = {}): Promise<RosterHttpRun[]> {
  const runs = opts.runs ?? 3;
  const rate = opts.rate ?? DEFAULT_RATE;
  const readMs = opts.readMs ?? 0;
  const port = opts.port ?? Number(process.env.BENCH_ROSTER_PORT || 3130);
  ensureBuild(root);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xuesi-bench-roster-http-'));
  let server: ChildProcess | null = null;
  const stop = () => server && stopServer(server);
  process.once('exit', stop);
  try {
    const setup = await buildDatabase(dir, runs);
    const { generatedRoster, xlsxOf, csvOf } = await import('../lib/roster/fixtures/build');
    // One file per run: 10,000 accounts that do not exist yet, into that run's course.
    const files = await Promise.all(
      setup.courses.slice(1).map((course, r) =>
        xlsxOf(generatedRoster(ROWS, { course, groups: ['第一组', '第二组', '第三组'] }).map((row, i) => (i === 0 ? row : [`r${r + 1}${row[0]}`, ...row.slice(1)]))),
      ),
    );
    server = await startServer(setup, port, path.join(dir, 'server.log'));
    const pgid = server.pid as number;
    const processes = webConcurrency();
    const processesNote = process.env.WEB_CONCURRENCY?.trim() ? `WEB_CONCURRENCY ${processes}` : `${processes} server processes (WEB_CONCURRENCY unset: one per core)`;

    // Every server process starts its roster process at its first import (2–8 s, not what is
    // measured): a small import on as many fresh connections as there are processes, which the
    // cluster hands out in turn, before anything else connects.
    // (keepAlive off: a preview and its commit go on two connections, so the first of these imports
    // already starts the roster process of two server processes.) Their times are printed: starting them is
    // most of them (scripts/roster-bundle.ts).
    const firstImports: number[] = [];
    for (let i = 0; i < processes; i++) {
      const fresh = new http.Agent({ keepAlive: false });
      const warm = csvOf([['账号', '姓名', '读书班', '小组'], [`warm${i + 1}`, '甲', setup.courses[0] as string, '第一组']]);
      firstImports.push((await importRoster(fresh, port, setup.admin, `warm${i + 1}.csv`, warm)).total);
    }
    // The admin's browser: one kept-alive connection, so that the commit reaches the server process
    // that previewed (and is hashing), as a page that just previewed does.
    const adminAgent = new http.Agent({ keepAlive: true, maxSockets: 1, timeout: 4000 });
    // /my compiled and warm in every process: each cadre loads it 40 times in a row.
    await Promise.all(
      setup.cadres.map(async (cookie) => {
        const agent = new http.Agent({ keepAlive: true });
        for (let i = 0; i < 40; i++) {
          const a = await request(agent, port, { path: '/my', headers: { cookie } });
          if (a.status !== 200) throw new Error(`/my answered ${a.status} for a cadre: the session did not hold`);
        }
        agent.destroy();
      }),
    );
    const probe = startProbe(port, setup.cadres, rate);
    await new Promise((r) => setTimeout(r, 3000)); // the open-loop load settling, not counted
    const cpu: Record<string, { server: number; client: number; wall: number; waited: number | null }> = {};
    /** Opens window `name` for the probe and the CPU counters, closing the one before. */
    let open: { name: string; s0: number; c0: NodeJS.CpuUsage; t0: number; threads: Threads | null; w0: number | null } | null = null;
    const byThread = new Map<string, Map<string, number>>();
    const showThreads = Boolean(process.env.BENCH_ROSTER_THREADS);
    const mark = (name: string | null) => {
      const now = performance.now();
      const threads = showThreads ? threadsOf(pgid) : null;
      const waited = requestThreadsWaitedMs(pgid);
      if (open) {
        const c = process.cpuUsage(open.c0);
        const prev = cpu[open.name] ?? { server: 0, client: 0, wall: 0, waited: 0 };
        const w = waited !== null && open.w0 !== null && prev.waited !== null ? prev.waited + waited - open.w0 : null;
        cpu[open.name] = { server: prev.server + groupCpuMs(pgid) - open.s0, client: prev.client + (c.user + c.system) / 1000, wall: prev.wall + now - open.t0, waited: w };
        if (threads && open.threads) byThread.set(open.name, threadCpu(open.threads, threads));
      }
      open = name ? { name, s0: groupCpuMs(pgid), c0: process.cpuUsage(), t0: now, threads, w0: waited } : null;
      probe.window(name ?? 'end');
    };
    const idleWait = () => new Promise((r) => setTimeout(r, IDLE_MS));
    const imports: Imported[] = [];
    const loads: [string, string][] = [];
    for (let r = 0; r < runs; r++) {
      const before = load();
      mark(`idle${r}`);
      await idleWait();
      imports.push(await importRoster(adminAgent, port, setup.admin, '名单.xlsx', files[r] as Buffer, readMs, (w) => mark(`${w}${r}`)));
      mark(`after${r}`);
      await idleWait();
      loads.push([before, load()]);
    }
    mark(null);
    const { byWindow, bad } = await probe.stop();
    adminAgent.destroy();

    const pages = (...names: string[]) => names.flatMap((n) => byWindow.get(n) ?? []);
    console.log(`\n花名册 over HTTP: 10,000 new accounts imported through the routes while ${CADRES} cadres load /my`);
    console.log(`  production server (scripts/start.ts), ${processesNote}, ${os.availableParallelism()} cores; /my ${rate} pages a second open loop, due → last byte`);
    console.log(`  warm-up imports of one row on fresh connections (the first starts the roster processes): ${firstImports.map((t) => `${(t / 1000).toFixed(2)} s`).join(', ')}`);
    if (readMs) console.log(`  the admin reads the preview for ${(readMs / 1000).toFixed(1)} s before confirming the import, hashing meanwhile`);
    const fmt = (x: Latency) => `p50 ${x.p50.toFixed(0).padStart(4)}  p95 ${x.p95.toFixed(0).padStart(4)}  p99 ${x.p99.toFixed(0).padStart(4)}  max ${x.max.toFixed(0).padStart(5)} ms (${String(x.n).padStart(3)})`;
    const share = (...names: string[]) => {
      const c = names.map((n) => cpu[n]).filter((x) => x !== undefined);
      const wall = c.reduce((t, x) => t + x.wall, 0);
      if (!wall) return '';
      return `CPU: server ${((c.reduce((t, x) => t + x.server, 0) / wall) * 100).toFixed(0)}%, this client ${((c.reduce((t, x) => t + x.client, 0) / wall) * 100).toFixed(0)}% of a core`;
    };
    /** The request threads' wait for a CPU, ms per second of the windows. */
    const waitedPerS = (...names: string[]) => {
      const c = names.map((n) => cpu[n]).filter((x) => x !== undefined);
      const wall = c.reduce((t, x) => t + x.wall, 0);
      if (!wall || c.some((x) => x.waited === null)) return null;
      return (c.reduce((t, x) => t + (x.waited ?? 0), 0) / wall) * 1000;
    };
    const results: RosterHttpRun[] = [];
    for (let r = 0; r < runs; r++) {
      const imp = imports[r] as Imported;
      const idleNames = [`idle${r}`, `after${r}`];
      const duringNames = [`preview${r}`, `read${r}`, `commit${r}`];
      const idle = latencyOf(pages(...idleNames));
      const during = latencyOf(pages(...duringNames));
      const ratio = during.p95 / Math.max(idle.p95, 0.001);
      const [before, after] = loads[r] as [string, string];
      results.push({ importMs: imp.total, idle, during, ratio, loadBefore: before, loadAfter: after });
      const nonOk = [...idleNames, ...duringNames].reduce((n, w) => n + (bad.get(w) ?? 0), 0);
      console.log(`  run ${r + 1}: load average ${before} → ${after}`);
      console.log(`    import, upload → committed  ${(imp.total / 1000).toFixed(2)} s   aim ≤ 5 s ${imp.total <= 5000 ? 'met' : 'not met'}   (preview answered at ${(imp.preview / 1000).toFixed(2)} s, all hashed at ${(imp.hashed / 1000).toFixed(2)} s; ${imp.added} added)`);
      console.log(`    /my idle, before + after    ${fmt(idle)}   ${share(...idleNames)}`);
      console.log(`    /my during the import       ${fmt(during)}   ${share(...duringNames)}`);
      console.log(`      of which the preview      ${fmt(latencyOf(pages(`preview${r}`)))}   ${share(`preview${r}`)}`);
      if (readMs) console.log(`      reading (hashing)         ${fmt(latencyOf(pages(`read${r}`)))}   ${share(`read${r}`)}`);
      console.log(`      the commit                ${fmt(latencyOf(pages(`commit${r}`)))}   ${share(`commit${r}`)}`);
      if (showThreads) {
        for (const w of [`idle${r}`, ...duringNames, `after${r}`]) {
          const t = byThread.get(w);
          const wall = cpu[w]?.wall;
          if (!t || !wall) continue;
          const parts = [...t].sort((x, y) => y[1] - x[1]).map(([k, v]) => `${k} ${((v / wall) * 100).toFixed(0)}%`);
          console.log(`      CPU by thread, ${w.replace(/\d+$/u, '').padEnd(8)} (${(wall / 1000).toFixed(1)} s, % of a core): ${parts.join(', ')}`);
        }
      }
      const waits = [
        ['idle', waitedPerS(...idleNames)],
        ['preview', waitedPerS(`preview${r}`)],
        ...(readMs ? [['reading', waitedPerS(`read${r}`)] as const] : []),
        ['commit', waitedPerS(`commit${r}`)],
      ] as const;
      if (waits.every(([, v]) => v !== null)) {
        console.log(`    request threads runnable but waiting for a CPU, ms per second: ${waits.map(([k, v]) => `${k} ${(v as number).toFixed(1)}`).join(', ')}`);
      }
      console.log(`    p95 during / idle           ${ratio.toFixed(2)}×   aim ≤ 1.2×${nonOk ? `   (${nonOk} pages not 200)` : ''}`);
    }
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    // Each run's p95 rests on about 90 pages during the import, so one slow page moves it by a
    // third; the pages of all runs together give the steadier figure.
    const allIdle = latencyOf(results.flatMap((_, r) => pages(`idle${r}`, `after${r}`)));
    const allDuring = latencyOf(results.flatMap((_, r) => pages(`preview${r}`, `read${r}`, `commit${r}`)));
    const allWaits = [waitedPerS(...results.flatMap((_, r) => [`idle${r}`, `after${r}`])), waitedPerS(...results.flatMap((_, r) => [`preview${r}`, `read${r}`, `commit${r}`]))];
    console.log(
      `  all ${runs} runs' pages together: /my p95 idle ${allIdle.p95.toFixed(0)} ms (${allIdle.n} pages), during ${allDuring.p95.toFixed(0)} ms (${allDuring.n}); ratio ${(allDuring.p95 / Math.max(allIdle.p95, 0.001)).toFixed(2)}×   aim ≤ 1.2×` +
        (allWaits.every((w) => w !== null) ? `; request threads waiting for a CPU ${(allWaits[0] as number).toFixed(0)} → ${(allWaits[1] as number).toFixed(0)} ms per second` : ''),
    );
    console.log(`  median of ${runs}: import ${(med(results.map((x) => x.importMs)) / 1000).toFixed(2)} s; /my p95 idle ${med(results.map((x) => x.idle.p95)).toFixed(0)} ms, during ${med(results.map((x) => x.during.p95)).toFixed(0)} ms; ratio ${med(results.map((x) => x.ratio)).toFixed(2)}×`);
    return results;
  } finally {
    stop();
    process.removeListener('exit', stop);
    if (process.env.BENCH_ROSTER_LOG) fs.copyFileSync(path.join(dir, 'server.log'), process.env.BENCH_ROSTER_LOG);
    // The server's processes let go of the database before it goes.
    await new Promise((r) => setTimeout(r, 500));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? Number(process.argv[i + 1]) : undefined;
  };
  benchRosterHttp({ runs: arg('--runs'), rate: arg('--rate'), port: arg('--port'), readMs: arg('--read-ms') }).catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
