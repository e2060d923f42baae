// The review desk on PostgreSQL against SQLite, in one run (issue 16, "Bench"; part of `npm run
// bench`, or alone: `npm run bench:pg`):
// 1. the review bench's database (scripts/bench-review.ts buildReviewDatabase: 100,000 reflections
//    from 10,000 cadres in 200 courses), built here on a temporary file, or a kept one reused
//    (BENCH_REVIEW_FROM, or the file `npm run bench` has just kept; copied, never changed);
// 2. a throwaway PostgreSQL cluster (test/pg/cluster.ts), one database with C collation (text
//    ordered by bytes, as SQLite's BINARY), the file copied into it by copyToPostgres (the
//    db:copy-to-postgres command, with its verification), then the search index built by the
//    portal's own ensureSearchIndex in a process whose DATABASE_URL selects PostgreSQL;
// 3. the same timing function (bench-review.ts timeReviewQueries: the queue's first page for an
//    organizer and the admin, deep filtered pages, search 治理 and 基层治理 for both) in two child
//    processes, one on the SQLite file and then one on PostgreSQL, never at the same time;
// 4. one table: p50/p95 on each and the ratio PostgreSQL / SQLite; the copy and index times. The
//    cluster is removed at the end, whatever happened.
// Figures only; nothing here asserts on time. Without PostgreSQL's server programs (or when the
// cluster cannot start) it says why and skips, so that `npm run bench` still completes.
//
// BENCH_PG_COURSES: the number of courses when building here (200, i.e. 100,000 reflections;
// 10 gives 5,000 for a quick trial).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Timing } from './bench-review';

const SELF = path.join('scripts', 'bench-pg.ts');

interface TimingResult {
  dialect: string;
  source: string;
  timings: Timing[];
}

interface IndexResult {
  ms: number;
  added: number;
  removed: number;
}

// ---------------------------------------------------------------------------------------------
// The children: one process per database, as the portal runs (a process is on one database for
// its whole life, db/dialect.ts).

async function childTime(): Promise<TimingResult> {
  const { closeDbAndWait, dialectName } = await import('../db');
  const { queueFunction, timeReviewQueries, viewerOf } = await import('./bench-review');
  try {
    const { fn, source } = await queueFunction();
    const timings = await timeReviewQueries(await viewerOf('org000'), await viewerOf('bench-admin'), fn);
    return { dialect: dialectName(), source, timings };
  } finally {
    await closeDbAndWait();
  }
}

async function childIndex(): Promise<IndexResult> {
  const { closeDbAndWait, getDb } = await import('../db');
  const { ensureSearchIndex } = await import('../db/queries/search-index');
  const { sql } = await import('drizzle-orm');
  try {
    // The pool opened and the migrations checked before the clock starts.
    await getDb().get(sql`select 1`);
    const t = performance.now();
    const { added, removed } = await ensureSearchIndex();
    return { ms: performance.now() - t, added, removed };
  } finally {
    await closeDbAndWait();
  }
}

/** Runs this file as a child in `mode` with `env`; its result comes back through a JSON file. */
async function inChild<T>(mode: 'time' | 'index', env: NodeJS.ProcessEnv, dir: string): Promise<T> {
  const out = path.join(dir, `${mode}-${Date.now()}.json`);
  const child = spawn('npx', ['tsx', '-r', './scripts/server-only-shim.cjs', SELF, '--child', mode, '--out', out], {
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', resolve);
  });
  if (code !== 0 || !fs.existsSync(out)) throw new Error(`bench-pg: the ${mode} process (${env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'}) failed (exit ${code})`);
  return JSON.parse(fs.readFileSync(out, 'utf8')) as T;
}

// ---------------------------------------------------------------------------------------------
// The run

function sqliteEnv(file: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_PATH: file };
  delete env.DATABASE_URL;
  return env;
}

function postgresEnv(url: string): NodeJS.ProcessEnv {
  // The portal's own start: it checks db/migrations-pg itself.
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: url };
  delete env.XUESI_DB_MIGRATED;
  return env;
}

const ms = (n: number) => `${(n / 1000).toFixed(1)} s`;

/** Padded to `width` terminal columns: a CJK character takes two. */
function padCols(text: string, width: number): string {
  const wide = text.match(/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/gu)?.length ?? 0;
  return text + ' '.repeat(Math.max(0, width - text.length - wide));
}

function printTable(sqlite: Timing[], postgres: Timing[]): void {
  const w = 54;
  const num = (n: number) => n.toFixed(2).padStart(8);
  console.log(`\n  ${''.padEnd(w)} ${'SQLite'.padStart(17)} ${'PostgreSQL'.padStart(17)} ${'PostgreSQL / SQLite'.padStart(19)}`);
  console.log(`  ${'query'.padEnd(w)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p50 ×'.padStart(9)} ${'p95 ×'.padStart(9)}`);
  sqlite.forEach((s, i) => {
    const p = postgres[i];
    if (!p || p.name !== s.name) throw new Error(`bench-pg: the two runs timed different queries (${s.name} / ${p?.name ?? '—'})`);
    const ratio = (a: number, b: number) => (a / Math.max(b, 0.001)).toFixed(2).padStart(9);
    console.log(`  ${padCols(s.name, w)} ${num(s.p50)} ${num(s.p95)} ${num(p.p50)} ${num(p.p95)} ${ratio(p.p50, s.p50)} ${ratio(p.p95, s.p95)}`);
  });
}

/**
 * The whole comparison. `from`: a review database to reuse (copied first); otherwise
 * BENCH_REVIEW_FROM, otherwise one is built here.
 */
export async function benchPg({ from = process.env.BENCH_REVIEW_FROM }: { from?: string } = {}): Promise<void> {
  console.log('\nReview desk on PostgreSQL vs SQLite (issue 16)');
  const { createDatabase, findPostgresBin, startCluster } = await import('../test/pg/cluster');
  if (!findPostgresBin()) {
    console.log('  skipped: no PostgreSQL server programs (/usr/lib/postgresql/*/bin); bash scripts/ensure-postgres.sh installs them (as root).');
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xuesi-bench-pg-'));
  const file = path.join(dir, 'review.db');
  let cluster: Awaited<ReturnType<typeof startCluster>> | null = null;
  try {
    if (from) {
      fs.copyFileSync(from, file);
      console.log(`  database: a copy of ${from}`);
    } else {
      // Built in this process, which must be on SQLite for it.
      const { closeDbAndWait } = await import('../db');
      const { buildReviewDatabase } = await import('./bench-review');
      const previous = process.env.DATABASE_PATH;
      await closeDbAndWait();
      process.env.DATABASE_PATH = file;
      try {
        await buildReviewDatabase({ courses: Number(process.env.BENCH_PG_COURSES ?? 200) });
      } finally {
        await closeDbAndWait();
        if (previous === undefined) delete process.env.DATABASE_PATH;
        else process.env.DATABASE_PATH = previous;
      }
    }

    try {
      cluster = await startCluster();
    } catch (err) {
      console.log(`  skipped: the PostgreSQL cluster did not start (${(err instanceof Error ? err.message : String(err)).split('\n')[0]})`);
      return;
    }
    const url = await createDatabase(cluster.url, 'xuesi_bench');

    const { copyToPostgres } = await import('./copy-to-postgres');
    const copied = await copyToPostgres({ from: file, to: url, log: () => undefined });
    if (!copied.report.ok) throw new Error('bench-pg: the copy does not match its source (npm run db:copy-to-postgres -- --verify-only says where)');
    console.log(`  copy (db:copy-to-postgres): ${copied.rows.toLocaleString('en-US')} rows in ${copied.tables} tables in ${ms(copied.copyMs)}, verified (row counts and hashes)`);

    const index = await inChild<IndexResult>('index', postgresEnv(url), dir);
    console.log(`  search index (ensureSearchIndex on PostgreSQL): ${index.added.toLocaleString('en-US')} reflections in ${ms(index.ms)} (${(index.ms / Math.max(index.added, 1)).toFixed(3)} ms a reflection)`);

    // Planner statistics, as after any bulk load (autovacuum would gather them a minute or so later):
    // without them the first timings would measure a planner that guesses.
    const pg = (await import('pg')).default;
    const stats = new pg.Client({ connectionString: url });
    await stats.connect();
    const analyzeStart = performance.now();
    try {
      await stats.query('ANALYZE');
    } finally {
      await stats.end();
    }
    console.log(`  ANALYZE: ${ms(performance.now() - analyzeStart)}`);

    // One after the other: timings taken together would measure each other.
    const onSqlite = await inChild<TimingResult>('time', sqliteEnv(file), dir);
    const onPostgres = await inChild<TimingResult>('time', postgresEnv(url), dir);
    if (onSqlite.dialect !== 'sqlite' || onPostgres.dialect !== 'postgres') throw new Error(`bench-pg: ran on ${onSqlite.dialect} and ${onPostgres.dialect}`);
    console.log(`  queue timed with ${onPostgres.source}; each query 60 times after 5 warm-up runs, in its own process per database`);
    printTable(onSqlite.timings, onPostgres.timings);
  } finally {
    await cluster?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('bench-pg.ts')) {
  const { values } = parseArgs({ options: { child: { type: 'string' }, out: { type: 'string' } } });
  const run = async () => {
    if (values.child === 'time' || values.child === 'index') {
      const result = values.child === 'time' ? await childTime() : await childIndex();
      fs.writeFileSync(values.out!, JSON.stringify(result));
      return;
    }
    // Run alone: this process builds on SQLite whatever DATABASE_URL says.
    delete process.env.DATABASE_URL;
    await benchPg();
  };
  run().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
