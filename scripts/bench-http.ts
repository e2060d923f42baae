// npm run bench:http [-- --quick]: the production server (`npm start`, built first when the build
// is not current) on temporary databases, one with the demo and one with 100,000 reflections, both
// running at once (on PORT and PORT+10) and driven with autocannon page by page in turn. Prints
// req/s and p95 of the pages of issue 15 as ratios to /login in the same run, the large/demo p95
// ratios of the list pages, /admin's HTML and flight payload, the client JavaScript of the cadre
// pages and a deadline burst of 100 cadres, with the rows counted after. It prints; it asserts
// nothing about time. --quick: the demo only, one repetition of 2 s per page. --profile: the demo
// only, one server process under V8's CPU profiler, 4 s a page; prints where each page's CPU went.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addBenchLayer, buildLarge, countBurst, newSecret, seedDemo, settleOriginality, type Account, type Fixture } from './bench-http-data';
import { actionId, deadlineBurst, hammer, type BurstPhase, type Run } from './bench-http-load';
import { byteLength, flightPayloadBytes, formatTable, kb, median, ratio, scriptSources, sizeOf } from './bench-http-stats';
import { nowUs, readProfile, summarize, type CpuProfile } from './cpu-profile';
import { ensureBuild } from './source-hash';

const PROFILE = process.argv.includes('--profile');
const QUICK = process.argv.includes('--quick') || PROFILE;
/** --burst: the demo's deadline burst alone (a fresh server and database each run), for repeating it. */
const BURST_ONLY = process.argv.includes('--burst');
/**
 * --pages=name,name: only these pages (names as printed; /login always) on the demo database, timed
 * as in the full run: for comparing a change to a few pages in two minutes rather than ten.
 */
const PAGES = process.argv.find((a) => a.startsWith('--pages='))?.slice('--pages='.length).split(',').map((p) => p.trim()).filter(Boolean) ?? null;
/**
 * BENCH_BASELINE=dir: another checkout (its own node_modules, built here when stale) served on a
 * demo database of its own beside this tree's, the two measured in turn page by page: a change's
 * effect in one run, where two runs differ by ±0.1 × /login on this machine.
 */
const BASELINE = process.env.BENCH_BASELINE ? path.resolve(process.env.BENCH_BASELINE) : null;
const REPS = Number(process.env.BENCH_REPS) || (QUICK ? 1 : 3);
/**
 * Unrecorded rounds before the measured ones (BENCH_WARMUP, default 1; 0 with --quick): every page
 * driven as in a repetition. Ten requests leave V8 compiling a page's code for the next 10–20 s of
 * load, and a page visited after /login found less of its code compiled: the first repetition
 * measured /login at 10 ms of CPU a request and 6 ms in the third, and the pages slower still.
 * A portal that has served for a while runs compiled code; this measures that.
 */
const WARMUP = process.env.BENCH_WARMUP !== undefined ? Number(process.env.BENCH_WARMUP) : QUICK && !PROFILE ? 0 : 1;
const SECONDS = PROFILE ? 4 : QUICK ? 2 : 5;
const PORT = Number(process.env.PORT || 3100);
const root = process.cwd();

// ---------------------------------------------------------------------------------------------
// Clean-up: the server and the temporary folders go on every way out, Ctrl-C included.

const servers = new Set<ChildProcess>();
const folders = new Set<string>();

function cleanUpNow(): void {
  for (const s of servers) killGroup(s, 'SIGKILL');
  for (const d of folders) fs.rmSync(d, { recursive: true, force: true });
}
process.on('exit', cleanUpNow);
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    console.error(`\n${sig}: the server is stopped and the temporary databases removed.`);
    process.exit(130);
  });
}

/** start.ts runs the server as its own child: the whole process group goes. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

// ---------------------------------------------------------------------------------------------
// The server


/** `npm start`'s own command, so that whatever it does (workers, start-up work) is measured too. */
async function startServer(dbFile: string, secret: string, port: number, tree = root): Promise<ChildProcess> {
  const log = fs.openSync(path.join(path.dirname(dbFile), 'server.log'), 'a');
  const child = spawn(path.join(tree, 'node_modules', '.bin', 'tsx'), ['--conditions=react-server', 'scripts/start.ts'], {
    cwd: tree,
    detached: true, // its own process group, killed whole
    stdio: ['ignore', log, log],
    env: {
      ...process.env,
      // BENCH_SERVER_NODE_OPTIONS (e.g. --max-semi-space-size=64) goes to the server alone, not to this script.
      // Node refuses --cpu-prof there: --profile passes it through XUESI_CPU_PROF_DIR instead.
      ...(process.env.BENCH_SERVER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS } : {}),
      // --profile: one process, so that one profile holds every request.
      ...(PROFILE ? { WEB_CONCURRENCY: '1', XUESI_CPU_PROF_DIR: profileDir(path.dirname(dbFile)) } : {}),
      PORT: String(port),
      HOSTNAME_BIND: '127.0.0.1',
      DATABASE_PATH: dbFile,
      NEXTAUTH_SECRET: secret,
      NEXTAUTH_URL: `http://localhost:${port}`,
    },
  });
  servers.add(child);
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    const up = await fetch(`http://127.0.0.1:${port}/api/health`).then((r) => r.ok, () => false);
    if (up) return child;
    await new Promise((r) => setTimeout(r, 300));
  }
  const tail = fs.readFileSync(path.join(path.dirname(dbFile), 'server.log'), 'utf8').split('\n').slice(-20).join('\n');
  throw new Error(`the server did not come up on port ${port}:\n${tail}`);
}

async function stopServer(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  killGroup(child, 'SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  killGroup(child, 'SIGKILL');
  servers.delete(child);
}

// ---------------------------------------------------------------------------------------------
// What is measured

const profileDir = (dir: string) => path.join(dir, 'cpu-profiles');

/** --profile: when each page was driven (on the profile's clock) and how many answers it got. */
const windows: { name: string; from: number; to: number; requests: number }[] = [];

/**
 * --profile: the server's own profile (the largest file; the others are its loader threads), each
 * page's window of it, as CPU per request by category and the costliest functions.
 */
function printProfile(dir: string): void {
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).map((f) => path.join(dir, f)) : [];
  const main = files.sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0];
  if (!main) {
    console.log(`\nNo CPU profile was written in ${dir}.`);
    return;
  }
  // Kept: the temporary folder goes when the bench ends.
  const kept = path.join(os.tmpdir(), `xuesi-bench-http-${new Date().toISOString().replace(/[:.]/gu, '-')}.cpuprofile`);
  fs.copyFileSync(main, kept);
  // Each page's window on the profile's clock, for a closer look at one page (scripts/cpu-profile.ts).
  fs.writeFileSync(`${kept}.windows.json`, JSON.stringify(windows));
  const profile: CpuProfile = readProfile(main);
  const per = windows.map((w) => {
    const s = summarize(profile, w.from, w.to);
    return { w, s, ms: new Map(s.byCategory) };
  });
  // The categories that take at least 2 % of some page, the costliest over all pages first.
  const big = new Set(per.flatMap(({ s }) => s.byCategory.filter(([, t]) => t / s.busyMs >= 0.02).map(([c]) => c)));
  const total = (c: string) => per.reduce((x, { ms }) => x + (ms.get(c) ?? 0), 0);
  const shown = [...big].sort((a, b) => total(b) - total(a)).slice(0, 8);
  console.log('\nCPU profile of the one server process (V8 sampling; ms per request, the profiler\'s own cost included)');
  const rows = per.map(({ w, s, ms }) => {
    const n = Math.max(1, w.requests);
    const cells = shown.map((c) => ms.get(c) ?? 0);
    const rest = s.busyMs - cells.reduce((x, t) => x + t, 0);
    return [w.name, (s.busyMs / n).toFixed(2), ...cells.map((t) => (t / n).toFixed(2)), (rest / n).toFixed(2)];
  });
  console.log(formatTable(['page', 'all', ...shown.map((_, i) => `[${i + 1}]`), 'rest'], rows));
  shown.forEach((c, i) => console.log(`  [${i + 1}] ${c}`));
  for (const { w, s } of per) {
    const n = Math.max(1, w.requests);
    const top = s.byFunction.slice(0, 6).map(([f, ms]) => `${(ms / n).toFixed(2)} ${f}`);
    console.log(`  ${w.name}: ${top.join(' · ')}`);
  }
  console.log(`  The whole profile: ${kept} (Chrome DevTools, Performance panel, Load profile); each page's window: ${kept}.windows.json.`);
}

/** One temporary database and the server on it. */
interface Db {
  kind: 'demo' | 'large';
  label: string;
  /** The checkout it serves (BENCH_BASELINE), this one when absent. */
  tree?: string;
  base: string;
  fixture: Fixture;
  /** The server's process group (its workers included), for the CPU it spends. */
  pgid?: number;
}

interface Target {
  name: string;
  path: string;
  as?: Account;
  /** A list page: its p95 at 100,000 reflections is compared with the demo's. */
  list?: boolean;
}

function targetsOf(f: Fixture): Target[] {
  return [
    { name: '/api/health', path: '/api/health' },
    { name: '/login', path: '/login' },
    { name: '/my', path: '/my', as: f.cadre, list: true },
    { name: 'editor', path: `/my/assignments/${f.openAssignmentId}`, as: f.cadre },
    { name: '/my/bulletins', path: '/my/bulletins', as: f.cadre },
    { name: 'reader', path: `/my/assignments/${f.openAssignmentId}/readings/${f.readingId}`, as: f.cadre },
    { name: '/review', path: '/review', as: f.organizer, list: true },
    { name: '/review (admin, all courses)', path: '/review', as: f.admin, list: true },
    { name: '/review/search?q=治理', path: `/review/search?q=${encodeURIComponent('治理')}`, as: f.organizer, list: true },
    { name: 'review detail', path: `/review/${f.reviewReflectionId}`, as: f.organizer },
    { name: '简报 composer', path: `/bulletins/${f.bulletinId}`, as: f.organizer, list: true },
    { name: '/admin users', path: '/admin', as: f.admin, list: true },
  ];
}

const headersOf = (t: { as?: Account }): Record<string, string> => (t.as ? { cookie: t.as.cookie } : {});

/** Each database's pages as served: the answer's bytes and, of them, React's flight payload. */
const sizes = new Map<Db, Map<string, { bytes: number; flight: number }>>();

/** Every page must answer 200 before it is timed (a redirect means the session did not hold). */
async function checkAndWarm(db: Db): Promise<Target[]> {
  const ok: Target[] = [];
  const sized = new Map<string, { bytes: number; flight: number }>();
  sizes.set(db, sized);
  for (const t of targetsOf(db.fixture)) {
    if (PAGES && t.name !== '/login' && !PAGES.includes(t.name)) continue;
    const res = await fetch(db.base + t.path, { headers: headersOf(t), redirect: 'manual' });
    const body = await res.text();
    sized.set(t.name, { bytes: byteLength(body), flight: flightPayloadBytes(body) });
    // BENCH_SAVE_PAGES=dir keeps each page's HTML as served, to see where its bytes go.
    if (process.env.BENCH_SAVE_PAGES) {
      fs.mkdirSync(process.env.BENCH_SAVE_PAGES, { recursive: true });
      fs.writeFileSync(path.join(process.env.BENCH_SAVE_PAGES, `${db.kind}-${t.name.replace(/[^\p{L}\p{N}]+/gu, '_')}.html`), body);
    }
    if (res.status !== 200) {
      console.log(`  ! ${db.label}: ${t.name} (${t.path}) answered ${res.status}${res.headers.get('location') ? ` → ${res.headers.get('location')}` : ''}: not measured`);
      continue;
    }
    for (let i = 0; i < 10; i++) await (await fetch(db.base + t.path, { headers: headersOf(t) })).arrayBuffer();
    ok.push(t);
  }
  return ok;
}

interface Figures {
  rps: number;
  p95: number;
  bad: number;
  cpu: number;
  mainCpu: number;
}

/**
 * Every repetition visits every page of every database in turn (the demo's /my, the large /my,
 * the demo's editor, …), so that whatever else loads the machine at a moment loads all pages and
 * both databases alike; each figure is the median over the repetitions.
 */
async function measure(dbs: Db[]): Promise<Map<Db, Map<string, Figures>>> {
  const targets = await Promise.all(dbs.map(checkAndWarm));
  const turns = targets[0]?.flatMap((t) => dbs.map((db, i) => ({ db, t: targets[i]?.find((x) => x.name === t.name) }))) ?? [];
  const runs = new Map<Db, Map<string, Run[]>>(dbs.map((db) => [db, new Map()]));
  for (let round = 1; round <= WARMUP; round++) {
    process.stdout.write(`  warm-up ${round}/${WARMUP} (not counted):`);
    for (const { db, t } of turns) {
      if (!t) continue;
      await hammer(db.base + t.path, headersOf(t), SECONDS, db.pgid);
      process.stdout.write('.');
    }
    process.stdout.write('\n');
  }
  for (let rep = 1; rep <= REPS; rep++) {
    process.stdout.write(`  repetition ${rep}/${REPS}:`);
    for (const { db, t } of turns) {
      if (!t) continue;
      const from = nowUs();
      const run = await hammer(db.base + t.path, headersOf(t), SECONDS, db.pgid);
      if (PROFILE) windows.push({ name: t.name, from, to: nowUs(), requests: Math.round(run.rps * SECONDS) });
      const byName = runs.get(db);
      byName?.set(t.name, [...(byName.get(t.name) ?? []), run]);
      process.stdout.write('.');
    }
    process.stdout.write('\n');
  }
  const summary = (rs: Run[]): Figures => ({ rps: median(rs.map((r) => r.rps)), p95: median(rs.map((r) => r.p95)), bad: rs.reduce((n, r) => n + r.bad, 0), cpu: median(rs.map((r) => r.cpu)), mainCpu: median(rs.map((r) => r.mainCpu)) });
  return new Map([...runs].map(([db, byName]) => [db, new Map([...byName].map(([name, rs]) => [name, summary(rs)]))]));
}

function printPages(db: Db, figures: Map<string, Figures>): void {
  const login = figures.get('/login');
  const sized = sizes.get(db);
  // CPU per request says what a page costs even when others load the machine: /login's CPU over
  // the page's is the req/s ratio an otherwise idle server would show. The answer's size and its
  // flight payload say how much markup the server renders twice (once as flight, once as HTML).
  const rows = [...figures].map(([name, f]) => {
    const size = sized?.get(name);
    return [name, f.rps.toFixed(1), f.p95.toFixed(0), ratio(f.rps, login?.rps ?? Number.NaN), f.cpu.toFixed(1), f.mainCpu.toFixed(1), ratio(login?.cpu ?? Number.NaN, f.cpu), size ? kb(size.bytes) : '', size ? kb(size.flight) : '', f.bad ? String(f.bad) : ''];
  });
  console.log(`\n${db.label}: ${Number(process.env.BENCH_CONNECTIONS) || 10} connections, ${SECONDS} s a page, median of ${REPS} after ${WARMUP} warm-up round${WARMUP === 1 ? '' : 's'}`);
  console.log(formatTable(['page', 'req/s', 'p95 ms', '× /login', 'CPU ms/req', 'main thread', '× /login by CPU', 'answer', 'of it flight', 'non-2xx'], rows));
}

async function adminHtml(db: Db): Promise<void> {
  const html = await (await fetch(`${db.base}/admin`, { headers: { cookie: db.fixture.admin.cookie } })).text();
  const rows = (html.match(/<tr[\s>]/gu)?.length ?? 1) - 1;
  const total = byteLength(html);
  const flight = flightPayloadBytes(html);
  console.log(`  ${db.label}: /admin HTML ${kb(total)} (${total} bytes) for ${rows} rows; React flight payload ${kb(flight)} = ${((100 * flight) / total).toFixed(0)} %`);
}

async function scriptBytes(base: string, urls: string[]): Promise<{ raw: number; gzip: number; files: number }> {
  const bodies = await Promise.all(urls.map(async (u) => Buffer.from(await (await fetch(new URL(u, base))).arrayBuffer())));
  return { ...sizeOf(bodies), files: urls.length };
}

/**
 * The scripts each cadre page's HTML loads, against the framework's own: the build manifest's
 * rootMainFiles, which every App Router page loads and a bare page loads alone.
 */
async function clientJs(db: Db): Promise<void> {
  const f = db.fixture;
  const manifest = JSON.parse(fs.readFileSync(path.join(root, '.next', 'build-manifest.json'), 'utf8')) as { rootMainFiles?: string[]; polyfillFiles?: string[] };
  // Polyfills (nomodule) are left out on both sides: a current browser does not load them. The
  // last column adds them to both, for a reader who counts them.
  const bare = await scriptBytes(db.base, (manifest.rootMainFiles ?? []).map((p) => `/_next/${p}`));
  const polyfills = await scriptBytes(db.base, (manifest.polyfillFiles ?? []).map((p) => `/_next/${p}`));
  const withPolyfills = (gzip: number) => ratio(gzip + polyfills.gzip, bare.gzip + polyfills.gzip);
  const pages: Target[] = [
    { name: '/login (anonymous)', path: '/login' },
    { name: '/my', path: '/my', as: f.cadre },
    { name: 'editor', path: `/my/assignments/${f.openAssignmentId}`, as: f.cadre },
    { name: 'reader', path: `/my/assignments/${f.openAssignmentId}/readings/${f.readingId}`, as: f.cadre },
    { name: '/my/bulletins', path: '/my/bulletins', as: f.cadre },
  ];
  // Three decimals: at two, 1.1535 printed as 1.15 and looked within the target.
  const byBare = (gzip: number) => (gzip / bare.gzip).toFixed(3);
  const rows = [['bare Next (rootMainFiles)', String(bare.files), kb(bare.raw), kb(bare.gzip), '1.000', '1.00']];
  for (const p of pages) {
    const res = await fetch(db.base + p.path, { headers: headersOf(p), redirect: 'manual' });
    if (res.status !== 200) {
      rows.push([p.name, `answered ${res.status}`, '', '', '', '']);
      continue;
    }
    const js = await scriptBytes(db.base, scriptSources(await res.text()));
    rows.push([p.name, String(js.files), kb(js.raw), kb(js.gzip), byBare(js.gzip), withPolyfills(js.gzip)]);
  }
  console.log('\nClient JavaScript (every <script src> of the page but nomodule polyfills; ratio of gzip sizes; target ≤ 1.15×)');
  console.log(formatTable(['page', 'files', 'raw', 'gzip', '× bare', '× incl. polyfills'], rows));
}

async function warmAutosave(db: Db): Promise<void> {
  const f = db.fixture;
  for (let i = 0; i < 4; i++) {
    const res = await fetch(`${db.base}/api/reflections/draft`, {
      method: 'POST',
      headers: { cookie: f.cadre.cookie, origin: new URL(db.base).origin, 'content-type': 'application/json' },
      body: JSON.stringify({ assignmentId: f.openAssignmentId, title: '热身', body: '预热自动保存。', readingIds: [], baseRevision: 0 }),
    });
    await res.arrayBuffer();
  }
}

async function burst(db: Db, server: ChildProcess | undefined): Promise<void> {
  const f = db.fixture;
  // A server at a deadline has been taking autosaves all along: one autosave by the bench's own
  // cadre loads the draft route's code first (about 0.2 s the first time, once per process).
  await warmAutosave(db);
  const submitId = actionId(root, 'submitReflectionAction', 'my/assignments/[assignmentId]/page');
  const { autosave, submit } = await deadlineBurst(db.base, f.burst.cadres, f.burst.assignmentId, submitId, server?.pid);
  const row = (name: string, p: BurstPhase) => [name, p.p50.toFixed(0), p.p95.toFixed(0), p.max.toFixed(0), String(p.errors), (p.wall / 1000).toFixed(1), kb(p.bytes), p.cpu.toFixed(0)];
  console.log(`\n${db.label}, deadline burst: ${f.burst.cadres.length} cadres at once`);
  console.log(
    formatTable(['request', 'p50 ms', 'p95 ms', 'max ms', 'errors', 'all done s', 'answer', 'server CPU ms'], [row('autosave (POST /api/reflections/draft)', autosave), row('submit (server action)', submit)], '  '),
  );
  process.env.DATABASE_PATH = db.fixture.dbFile;
  const counted = await countBurst(f.burst.assignmentId, f.burst.cadres.map((c) => c.id));
  (await import('../db')).closeDb();
  const n = f.burst.cadres.length;
  console.log(`  counted after: ${counted.reflections} reflections, ${counted.submitted} submitted, ${counted.versions} versions (expected ${n}, ${n}, ${n})${counted.versions === n && counted.submitted === n ? ': nothing lost' : ': NOT ALL THERE'}`);
}

// ---------------------------------------------------------------------------------------------

const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

/** A temporary database of this kind with the bench layer, and the server on it. */
async function prepare(kind: 'demo' | 'large', port: number, tree = root): Promise<{ db: Db; server: ChildProcess }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `xuesi-bench-http-${kind}-`));
  folders.add(dir);
  const dbFile = path.join(dir, 'xuesi.db');
  const secret = newSecret();
  const t0 = Date.now();
  const { getDb, closeDb } = await import('../db');
  if (kind === 'demo') seedDemo(dbFile);
  process.env.DATABASE_PATH = dbFile;
  getDb();
  if (kind === 'large') await buildLarge();
  await settleOriginality(kind);
  const fixture = await addBenchLayer(kind, secret, dbFile);
  closeDb();
  const label = tree !== root ? `Demo database, baseline ${path.basename(tree)}` : kind === 'demo' ? 'Demo database' : '100,000 reflections';
  console.log(`${label}: built in ${((Date.now() - t0) / 1000).toFixed(0)} s, served on port ${port}`);
  const server = await startServer(dbFile, secret, port, tree);
  return { db: { kind, label, tree, base: `http://127.0.0.1:${port}`, fixture, pgid: server.pid }, server };
}

/** BENCH_BASELINE: each page's ratio to /login in this tree and in the baseline, from the same run. */
function printComparison(mine: Map<string, Figures>, base: Map<string, Figures>): void {
  const r = (f: Map<string, Figures>, name: string) => ratio(f.get(name)?.rps ?? Number.NaN, f.get('/login')?.rps ?? Number.NaN);
  const rows = [...mine.keys()].map((name) => [name, r(base, name), r(mine, name), base.get(name)?.cpu.toFixed(1) ?? '—', mine.get(name)?.cpu.toFixed(1) ?? '—']);
  console.log(`\nThis tree against the baseline (${BASELINE}), the same run`);
  console.log(formatTable(['page', 'baseline × /login', 'this tree × /login', 'baseline CPU ms', 'this tree CPU ms'], rows));
}

function printGrowth(demo: Map<string, Figures>, large: Map<string, Figures>, lists: string[]): void {
  const rows = lists.map((name) => {
    const d = demo.get(name);
    const l = large.get(name);
    return [name, d ? d.p95.toFixed(0) : '—', l ? l.p95.toFixed(0) : '—', ratio(l?.p95 ?? Number.NaN, d?.p95 ?? Number.NaN)];
  });
  console.log('\nGrowth, 100,000 reflections / demo (p95 in the same repetitions; target ≤ 1.5×)');
  console.log(formatTable(['list page', 'demo p95', '100k p95', '× demo'], rows));
}

async function main(): Promise<void> {
  const t0 = Date.now();
  ensureBuild(root);
  if (BASELINE) ensureBuild(BASELINE);
  console.log(`bench:http${PROFILE ? ' --profile' : QUICK ? ' --quick' : ''}${BURST_ONLY ? ' --burst' : ''}${PAGES ? ` --pages=${PAGES.join(',')}` : ''}: ${os.cpus().length} cores, load average ${load()}`);
  const kinds = QUICK || BURST_ONLY || PAGES || BASELINE ? (['demo'] as const) : (['demo', 'large'] as const);
  const started: { db: Db; server: ChildProcess }[] = [];
  try {
    // Both servers run at once: the one not being measured waits idle and costs nothing.
    for (const [i, kind] of kinds.entries()) started.push(await prepare(kind, PORT + 10 * i));
    if (BASELINE) started.push(await prepare('demo', PORT + 20, BASELINE));
    const dbs = started.map((s) => s.db);
    if (BURST_ONLY) {
      // Warmed as in the full run, where every page has been served before the burst.
      for (const s of started) await checkAndWarm(s.db);
      for (const s of started) await burst(s.db, s.server);
      return;
    }
    console.log(`\nMeasuring (load average ${load()})`);
    const figures = await measure(dbs);
    for (const db of dbs) printPages(db, figures.get(db) ?? new Map());
    if (PROFILE) {
      // The profile is written when the server stops: nothing else is measured under it.
      const s = started[0];
      if (s) {
        await stopServer(s.server);
        started.length = 0;
        printProfile(profileDir(path.dirname(s.db.fixture.dbFile)));
      }
      return;
    }
    if (BASELINE) {
      const [mine, base] = dbs;
      if (mine && base) printComparison(figures.get(mine) ?? new Map(), figures.get(base) ?? new Map());
      return;
    }
    if (PAGES) return;
    const [demo, large] = dbs;
    if (demo && large) {
      const lists = targetsOf(demo.fixture).filter((t) => t.list).map((t) => t.name);
      printGrowth(figures.get(demo) ?? new Map(), figures.get(large) ?? new Map(), lists);
    }
    console.log('');
    for (const db of dbs) await adminHtml(db);
    if (demo) await clientJs(demo);
    for (const s of started) await burst(s.db, s.server);
  } finally {
    for (const s of started) await stopServer(s.server);
    cleanUpNow();
  }
  console.log(`\nbench:http done in ${((Date.now() - t0) / 1000).toFixed(0)} s (load average ${load()})`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
