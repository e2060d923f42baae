// npm run bench:http [-- --quick]: the production server (`npm start`, built first when the build
// is not current) on a temporary database, once with the demo and once with 100,000 reflections,
// driven with autocannon. Prints req/s and p95 of the pages of issue 15 as ratios to /login in
// the same run, the large/demo p95 ratios of the list pages, /admin's HTML and flight payload,
// a deadline burst of 100 cadres, and the client JavaScript of the cadre pages. It prints; it
// asserts nothing about time. --quick: the demo only, one repetition of 2 s per page.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addBenchLayer, buildLarge, countBurst, newSecret, seedDemo, settleOriginality, type Account, type Fixture } from './bench-http-data';
import { actionId, deadlineBurst, hammer, type BurstPhase, type Run } from './bench-http-load';
import { byteLength, flightPayloadBytes, formatTable, kb, median, ratio, scriptSources, sizeOf } from './bench-http-stats';
import { buildIsCurrent, stampBuild } from './source-hash';

const QUICK = process.argv.includes('--quick');
const REPS = QUICK ? 1 : 3;
const SECONDS = QUICK ? 2 : 5;
const PORT = Number(process.env.PORT || 3100);
const BASE = `http://127.0.0.1:${PORT}`;
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

function ensureBuild(): void {
  if (buildIsCurrent(root)) return;
  console.log('Building the production server (next build)…');
  const built = spawnSync(process.execPath, [path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'], {
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (built.status !== 0) throw new Error('next build failed');
  stampBuild(root);
}

/** `npm start`'s own command, so that whatever it does (workers, start-up work) is measured too. */
async function startServer(dbFile: string, secret: string): Promise<ChildProcess> {
  const log = fs.openSync(path.join(path.dirname(dbFile), 'server.log'), 'a');
  const child = spawn(path.join(root, 'node_modules', '.bin', 'tsx'), ['--conditions=react-server', 'scripts/start.ts'], {
    cwd: root,
    detached: true, // its own process group, killed whole
    stdio: ['ignore', log, log],
    env: { ...process.env, PORT: String(PORT), HOSTNAME_BIND: '127.0.0.1', DATABASE_PATH: dbFile, NEXTAUTH_SECRET: secret, NEXTAUTH_URL: `http://localhost:${PORT}` },
  });
  servers.add(child);
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    const up = await fetch(`${BASE}/api/health`).then((r) => r.ok, () => false);
    if (up) return child;
    await new Promise((r) => setTimeout(r, 300));
  }
  const tail = fs.readFileSync(path.join(path.dirname(dbFile), 'server.log'), 'utf8').split('\n').slice(-20).join('\n');
  throw new Error(`the server did not come up on port ${PORT}:\n${tail}`);
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
    { name: '/review', path: '/review', as: f.organizer, list: true },
    { name: '/review (admin, all courses)', path: '/review', as: f.admin, list: true },
    { name: '/review/search?q=治理', path: `/review/search?q=${encodeURIComponent('治理')}`, as: f.organizer, list: true },
    { name: 'review detail', path: `/review/${f.reviewReflectionId}`, as: f.organizer },
    { name: '简报 composer', path: `/bulletins/${f.bulletinId}`, as: f.organizer, list: true },
    { name: '/admin users', path: '/admin', as: f.admin, list: true },
  ];
}

const headersOf = (t: { as?: Account }): Record<string, string> => (t.as ? { cookie: t.as.cookie } : {});

/** Every page must answer 200 before it is timed (a redirect means the session did not hold). */
async function checkAndWarm(targets: Target[]): Promise<Target[]> {
  const ok: Target[] = [];
  for (const t of targets) {
    const res = await fetch(BASE + t.path, { headers: headersOf(t), redirect: 'manual' });
    await res.arrayBuffer();
    if (res.status !== 200) {
      console.log(`  ! ${t.name} (${t.path}) answered ${res.status}${res.headers.get('location') ? ` → ${res.headers.get('location')}` : ''}: not measured`);
      continue;
    }
    for (let i = 0; i < 10; i++) await (await fetch(BASE + t.path, { headers: headersOf(t) })).arrayBuffer();
    ok.push(t);
  }
  return ok;
}

interface Figures {
  rps: number;
  p95: number;
  bad: number;
}

/**
 * Every repetition visits every page in turn, so that whatever else loads the machine at a
 * moment loads all pages alike; each page's figure is the median over the repetitions.
 */
async function measure(targets: Target[]): Promise<Map<string, Figures>> {
  const runs = new Map<string, Run[]>(targets.map((t) => [t.name, []]));
  for (let rep = 1; rep <= REPS; rep++) {
    process.stdout.write(`  repetition ${rep}/${REPS}:`);
    for (const t of targets) {
      runs.get(t.name)?.push(await hammer(BASE + t.path, headersOf(t), SECONDS));
      process.stdout.write('.');
    }
    process.stdout.write('\n');
  }
  return new Map(
    [...runs].map(([name, rs]) => [name, { rps: median(rs.map((r) => r.rps)), p95: median(rs.map((r) => r.p95)), bad: rs.reduce((n, r) => n + r.bad, 0) }]),
  );
}

function printPages(title: string, figures: Map<string, Figures>): void {
  const login = figures.get('/login')?.rps ?? Number.NaN;
  const rows = [...figures].map(([name, f]) => [name, f.rps.toFixed(1), f.p95.toFixed(0), ratio(f.rps, login), f.bad ? String(f.bad) : '']);
  console.log(`\n${title}: 10 connections, ${SECONDS} s a page, median of ${REPS}`);
  console.log(formatTable(['page', 'req/s', 'p95 ms', '× /login', 'non-2xx'], rows));
}

async function adminHtml(f: Fixture): Promise<void> {
  const html = await (await fetch(`${BASE}/admin`, { headers: { cookie: f.admin.cookie } })).text();
  const rows = (html.match(/<tr[\s>]/gu)?.length ?? 1) - 1;
  const total = byteLength(html);
  const flight = flightPayloadBytes(html);
  console.log(`  /admin HTML: ${kb(total)} (${total} bytes) for ${rows} rows; React flight payload ${kb(flight)} = ${((100 * flight) / total).toFixed(0)} %`);
}

async function scriptBytes(urls: string[]): Promise<{ raw: number; gzip: number; files: number }> {
  const bodies = await Promise.all(urls.map(async (u) => Buffer.from(await (await fetch(new URL(u, BASE))).arrayBuffer())));
  return { ...sizeOf(bodies), files: urls.length };
}

/**
 * The scripts each cadre page's HTML loads, against the framework's own: the build manifest's
 * rootMainFiles, which every App Router page loads and a bare page loads alone.
 */
async function clientJs(f: Fixture): Promise<void> {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, '.next', 'build-manifest.json'), 'utf8')) as { rootMainFiles?: string[]; polyfillFiles?: string[] };
  // Polyfills (nomodule) are left out on both sides: a current browser does not load them. The
  // last column adds them to both, for a reader who counts them.
  const bare = await scriptBytes((manifest.rootMainFiles ?? []).map((p) => `/_next/${p}`));
  const polyfills = await scriptBytes((manifest.polyfillFiles ?? []).map((p) => `/_next/${p}`));
  const withPolyfills = (gzip: number) => ratio(gzip + polyfills.gzip, bare.gzip + polyfills.gzip);
  const pages: Target[] = [
    { name: '/login (anonymous)', path: '/login' },
    { name: '/my', path: '/my', as: f.cadre },
    { name: 'editor', path: `/my/assignments/${f.openAssignmentId}`, as: f.cadre },
    { name: 'reader', path: `/my/assignments/${f.openAssignmentId}/readings/${f.readingId}`, as: f.cadre },
    { name: '/my/bulletins', path: '/my/bulletins', as: f.cadre },
  ];
  const rows = [['bare Next (rootMainFiles)', String(bare.files), kb(bare.raw), kb(bare.gzip), '1.00', '1.00']];
  for (const p of pages) {
    const res = await fetch(BASE + p.path, { headers: headersOf(p), redirect: 'manual' });
    if (res.status !== 200) {
      rows.push([p.name, `answered ${res.status}`, '', '', '', '']);
      continue;
    }
    const js = await scriptBytes(scriptSources(await res.text()));
    rows.push([p.name, String(js.files), kb(js.raw), kb(js.gzip), ratio(js.gzip, bare.gzip), withPolyfills(js.gzip)]);
  }
  console.log('\nClient JavaScript (every <script src> of the page but nomodule polyfills; ratio of gzip sizes; target ≤ 1.15×)');
  console.log(formatTable(['page', 'files', 'raw', 'gzip', '× bare', '× incl. polyfills'], rows));
}

async function burst(f: Fixture): Promise<void> {
  const submitId = actionId(root, 'submitReflectionAction', 'my/assignments/[assignmentId]/page');
  const { autosave, submit } = await deadlineBurst(BASE, f.burst.cadres, f.burst.assignmentId, submitId);
  const row = (name: string, p: BurstPhase) => [name, p.p50.toFixed(0), p.p95.toFixed(0), p.max.toFixed(0), String(p.errors), (p.wall / 1000).toFixed(1), kb(p.bytes)];
  console.log(`\n  Deadline burst: ${f.burst.cadres.length} cadres at once`);
  console.log(
    formatTable(['request', 'p50 ms', 'p95 ms', 'max ms', 'errors', 'all done s', 'answer'], [row('autosave (POST /api/reflections/draft)', autosave), row('submit (server action)', submit)], '  '),
  );
  const counted = await countBurst(f.burst.assignmentId, f.burst.cadres.map((c) => c.id));
  const n = f.burst.cadres.length;
  console.log(`  counted after: ${counted.reflections} reflections, ${counted.submitted} submitted, ${counted.versions} versions (expected ${n}, ${n}, ${n})${counted.versions === n && counted.submitted === n ? ': nothing lost' : ': NOT ALL THERE'}`);
}

// ---------------------------------------------------------------------------------------------

async function runOn(kind: 'demo' | 'large'): Promise<Map<string, Figures>> {
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
  const fixture = await addBenchLayer(kind, secret);
  closeDb();
  console.log(`\n=== ${kind === 'demo' ? 'Demo database' : '100,000 reflections'} (built in ${((Date.now() - t0) / 1000).toFixed(0)} s; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')})`);

  const server = await startServer(dbFile, secret);
  try {
    const targets = await checkAndWarm(targetsOf(fixture));
    const figures = await measure(targets);
    printPages(kind === 'demo' ? 'Demo database' : '100,000 reflections', figures);
    await adminHtml(fixture);
    if (kind === 'demo') await clientJs(fixture);
    await burst(fixture);
    return figures;
  } finally {
    await stopServer(server);
    fs.rmSync(dir, { recursive: true, force: true });
    folders.delete(dir);
    console.log(`  (load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')})`);
  }
}

function printGrowth(demo: Map<string, Figures>, large: Map<string, Figures>, lists: string[]): void {
  const rows = lists.map((name) => {
    const d = demo.get(name);
    const l = large.get(name);
    return [name, d ? d.p95.toFixed(0) : '—', l ? l.p95.toFixed(0) : '—', ratio(l?.p95 ?? Number.NaN, d?.p95 ?? Number.NaN)];
  });
  console.log('\nGrowth, 100,000 reflections / demo (p95; target ≤ 1.5×)');
  console.log(formatTable(['list page', 'demo p95', '100k p95', '× demo'], rows));
}

async function main(): Promise<void> {
  const t0 = Date.now();
  ensureBuild();
  console.log(`bench:http${QUICK ? ' --quick' : ''} on port ${PORT}, ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const demo = await runOn('demo');
  if (!QUICK) {
    const large = await runOn('large');
    const lists = targetsOf({ cadre: {}, organizer: {}, admin: {} } as Fixture).filter((t) => t.list).map((t) => t.name);
    printGrowth(demo, large, lists);
  }
  console.log(`\nbench:http done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
