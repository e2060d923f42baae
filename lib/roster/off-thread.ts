import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { databasePath, MIGRATED_ENV } from '@/db';
import type { Answer, CommitJob, ErrorSheetAnswer, ErrorSheetJob, PlanAnswer, PlanJob, SheetJob } from '@/db/queries/roster/worker';
import type { CommitCounts } from '@/db/queries/roster/apply';
import type { Failure } from '@/lib/action-result';
import { ROSTER_BUNDLE } from './bundle-path';

// The request thread's side of the roster worker thread (db/queries/roster/worker.ts): one
// thread per server process, started when an admin opens the 花名册 page (or at the first import)
// and stopped after 15 minutes without one. It parses and plans uploads, writes the password sheet
// and 下载错误清单, and runs the commit's write transaction on its own database connection, so that
// the request thread, which serves everyone's pages, is never held by them for more than the
// messages (docs/decisions/0005).
//
// The thread runs the bundle the production build made of it (scripts/roster-bundle.ts) or, without
// one, the TypeScript sources through tsx (a dependency: `npm start` runs on it), from the project
// directory like the migrations, so that Next's bundler does not have to know about it;
// `server-only` resolves to its empty module there, as under React's server build.

const ENTRY = path.join(/*turbopackIgnore: true*/ process.cwd(), 'db', 'queries', 'roster', 'worker.ts');
// As long as a preview waits for its 确认导入 (PREHASH_TTL_MS), so that the commit finds the file parsed.
const IDLE_MS = 15 * 60 * 1000;

// The thread lowers itself (nice 10, as db/queries/roster/worker.ts keeps it for its jobs) before
// loading anything: starting it (exceljs, drizzle, the schema; through tsx, without the bundle) takes
// 0.6–1.5 s of CPU, as much as parsing a 10,000-row roster, and at nice 0 that start competed with
// the request thread in the first import of every server process.
const SOURCE = `
try { require('node:os').setPriority(0, 10); } catch {}
const { workerData } = require('node:worker_threads');
if (workerData.bundle) {
  require(workerData.bundle);
} else {
  const Module = require('node:module');
  const path = require('node:path');
  const empty = path.join(path.dirname(require.resolve('server-only')), 'empty.js');
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function (request, ...rest) {
    return resolve.call(this, request === 'server-only' ? empty : request, ...rest);
  };
  require('tsx/cjs/api').register();
  require(workerData.entry);
}
`;

/**
 * The production build's bundle of the thread (scripts/roster-bundle.ts), made with the build from
 * the same sources; null elsewhere (development, tests), where the thread loads the sources through
 * tsx. The bundle loads in about 0.6 s of CPU where tsx took about 1.5 s.
 */
function bundle(): string | null {
  // A bundle made elsewhere (scripts/roster-bundle.test.ts runs the thread from one it made).
  if (process.env.XUESI_ROSTER_BUNDLE) return process.env.XUESI_ROSTER_BUNDLE;
  if (process.env.NODE_ENV !== 'production') return null;
  const file = path.join(/*turbopackIgnore: true*/ process.cwd(), ROSTER_BUNDLE);
  return fs.existsSync(file) ? file : null;
}

type Event = Answer | { id: number; kind: 'crash'; error: Error };
type Handler = (e: Event) => void;

interface Thread {
  worker: Worker;
  handlers: Map<number, Handler>;
  idle: NodeJS.Timeout | null;
}

const key = Symbol.for('xuesi.roster.thread');
type WithThread = typeof globalThis & { [key]?: { thread: Thread | null; nextId: number } };
function state(): { thread: Thread | null; nextId: number } {
  const g = globalThis as WithThread;
  g[key] ??= { thread: null, nextId: 1 };
  return g[key];
}

/**
 * Where the request thread's database is, sent with every job that reads or writes it: the thread
 * copied the environment when it started, and tests (and a restarted database) change it since.
 * The SQLite file, or on PostgreSQL its address (DATABASE_URL): the thread then opens a pool of its
 * own on the same database.
 */
function database(): { databasePath: string; databaseUrl: string | null } {
  return { databasePath: databasePath(), databaseUrl: process.env.DATABASE_URL ?? null };
}

function errorOf(plain: { message: string; code?: string; digest?: string }): Error {
  // SQLite's code and Next's digest, so that the kernel reads busy, unique and notFound() as here.
  return Object.assign(new Error(plain.message), plain.code ? { code: plain.code } : {}, plain.digest ? { digest: plain.digest } : {});
}

function startThread(): Thread {
  const worker = new Worker(SOURCE, {
    eval: true,
    // Not the server's own flags (--conditions=react-server would keep next/navigation from loading).
    execArgv: [],
    workerData: { entry: ENTRY, bundle: bundle(), roster: true },
    env: { ...process.env, [MIGRATED_ENV]: '1' },
  });
  const thread: Thread = { worker, handlers: new Map(), idle: null };
  worker.on('message', (a: Answer) => thread.handlers.get(a.id)?.(a));
  const crash = (error: Error) => {
    const s = state();
    if (s.thread === thread) s.thread = null;
    for (const [id, h] of thread.handlers) h({ id, kind: 'crash', error });
    thread.handlers.clear();
  };
  worker.on('error', crash);
  worker.on('exit', (code) => crash(new Error(`roster worker thread exited (${code})`)));
  return thread;
}

/** Lets an idle thread go after IDLE_MS; the server may exit without it meanwhile. */
function idleOut(thread: Thread): void {
  thread.worker.unref();
  if (thread.idle) clearTimeout(thread.idle);
  thread.idle = setTimeout(() => {
    if (state().thread === thread) state().thread = null;
    void thread.worker.terminate();
  }, IDLE_MS);
  thread.idle.unref();
}

/**
 * Starts the thread, when this process has none, as the admin opens the 花名册 page: the start
 * (0.6–1.5 s of CPU at nice 10) then happens while the admin picks the file, not after the upload.
 * Nothing is read or written; a thread nobody uses goes after IDLE_MS as always.
 */
export function warmRosterThread(): void {
  const s = state();
  if (s.thread) return;
  try {
    s.thread = startThread();
  } catch {
    // No worker threads here: the first job starts one (and fails the same way, with a message).
    return;
  }
  idleOut(s.thread);
}

/** Whether this process has the thread now, and its id (tests: the same thread serves the next job). */
export function rosterThreadId(): number | null {
  return state().thread?.worker.threadId ?? null;
}

/** Sends a job (its bytes copied and handed over), calling `handler` with what comes back. */
function send(job: Omit<PlanJob, 'id'> | Omit<CommitJob, 'id'> | Omit<SheetJob, 'id'> | Omit<ErrorSheetJob, 'id'>, handler: Handler): { id: number; done: () => void } {
  const s = state();
  if (!s.thread) s.thread = startThread();
  const thread = s.thread;
  if (thread.idle) clearTimeout(thread.idle);
  thread.idle = null;
  thread.worker.ref();
  const id = s.nextId++;
  thread.handlers.set(id, handler);
  if ('bytes' in job) {
    // A copy of its own, handed over (a Buffer may be a view of a larger pool).
    const bytes = new Uint8Array(job.bytes);
    thread.worker.postMessage({ ...job, id, bytes }, [bytes.buffer]);
  } else {
    thread.worker.postMessage({ ...job, id });
  }
  const done = () => {
    thread.handlers.delete(id);
    if (thread.handlers.size > 0) return;
    // Idle: the server may exit without it, and it goes after a while.
    idleOut(thread);
  };
  return { id, done };
}

/** Parses an upload and plans it against the database, on the roster thread. */
export function planOffThread(input: { fileName: string; bytes: Uint8Array; viewerId: number; allowCreateUnits: boolean }): Promise<PlanAnswer> {
  return new Promise((resolve, reject) => {
    const { done } = send({ type: 'plan', ...database(), ...input }, (e) => {
      done();
      if (e.kind === 'value') resolve(e.value);
      else if (e.kind === 'error') reject(errorOf(e.error));
      else if (e.kind === 'crash') reject(e.error);
      else reject(new Error(`roster worker thread: unexpected ${e.kind}`));
    });
  });
}

/** 下载错误清单's workbook, parsed, planned and written on the roster thread. */
export function errorSheetOffThread(input: { fileName: string; bytes: Uint8Array; viewerId: number; allowCreateUnits: boolean }): Promise<ErrorSheetAnswer> {
  return new Promise((resolve, reject) => {
    const { done } = send({ type: 'errors', ...database(), ...input }, (e) => {
      done();
      if (e.kind === 'errors') resolve(e.value);
      else if (e.kind === 'error') reject(errorOf(e.error));
      else if (e.kind === 'crash') reject(e.error);
      else reject(new Error(`roster worker thread: unexpected ${e.kind}`));
    });
  });
}

/** An .xlsx written on the roster thread, where exceljs is loaded; it escapes every cell (escapeCell). */
export function sheetOffThread(sheets: SheetJob['sheets']): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const { done } = send({ type: 'sheet', sheets }, (e) => {
      done();
      if (e.kind === 'sheet') resolve(Buffer.from(e.bytes.buffer, e.bytes.byteOffset, e.bytes.byteLength));
      else if (e.kind === 'error') reject(errorOf(e.error));
      else if (e.kind === 'crash') reject(e.error);
      else reject(new Error(`roster worker thread: unexpected ${e.kind}`));
    });
  });
}

/**
 * The commit's write transaction on the roster thread (ElsewhereSpec.runElsewhere of
 * db/mutation.ts): planned again and written there, then committed; with `afterRun`, held open
 * until it has run here, and rolled back when it throws.
 */
export function commitOffThread(
  job: Omit<CommitJob, 'id' | 'type' | 'databasePath' | 'databaseUrl' | 'verdict' | 'hold'>,
  afterRun: (() => void | Promise<void>) | null,
): Promise<CommitCounts | Failure> {
  const verdict = new SharedArrayBuffer(4);
  const word = new Int32Array(verdict);
  const answer = (v: number) => {
    Atomics.store(word, 0, v);
    Atomics.notify(word, 0);
  };
  return new Promise((resolve, reject) => {
    let hookError: unknown = null;
    let hookThrew = false;
    const { done } = send({ type: 'commit', ...database(), verdict, hold: afterRun !== null, ...job }, (e) => {
      if (e.kind === 'written') {
        void (async () => {
          try {
            await afterRun?.();
            answer(1); // VERDICT.commit of db/queries/roster/worker.ts
          } catch (err) {
            hookThrew = true;
            hookError = err;
            answer(2); // VERDICT.rollback
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
      else reject(new Error(`roster worker thread: unexpected ${e.kind}`));
    });
  });
}
