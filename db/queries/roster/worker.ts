import 'server-only';
import { createHash } from 'node:crypto';
import os from 'node:os';
import { getDb } from '@/db';
import { WRITE } from '@/db/mutation';
import { isFailure, type Failure } from '@/lib/action-result';
import { escapeCell } from '@/lib/export/escape';
import { parseRosterFile, type ParseResult, type RosterFormat } from '@/lib/roster/parse';
import { summarize, type PlanSummary } from '@/lib/roster/summary';
import { writeXlsxStreamed, type SheetSpec } from '@/lib/roster/xlsx';
import { applyWrite, planWrite, type CommitCounts, type RosterWrite } from './apply';
import { errorSheetOf } from './error-sheet';
import { planAgainst } from './plan';

// The body of the roster process (lib/roster/off-thread.ts starts it, at low priority, and talks to
// it over Node's IPC channel). The long synchronous parts of an import run here instead of in the
// server process: parsing the upload (exceljs or the CSV reader), planning it, writing its sheets,
// and the commit's one write transaction, on this process's own better-sqlite3 connection to the
// same WAL file (db/index.ts: synchronous FULL, busy_timeout, foreign keys; never migrating, the
// server has done that). The server keeps serving pages meanwhile: WAL lets its reads go on beside
// this writer. On PostgreSQL the process opens a pool of its own on the server's database
// (DATABASE_URL, sent with each job), and its transaction takes the same advisory write lock as
// every other (db/postgres.ts).
//
// The commit keeps the kernel's rule (db/mutation.ts offThreadMutation): one transaction, BEGIN
// IMMEDIATE, planned again and written, committed here unless anything fails. While a test's
// after-run hook is set (only then: `hold`), the transaction stays open after the writes until the
// server has run the hook and answered commit or roll back (a `verdict` message). Nothing else runs
// on this connection meanwhile, and a failure anywhere rolls everything back.

/** A server that never answers does not hold the lock for ever. */
const VERDICT_TIMEOUT_MS = 60_000;

export interface PlanJob {
  type: 'plan';
  id: number;
  databasePath: string;
  /** DATABASE_URL of the request thread (PostgreSQL), or null. */
  databaseUrl: string | null;
  fileName: string;
  bytes: Uint8Array;
  viewerId: number;
  allowCreateUnits: boolean;
}

export type PlanAnswer =
  | {
      ok: true;
      format: RosterFormat;
      encoding: string | null;
      columns: RosterWrite['table']['columns'];
      unknownColumns: string[];
      plan: PlanSummary;
    }
  | { ok: false; message: string };

export interface CommitJob {
  type: 'commit';
  id: number;
  databasePath: string;
  /** DATABASE_URL of the request thread (PostgreSQL), or null. */
  databaseUrl: string | null;
  fileName: string;
  bytes: Uint8Array;
  /** Keep the transaction open after the writes for the server's verdict. */
  hold: boolean;
  write: Omit<RosterWrite, 'table' | 'format'>;
}

/** An .xlsx written here, every cell escaped here (escapeCell): the password sheet. */
export interface SheetJob {
  type: 'sheet';
  id: number;
  sheets: SheetSpec[];
}

/** 下载错误清单: the upload planned, as an .xlsx with each row's problems beside it. */
export interface ErrorSheetJob extends Omit<PlanJob, 'type'> {
  type: 'errors';
}

export type ErrorSheetAnswer = { ok: true; bytes: Uint8Array; errorRows: number } | { ok: false; message: string };

/** The server's answer to a held commit's `written`: commit it, or roll it back. */
export interface Verdict {
  type: 'verdict';
  id: number;
  commit: boolean;
}

export type Job = PlanJob | CommitJob | SheetJob | ErrorSheetJob | Verdict;

/**
 * What the process answers: a plan; `written` (held commits only: waiting for the verdict); the
 * commit's end (its counts once committed, the Failure `run` returned, or null when rolled back as
 * the verdict said); or an error as plain data (rolled back).
 */
export type Answer =
  | { id: number; kind: 'value'; value: PlanAnswer }
  | { id: number; kind: 'sheet'; bytes: Uint8Array }
  | { id: number; kind: 'errors'; value: ErrorSheetAnswer }
  | { id: number; kind: 'written' }
  | { id: number; kind: 'result'; result: CommitCounts | Failure | null }
  | { id: number; kind: 'error'; error: { message: string; code?: string; digest?: string } };

// The last uploads parsed, by their content: a preview's parse serves its commit. The same bytes
// under the same name always parse to the same table.
const parsedCache = new Map<string, Extract<ParseResult, { ok: true }>>();
const CACHE_MAX = 4;

async function parse(fileName: string, bytes: Uint8Array): Promise<ParseResult> {
  const key = createHash('sha256').update(fileName).update('\0').update(bytes).digest('hex');
  const hit = parsedCache.get(key);
  if (hit) return hit;
  const parsed = await parseRosterFile(fileName, bytes);
  if (parsed.ok) {
    parsedCache.set(key, parsed);
    while (parsedCache.size > CACHE_MAX) parsedCache.delete(parsedCache.keys().next().value as string);
  }
  return parsed;
}

function openDatabase(job: { databasePath: string; databaseUrl: string | null }): void {
  // db/index.ts opens DATABASE_PATH, or on PostgreSQL DATABASE_URL (again when it changed), on
  // this process's own connection or pool.
  process.env.DATABASE_PATH = job.databasePath;
  if (job.databaseUrl === null) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = job.databaseUrl;
}

async function plan(job: PlanJob): Promise<PlanAnswer> {
  const parsed = await parse(job.fileName, job.bytes);
  if (!parsed.ok) return parsed;
  openDatabase(job);
  const p = await planAgainst(getDb(), { id: job.viewerId }, parsed.table, job.allowCreateUnits);
  return {
    ok: true,
    format: parsed.format,
    encoding: parsed.encoding,
    columns: parsed.table.columns,
    unknownColumns: parsed.table.unknownColumns,
    plan: summarize(p),
  };
}

async function errorSheet(job: ErrorSheetJob): Promise<ErrorSheetAnswer> {
  const parsed = await parse(job.fileName, job.bytes);
  if (!parsed.ok) return parsed;
  openDatabase(job);
  const p = await planAgainst(getDb(), { id: job.viewerId }, parsed.table, job.allowCreateUnits);
  const { bytes, errorRows } = await errorSheetOf(parsed.table, p);
  return { ok: true, bytes: new Uint8Array(bytes), errorRows };
}

class Rollback extends Error {}

/**
 * This process's main thread's priority. The process starts at nice NICE with all its threads
 * (lib/roster/off-thread.ts), so that the server's request threads, at nice 0, get a core whenever
 * they want one while an import is under way. The commit's writes, which hold the database's write
 * lock that a sign-in or an autosave may be waiting for, go back to nice 0 where the system allows
 * it (root or CAP_SYS_NICE; an unprivileged process cannot lower its nice again, and then the
 * writes run at NICE too); on Linux setpriority(0) applies to the calling thread only.
 */
const NICE = 10;
function setNice(nice: number): void {
  try {
    os.setPriority(0, nice);
  } catch {
    // Not permitted here (or not this platform): the thread keeps the priority it has.
  }
}

// Held commits waiting for the server's verdict, by job id.
const verdicts = new Map<number, (commit: boolean) => void>();

/** The server's verdict on a held commit; an error when none comes within VERDICT_TIMEOUT_MS. */
function verdictOf(id: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      verdicts.delete(id);
      reject(new Error('roster commit: no verdict from the server'));
    }, VERDICT_TIMEOUT_MS);
    verdicts.set(id, (commit) => {
      clearTimeout(timer);
      verdicts.delete(id);
      resolve(commit);
    });
  });
}

async function commit(job: CommitJob, post: (a: Answer) => void): Promise<void> {
  const parsed = await parse(job.fileName, job.bytes);
  if (!parsed.ok) {
    // The preview parsed these bytes: only a changed parser could get here.
    post({ id: job.id, kind: 'result', result: { ok: false, code: 'bad_file', message: parsed.message } });
    return;
  }
  openDatabase(job);
  const write: RosterWrite = { ...job.write, table: parsed.table, format: parsed.format };
  let failure = null as Failure | null;
  let counts = null as CommitCounts | null;
  // One transaction, as every write (db/index.ts): BEGIN IMMEDIATE waits for the write lock without
  // stopping this process, as long as busy_timeout, and a busy error after that is the kernel's 忙
  // answer; on PostgreSQL the same advisory write lock as every other (db/postgres.ts). The plan
  // runs inside the lock, so it is a plan of the database as it is, and nothing is written unless
  // it is the plan the admin confirmed. From the lock on, this thread runs at nice 0 (setNice):
  // others' writes wait for it.
  try {
    await getDb().transaction(async (tx) => {
      setNice(0);
      const planned = await planWrite(tx, write);
      if (isFailure(planned)) {
        failure = planned;
        throw new Rollback('failure');
      }
      const result = await applyWrite(tx, planned, write);
      if (job.hold) {
        const verdict = verdictOf(job.id);
        post({ id: job.id, kind: 'written' });
        if (!(await verdict)) throw new Rollback('rollback');
      }
      counts = result;
    }, WRITE);
  } catch (e) {
    if (!(e instanceof Rollback)) throw e;
  }
  post({ id: job.id, kind: 'result', result: failure ?? counts });
}

function plainError(e: unknown): { message: string; code?: string; digest?: string } {
  const err = e as { message?: unknown; code?: unknown; digest?: unknown; cause?: { code?: unknown } };
  const code = typeof err?.code === 'string' ? err.code : typeof err?.cause?.code === 'string' ? err.cause.code : undefined;
  return {
    message: typeof err?.message === 'string' ? err.message : String(e),
    ...(code ? { code } : {}),
    ...(typeof err?.digest === 'string' ? { digest: err.digest } : {}),
  };
}

// Only in the process lib/roster/off-thread.ts starts (never elsewhere that imports this).
if (process.env.XUESI_ROSTER_CHILD && typeof process.send === 'function') {
  const send = process.send.bind(process);
  const post = (a: Answer) => void send(a);
  // The server has gone (exited, or killed without a word): so does this process.
  process.on('disconnect', () => process.exit(0));
  // One job at a time, in the order they came: a commit's transaction is never shared. A verdict
  // goes straight to the commit waiting for it.
  let queue = Promise.resolve();
  process.on('message', (job: Job) => {
    if (job.type === 'verdict') {
      verdicts.get(job.id)?.(job.commit);
      return;
    }
    queue = queue.then(async () => {
      try {
        setNice(NICE);
        if (job.type === 'plan') post({ id: job.id, kind: 'value', value: await plan(job) });
        else if (job.type === 'sheet') {
          const sheets = job.sheets.map((sheet) => ({ ...sheet, rows: sheet.rows.map((r) => r.map(escapeCell)) }));
          post({ id: job.id, kind: 'sheet', bytes: new Uint8Array(await writeXlsxStreamed(sheets)) });
        } else if (job.type === 'errors') post({ id: job.id, kind: 'errors', value: await errorSheet(job) });
        else await commit(job, post);
      } catch (e) {
        post({ id: job.id, kind: 'error', error: plainError(e) });
      }
    });
  });
}
