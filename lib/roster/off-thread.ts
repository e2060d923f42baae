import 'server-only';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { databasePath, MIGRATED_ENV } from '@/db';
import type { Answer, CommitJob, ErrorSheetAnswer, ErrorSheetJob, Job, PlanAnswer, PlanJob, SheetJob } from '@/db/queries/roster/worker';
import type { CommitCounts } from '@/db/queries/roster/apply';
import type { Failure } from '@/lib/action-result';
import { ROSTER_BUNDLE } from './bundle-path';

// The server process's side of the roster process (db/queries/roster/worker.ts): one child process
// per server process, started when an admin opens the 花名册 page (or at the first import) and
// stopped after 15 minutes without one. It parses and plans uploads, writes the password sheet and
// 下载错误清单, and runs the commit's write transaction on its own database connection, so that
// the server process, which serves everyone's pages, is never held by them for more than the
// messages (docs/decisions/0005).
//
// A process, not a worker thread, so that all of its CPU runs at low priority: it is started at
// nice NICE, and every thread it makes inherits that, V8's own included (garbage collection and
// compiling for its heap). A worker thread could lower only itself: the V8 helper threads it shared
// with the server stayed at nice 0, 58–69 % of a core while a 10,000-row roster was parsed, beside
// everyone's pages (issue 17). Only the commit's writes, which hold the database's write lock, go
// back to nice 0 where the system allows it (db/queries/roster/worker.ts setNice).
//
// It runs the bundle the production build made of it (scripts/roster-bundle.ts) or, without one,
// the TypeScript sources through tsx (a dependency: `npm start` runs on it), from the project
// directory like the migrations, so that Next's bundler does not have to know about it;
// `server-only` resolves to its empty module there, as under React's server build. Messages go over
// Node's IPC channel with the structured-clone ('advanced') serialization, so bytes travel as bytes.

const ENTRY = path.join(/*turbopackIgnore: true*/ process.cwd(), 'db', 'queries', 'roster', 'worker.ts');
// As long as a preview waits for its 确认导入 (PREHASH_TTL_MS), so that the commit finds the file parsed.
const IDLE_MS = 15 * 60 * 1000;
/** The roster process's priority, for all its threads: the server's request thread runs at nice 0. */
const NICE = 10;
/** The environment variable that tells the roster process it is one, and what to load. */
const ROSTER_CHILD_ENV = 'XUESI_ROSTER_CHILD';

// What the process runs first. Without `nice` (not Linux) it lowers at least its own main thread
// before loading anything: starting it (exceljs, drizzle, the schema; through tsx, without the
// bundle) takes 0.6–1.5 s of CPU, as much as parsing a 10,000-row roster.
const SOURCE = `
try { require('node:os').setPriority(0, ${NICE}); } catch {}
const start = JSON.parse(process.env.${ROSTER_CHILD_ENV});
if (start.bundle) {
  require(start.bundle);
} else {
  const Module = require('node:module');
  const path = require('node:path');
  const empty = path.join(path.dirname(require.resolve('server-only')), 'empty.js');
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function (request, ...rest) {
    return resolve.call(this, request === 'server-only' ? empty : request, ...rest);
  };
  require('tsx/cjs/api').register();
  require(start.entry);
}
`;

/**
 * The production build's bundle of the roster process (scripts/roster-bundle.ts), made with the
 * build from the same sources; null elsewhere (development, tests), where the process loads the
 * sources through tsx. The bundle loads in about 0.6 s of CPU where tsx took about 1.5 s.
 */
function bundle(): string | null {
  // A bundle made elsewhere (scripts/roster-bundle.test.ts runs the process from one it made).
  if (process.env.XUESI_ROSTER_BUNDLE) return process.env.XUESI_ROSTER_BUNDLE;
  if (process.env.NODE_ENV !== 'production') return null;
  const file = path.join(/*turbopackIgnore: true*/ process.cwd(), ROSTER_BUNDLE);
  return fs.existsSync(file) ? file : null;
}

/** coreutils' nice, where there is one: the process then starts at NICE with all its threads. */
function niceCommand(): string | null {
  // turbopackIgnore (here and on the spawn below): a path or command the bundler cannot follow made
  // it trace the whole project (every source, the README) into the roster routes' file lists.
  for (const file of ['/usr/bin/nice', '/bin/nice']) if (fs.existsSync(/*turbopackIgnore: true*/ file)) return file;
  return null;
}

type Event = Answer | { id: number; kind: 'crash'; error: Error };
type Handler = (e: Event) => void;

interface RosterProcess {
  child: ChildProcess;
  handlers: Map<number, Handler>;
  idle: NodeJS.Timeout | null;
}

const key = Symbol.for('xuesi.roster.process');
type WithProcess = typeof globalThis & { [key]?: { current: RosterProcess | null; nextId: number } };
function state(): { current: RosterProcess | null; nextId: number } {
  const g = globalThis as WithProcess;
  g[key] ??= { current: null, nextId: 1 };
  return g[key];
}

/**
 * Where the server's database is, sent with every job that reads or writes it: the process copied
 * the environment when it started, and tests (and a restarted database) change it since. The
 * SQLite file, or on PostgreSQL its address (DATABASE_URL): the process then opens a pool of its own
 * on the same database.
 */
function database(): { databasePath: string; databaseUrl: string | null } {
  return { databasePath: databasePath(), databaseUrl: process.env.DATABASE_URL ?? null };
}

function errorOf(plain: { message: string; code?: string; digest?: string }): Error {
  // SQLite's code and Next's digest, so that the kernel reads busy, unique and notFound() as here.
  return Object.assign(new Error(plain.message), plain.code ? { code: plain.code } : {}, plain.digest ? { digest: plain.digest } : {});
}

function startProcess(): RosterProcess {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    [MIGRATED_ENV]: '1',
    [ROSTER_CHILD_ENV]: JSON.stringify({ entry: ENTRY, bundle: bundle() }),
  };
  // Not the server's own flags (--conditions=react-server would keep next/navigation from loading).
  delete env.NODE_OPTIONS;
  const nice = niceCommand();
  const args = ['-e', SOURCE];
  const child = spawn(/*turbopackIgnore: true*/ nice ?? process.execPath, nice ? ['-n', String(NICE), process.execPath, ...args] : args, {
    cwd: process.cwd(),
    env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  const rp: RosterProcess = { child, handlers: new Map(), idle: null };
  child.on('message', (a: Answer) => rp.handlers.get(a.id)?.(a));
  let gone = false;
  const crash = (error: Error) => {
    if (gone) return;
    gone = true;
    const s = state();
    if (s.current === rp) s.current = null;
    if (rp.idle) clearTimeout(rp.idle);
    for (const [id, h] of rp.handlers) h({ id, kind: 'crash', error });
    rp.handlers.clear();
  };
  child.on('error', crash);
  child.on('exit', (code, signal) => crash(new Error(`roster process exited (${signal ?? code})`)));
  return rp;
}

/** Lets an idle process go after IDLE_MS; the server may exit without it meanwhile. */
function idleOut(rp: RosterProcess): void {
  rp.child.unref();
  rp.child.channel?.unref();
  if (rp.idle) clearTimeout(rp.idle);
  rp.idle = setTimeout(() => {
    if (state().current === rp) state().current = null;
    rp.child.kill();
  }, IDLE_MS);
  rp.idle.unref();
}

/**
 * Starts the roster process, when this server process has none, as the admin opens the 花名册
 * page: the start (0.6–1.5 s of CPU at nice NICE) then happens while the admin picks the file, not
 * after the upload. Nothing is read or written; a process nobody uses goes after IDLE_MS as always.
 */
export function warmRosterProcess(): void {
  const s = state();
  if (s.current) return;
  try {
    s.current = startProcess();
  } catch {
    // No child processes here: the first job starts one (and fails the same way, with a message).
    return;
  }
  idleOut(s.current);
}

/** The roster process's pid, while this server process has one (tests: the same one serves the next job). */
export function rosterProcessId(): number | null {
  return state().current?.child.pid ?? null;
}

/** Sends a job (its bytes copied over the channel), calling `handler` with what comes back. */
function send(job: Omit<PlanJob, 'id'> | Omit<CommitJob, 'id'> | Omit<SheetJob, 'id'> | Omit<ErrorSheetJob, 'id'>, handler: Handler): { id: number; done: () => void; tell: (message: Job) => void } {
  const s = state();
  if (!s.current) s.current = startProcess();
  const rp = s.current;
  if (rp.idle) clearTimeout(rp.idle);
  rp.idle = null;
  rp.child.ref();
  rp.child.channel?.ref();
  const id = s.nextId++;
  rp.handlers.set(id, handler);
  const tell = (message: Job) => {
    // A channel that has closed (the process died) answers through 'exit' with a crash.
    if (rp.child.connected) rp.child.send(message);
  };
  tell({ ...job, id } as Job);
  const done = () => {
    rp.handlers.delete(id);
    if (rp.handlers.size > 0) return;
    // Idle: the server may exit without it, and it goes after a while.
    idleOut(rp);
  };
  return { id, done, tell };
}

/** Parses an upload and plans it against the database, in the roster process. */
export function planOffThread(input: { fileName: string; bytes: Uint8Array; viewerId: number; allowCreateUnits: boolean }): Promise<PlanAnswer> {
  return new Promise((resolve, reject) => {
    const { done } = send({ type: 'plan', ...database(), ...input }, (e) => {
      done();
      if (e.kind === 'value') resolve(e.value);
      else if (e.kind === 'error') reject(errorOf(e.error));
      else if (e.kind === 'crash') reject(e.error);
      else reject(new Error(`roster process: unexpected ${e.kind}`));
    });
  });
}

/** 下载错误清单's workbook, parsed, planned and written in the roster process. */
export function errorSheetOffThread(input: { fileName: string; bytes: Uint8Array; viewerId: number; allowCreateUnits: boolean }): Promise<ErrorSheetAnswer> {
  return new Promise((resolve, reject) => {
    const { done } = send({ type: 'errors', ...database(), ...input }, (e) => {
      done();
      if (e.kind === 'errors') resolve(e.value);
      else if (e.kind === 'error') reject(errorOf(e.error));
      else if (e.kind === 'crash') reject(e.error);
      else reject(new Error(`roster process: unexpected ${e.kind}`));
    });
  });
}

/** An .xlsx written in the roster process, where exceljs is loaded; it escapes every cell (escapeCell). */
export function sheetOffThread(sheets: SheetJob['sheets']): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const { done } = send({ type: 'sheet', sheets }, (e) => {
      done();
      if (e.kind === 'sheet') resolve(Buffer.from(e.bytes.buffer, e.bytes.byteOffset, e.bytes.byteLength));
      else if (e.kind === 'error') reject(errorOf(e.error));
      else if (e.kind === 'crash') reject(e.error);
      else reject(new Error(`roster process: unexpected ${e.kind}`));
    });
  });
}

/**
 * The commit's write transaction in the roster process (ElsewhereSpec.runElsewhere of
 * db/mutation.ts): planned again and written there, then committed; with `afterRun`, held open
 * until it has run here, and rolled back when it throws.
 */
export function commitOffThread(
  job: Omit<CommitJob, 'id' | 'type' | 'databasePath' | 'databaseUrl' | 'hold'>,
  afterRun: (() => void | Promise<void>) | null,
): Promise<CommitCounts | Failure> {
  return new Promise((resolve, reject) => {
    let hookError: unknown = null;
    let hookThrew = false;
    const { id, done, tell } = send({ type: 'commit', ...database(), hold: afterRun !== null, ...job }, (e) => {
      if (e.kind === 'written') {
        void (async () => {
          try {
            await afterRun?.();
            tell({ type: 'verdict', id, commit: true });
          } catch (err) {
            hookThrew = true;
            hookError = err;
            tell({ type: 'verdict', id, commit: false });
          }
        })();
        return;
      }
      done();
      if (e.kind === 'result') {
        if (hookThrew) reject(hookError);
        else if (e.result === null) reject(new Error('roster commit rolled back'));
        else resolve(e.result);
      } else if (e.kind === 'error') reject(errorOf(e.error));
      else if (e.kind === 'crash') reject(e.error);
      else reject(new Error(`roster process: unexpected ${e.kind}`));
    });
  });
}
