import 'server-only';
import type { z } from 'zod';
import { detached, getDb, transactionStillOpen, type Tx } from '@/db';
import type { Role } from '@/db/schema';
import { fail, invalid, isFailure, type Failure } from '@/lib/action-result';
import type { Viewer } from '@/lib/auth/viewer-type';
import { forgetShellFacts } from '@/lib/auth/shell-facts';
import type { RequestInfo } from '@/lib/request';

// The one way a change is written (docs/decisions/0008): who → what (zod) → one synchronous
// transaction with its audit row → a typed result. A Failure returned from `run` rolls the
// transaction back: better-sqlite3 commits when its callback returns, so the kernel throws a
// private signal inside and turns it back into the value outside. Adapters for server actions
// (lib/server-action.ts) and route handlers (lib/route-mutation.ts) add revalidation and HTTP.

export interface MutationContext {
  viewer: Viewer;
  request: RequestInfo;
}

/** The request of a change made by a script or a test, where no browser asked. */
export const LOCAL_REQUEST: RequestInfo = { ip: 'local', userAgent: '' };

type Success = { ok: true };
type MaybePromise<T> = T | Promise<T>;
type Prepared<S extends z.ZodType, P> = (ctx: MutationContext, input: z.output<S>) => Promise<P | Failure>;

interface BaseSpec<S extends z.ZodType> {
  /** Who may make this change. Anyone else gets 'forbidden' and nothing is read or written. */
  roles: readonly Role[];
  /** The one change a viewer with a one-time password may make is to replace it. */
  allowPasswordChange?: boolean;
  schema: S;
  /** A unique-key violation thrown inside `run`, as the failure the person should read. */
  onUniqueViolation?: (input: z.output<S>) => Failure;
}

export interface SyncSpec<S extends z.ZodType, R extends Success> extends BaseSpec<S> {
  /** A Failure returned (or a notFound()/forbidden() thrown) rolls everything back. */
  run(tx: Tx, ctx: MutationContext, input: z.output<S>): MaybePromise<R | Failure>;
}

export interface ElsewhereSpec<S extends z.ZodType, P, R extends Success> extends BaseSpec<S> {
  prepare: Prepared<S, P>;
  /**
   * `run` in one write transaction on another connection to the same database file (a worker
   * thread with its own better-sqlite3 connection: BEGIN IMMEDIATE, the busy_timeout of
   * db/index.ts), so that a long write does not stop this thread. Resolves once committed, or
   * with the Failure `run` returned (rolled back), or rejects with what it threw (rolled back;
   * SQLite's code and Next's digest kept, so that busy, unique violations and notFound() read as
   * they do here). `afterRun`, when given, is called back here after the writes while that
   * transaction is still open; if it throws, the transaction rolls back and the promise rejects
   * with its error. It is given only while a test's after-run hook is set: otherwise nothing
   * here waits while the other connection holds the write lock (a write from this thread meanwhile
   * would wait for that lock and could not answer).
   */
  runElsewhere(ctx: MutationContext, input: z.output<S>, prepared: P, afterRun: (() => void | Promise<void>) | null): Promise<R | Failure>;
}

export interface PreparedSpec<S extends z.ZodType, P, R extends Success> extends BaseSpec<S> {
  /**
   * Slow work that must not hold the write lock (password hashing), before the transaction.
   * It may read; anything it reads is read again by `run` inside the transaction.
   */
  prepare: Prepared<S, P>;
  run(tx: Tx, ctx: MutationContext, input: z.output<S>, prepared: P): MaybePromise<R | Failure>;
}

interface MutationMeta<S extends z.ZodType> {
  readonly kind: 'mutation';
  readonly roles: readonly Role[];
  readonly allowPasswordChange: boolean;
  readonly schema: S;
}

/** What an adapter gets back: the result, and the input as zod parsed it (null when refused before). */
export interface Outcome<S extends z.ZodType, R extends Success> {
  result: R | Failure;
  input: z.output<S> | null;
}

export interface Mutation<S extends z.ZodType, R extends Success> extends MutationMeta<S> {
  (viewer: Viewer, input: z.input<S>, request?: RequestInfo): Promise<R | Failure>;
  /** The same, for adapters holding raw input (form fields, parsed JSON) that zod has yet to see. */
  invoke(viewer: Viewer, raw: unknown, request: RequestInfo): Promise<Outcome<S, R>>;
}

export interface AsyncMutation<S extends z.ZodType, R extends Success> extends MutationMeta<S> {
  (viewer: Viewer, input: z.input<S>, request?: RequestInfo): Promise<R | Failure>;
  invoke(viewer: Viewer, raw: unknown, request: RequestInfo): Promise<Outcome<S, R>>;
}

export const FORBIDDEN_MESSAGE = '没有权限做这项操作';
export const MUST_CHANGE_PASSWORD_MESSAGE = '请先修改初始密码';
export const NOT_FOUND_MESSAGE = '找不到要操作的内容，它可能已被删除';
export const CONFLICT_MESSAGE = '已有同名的记录';
export const BUSY_MESSAGE = '系统正忙，这次操作没有完成，请稍后再试';

class Rollback extends Error {
  constructor(readonly failure: Failure) {
    super('rollback');
  }
}

const PG_CONSTRAINT: Record<string, string> = {
  '23505': 'SQLITE_CONSTRAINT_UNIQUE',
  '23503': 'SQLITE_CONSTRAINT_FOREIGNKEY',
  '23514': 'SQLITE_CONSTRAINT_CHECK',
  '23502': 'SQLITE_CONSTRAINT_NOTNULL',
};

/** The SQLite constraint an error reports (SQLITE_CONSTRAINT_UNIQUE, …), looking through causes. */
export function constraintCode(e: unknown): string | null {
  let cur: unknown = e;
  for (let depth = 0; cur && depth < 5; depth += 1) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT')) return code;
    // PostgreSQL's class 23, under SQLite's names.
    if (typeof code === 'string' && PG_CONSTRAINT[code]) return PG_CONSTRAINT[code];
    cur = (cur as { cause?: unknown }).cause;
  }
  return null;
}

/**
 * True when SQLite gave up waiting for another process's write lock (busy_timeout, db/index.ts):
 * nothing was written, and the person is told to try again rather than shown a server error.
 */
export function isBusyError(e: unknown): boolean {
  let cur: unknown = e;
  for (let depth = 0; cur && depth < 5; depth += 1) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))) return true;
    // PostgreSQL: lock_timeout (55P03), a deadlock (40P01) or a serialization failure (40001).
    if (code === '55P03' || code === '40P01' || code === '40001') return true;
    cur = (cur as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Every write transaction begins IMMEDIATE: it takes the write lock before its first read, waiting
 * up to busy_timeout for another process to finish. A DEFERRED one (better-sqlite3's default)
 * that read and then wrote after another process committed would fail at once with SQLITE_BUSY,
 * which no timeout retries (docs/decisions/0014).
 */
export const WRITE: { behavior: 'immediate' } = { behavior: 'immediate' };

/** forbidden() / notFound() thrown by a scoped read, as the status Next gave it; null otherwise. */
export function httpFallbackStatus(e: unknown): number | null {
  const digest = (e as { digest?: unknown } | null)?.digest;
  if (typeof digest !== 'string' || !digest.startsWith('NEXT_HTTP_ERROR_FALLBACK;')) return null;
  return Number(digest.split(';')[1]) || null;
}

// A test can force a failure after `run` has written, to prove that the whole change rolls back.
type FaultHook = (name: string) => void | Promise<void>;
let faultAfterRun: FaultHook | null = null;

/** Tests only: called inside every transaction after `run` succeeds; a throw there rolls it back. */
export function setFaultAfterRunForTests(fault: FaultHook | null): void {
  faultAfterRun = fault;
}

function refusal(viewer: Viewer, roles: readonly Role[], allowPasswordChange: boolean): Failure | null {
  if (viewer.mustChangePassword && !allowPasswordChange) return fail('must_change_password', MUST_CHANGE_PASSWORD_MESSAGE);
  if (!roles.includes(viewer.role)) return fail('forbidden', FORBIDDEN_MESSAGE);
  return null;
}

/** What an error thrown by a change means to the person (busy, not found, …); null for a bug, thrown on. */
function failureOf<S extends z.ZodType>(spec: BaseSpec<S>, e: unknown, input: z.output<S>): Failure | null {
  if (e instanceof Rollback) return e.failure;
  if (isBusyError(e)) return fail('busy', BUSY_MESSAGE);
  const status = httpFallbackStatus(e);
  if (status === 404) return fail('not_found', NOT_FOUND_MESSAGE);
  if (status === 403) return fail('forbidden', FORBIDDEN_MESSAGE);
  if (constraintCode(e) === 'SQLITE_CONSTRAINT_UNIQUE') {
    return spec.onUniqueViolation?.(input) ?? fail('conflict', CONFLICT_MESSAGE);
  }
  return null;
}

/** The body of one change with the kernel's rollback rule, inside whatever transaction or savepoint `tx` is. */
async function checked<R extends Success>(tx: Tx, body: (tx: Tx) => MaybePromise<R | Failure>): Promise<R> {
  const result = await body(tx);
  if (isFailure(result)) throw new Rollback(result);
  await faultAfterRun?.('run');
  return result;
}

async function commit<S extends z.ZodType, R extends Success>(
  spec: BaseSpec<S>,
  body: (tx: Tx) => MaybePromise<R | Failure>,
  input: z.output<S>,
): Promise<R | Failure> {
  try {
    return await getDb().transaction(async (tx) => await checked(tx, body));
  } catch (e) {
    const failure = failureOf(spec, e, input);
    if (failure) return failure;
    throw e;
  }
}

/** The same rule for a transaction on another connection (ElsewhereSpec.runElsewhere). */
async function commitElsewhere<S extends z.ZodType, R extends Success>(
  spec: BaseSpec<S>,
  run: (afterRun: (() => void | Promise<void>) | null) => Promise<R | Failure>,
  input: z.output<S>,
): Promise<R | Failure> {
  const hook = faultAfterRun;
  try {
    return await run(hook ? () => hook('run') : null);
  } catch (e) {
    const failure = failureOf(spec, e, input);
    if (failure) return failure;
    throw e;
  }
}

// Group commit (issue 15). Changes that adapters ask for within GROUP_WINDOW_MS of each other (a
// deadline brings a hundred submits and autosaves at once) are written in one transaction, each in
// its own savepoint: the disk is waited for once per group instead of once per change (several
// milliseconds each on a busy disk, during which the process answers nothing else). A change that
// fails is rolled back to its savepoint alone and the others go on, exactly as if each had its
// own transaction (they run one after the other, synchronously, in arrival order; nothing else
// runs in between). Every change is answered only after the COMMIT holding it has returned
// (synchronous = FULL: it is on disk); when the BEGIN or the COMMIT fails, none of the group is
// acknowledged. Scripts and tests calling a mutation directly still get one transaction each.
interface Job {
  spec: BaseSpec<z.ZodType>;
  body: (tx: Tx) => MaybePromise<Success | Failure>;
  input: unknown;
  resolve: (r: Success | Failure) => void;
  reject: (e: unknown) => void;
}
let group: Job[] | null = null;
/** How long the first change of a group waits for others: less than one wait for the disk. */
const GROUP_WINDOW_MS = 1;

function commitInGroup<S extends z.ZodType, R extends Success>(
  spec: BaseSpec<S>,
  body: (tx: Tx) => MaybePromise<R | Failure>,
  input: z.output<S>,
): Promise<R | Failure> {
  return new Promise<R | Failure>((resolve, reject) => {
    if (!group) {
      group = [];
      detached(() => setTimeout(() => void flushGroup(), GROUP_WINDOW_MS));
    }
    group.push({ spec: spec as BaseSpec<z.ZodType>, body, input, resolve: resolve as Job['resolve'], reject });
  });
}

async function flushGroup(): Promise<void> {
  const jobs = group ?? [];
  group = null;
  const [only] = jobs;
  if (jobs.length === 1 && only) {
    try {
      only.resolve(await commit(only.spec, only.body, only.input));
    } catch (e) {
      only.reject(e);
    }
    return;
  }
  const answers: (() => void)[] = [];
  try {
    await getDb().transaction(async (outer) => {
      for (const job of jobs) {
        try {
          const result = await outer.transaction(async (tx) => await checked(tx, job.body));
          answers.push(() => job.resolve(result));
        } catch (e) {
          // An error that ended the whole transaction (SQLite rolls back on some I/O errors) took
          // the earlier changes with it: the group fails as one, and no one is acknowledged.
          if (!transactionStillOpen()) throw e;
          const failure = failureOf(job.spec, e, job.input);
          answers.push(failure ? () => job.resolve(failure) : () => job.reject(e));
        }
      }
    });
  } catch (e) {
    const busy = isBusyError(e) ? fail('busy', BUSY_MESSAGE) : null;
    for (const job of jobs) {
      if (busy) job.resolve(busy);
      else job.reject(e);
    }
    return;
  }
  for (const answer of answers) answer();
}

/**
 * One synchronous transaction with the kernel's rollback rule, for a change that has no viewer
 * to check (sign-in, the first admin, scripts): a Failure returned from `body` rolls it back.
 */
export async function transaction<R>(body: (tx: Tx) => MaybePromise<R | Failure>): Promise<R | Failure> {
  try {
    return await getDb().transaction(async (tx) => {
      const result = await body(tx);
      if (isFailure(result)) throw new Rollback(result);
      await faultAfterRun?.('transaction');
      return result;
    });
  } catch (e) {
    if (e instanceof Rollback) return e.failure;
    if (isBusyError(e)) return fail('busy', BUSY_MESSAGE);
    throw e;
  }
}

function meta<S extends z.ZodType>(spec: BaseSpec<S>): MutationMeta<S> {
  return { kind: 'mutation', roles: spec.roles, allowPasswordChange: spec.allowPasswordChange ?? false, schema: spec.schema };
}

/** A change that runs in one synchronous transaction. */
export function mutation<S extends z.ZodType, R extends Success>(spec: SyncSpec<S, R>): Mutation<S, R> {
  const { roles, schema } = spec;
  const allow = spec.allowPasswordChange ?? false;
  const check = (viewer: Viewer, raw: unknown): { refused: Failure } | { input: z.output<S> } => {
    const refused = refusal(viewer, roles, allow);
    if (refused) return { refused };
    const parsed = schema.safeParse(raw);
    if (!parsed.success) return { refused: invalid(parsed.error) };
    return { input: parsed.data };
  };
  const call = async (viewer: Viewer, raw: unknown, request: RequestInfo = LOCAL_REQUEST) => {
    forgetShellFacts(viewer);
    const c = check(viewer, raw);
    if ('refused' in c) return c.refused;
    const ctx: MutationContext = { viewer, request };
    return commit(spec, (tx) => spec.run(tx, ctx, c.input), c.input);
  };
  // Adapters (server actions, route handlers): the change joins this turn's group commit.
  const invoke = async (viewer: Viewer, raw: unknown, request: RequestInfo): Promise<Outcome<S, R>> => {
    forgetShellFacts(viewer);
    const c = check(viewer, raw);
    if ('refused' in c) return { result: c.refused, input: null };
    const ctx: MutationContext = { viewer, request };
    return { result: await commitInGroup(spec, (tx) => spec.run(tx, ctx, c.input), c.input), input: c.input };
  };
  return Object.assign(call, meta(spec), { invoke }) as Mutation<S, R>;
}

/** A change with slow work before its transaction (see PreparedSpec.prepare). */
export function preparedMutation<S extends z.ZodType, P, R extends Success>(spec: PreparedSpec<S, P, R>): AsyncMutation<S, R> {
  return withPreparation(spec, (ctx, input, ready) => commit(spec, (tx) => spec.run(tx, ctx, input, ready), input));
}

/**
 * A change with slow work before its transaction, whose transaction runs on another connection
 * (ElsewhereSpec): the same checks here first, the same rollback rule and fault hook.
 */
export function offThreadMutation<S extends z.ZodType, P, R extends Success>(spec: ElsewhereSpec<S, P, R>): AsyncMutation<S, R> {
  return withPreparation(spec, (ctx, input, ready) => commitElsewhere(spec, (afterRun) => spec.runElsewhere(ctx, input, ready, afterRun), input));
}

function withPreparation<S extends z.ZodType, P, R extends Success>(
  spec: BaseSpec<S> & { prepare: Prepared<S, P> },
  write: (ctx: MutationContext, input: z.output<S>, prepared: P) => Promise<R | Failure>,
): AsyncMutation<S, R> {
  const { roles, schema } = spec;
  const allow = spec.allowPasswordChange ?? false;
  const execute = async (viewer: Viewer, raw: unknown, request: RequestInfo): Promise<Outcome<S, R>> => {
    forgetShellFacts(viewer);
    const refused = refusal(viewer, roles, allow);
    if (refused) return { result: refused, input: null };
    const parsed = schema.safeParse(raw);
    if (!parsed.success) return { result: invalid(parsed.error), input: null };
    const input = parsed.data;
    const ctx: MutationContext = { viewer, request };
    let prepared: P | Failure;
    try {
      prepared = await spec.prepare(ctx, input);
    } catch (e) {
      const status = httpFallbackStatus(e);
      if (status === 404) return { result: fail('not_found', NOT_FOUND_MESSAGE), input };
      if (status === 403) return { result: fail('forbidden', FORBIDDEN_MESSAGE), input };
      throw e;
    }
    // A prepare that forgot the code still answers as a refusal (400), never as a 200 by accident.
    if (isFailure(prepared)) return { result: prepared.code ? prepared : fail('invalid', prepared.message), input };
    return { result: await write(ctx, input, prepared), input };
  };
  const call = async (viewer: Viewer, raw: unknown, request: RequestInfo = LOCAL_REQUEST) => (await execute(viewer, raw, request)).result;
  return Object.assign(call, meta(spec), { invoke: execute }) as AsyncMutation<S, R>;
}
