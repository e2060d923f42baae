import 'server-only';
import { LOCAL_REQUEST, offThreadMutation } from '@/db/mutation';
import { ONE_TIME_PASSWORD_MS } from '@/db/queries/users/shared';
import { fail, isFailure, type Failure } from '@/lib/action-result';
import { assertRole } from '@/lib/auth/guard';
import { generatePasswords, hashOnPool, hashPasswordsOnWorkers } from '@/lib/auth/hash-pool';
import type { Viewer } from '@/lib/auth/viewer-type';
import type { RequestInfo } from '@/lib/request';
import { fileStamp, toXlsx } from '@/lib/roster/export';
import { commitOffThread, planOffThread } from '@/lib/roster/off-thread';
import type { RosterFormat } from '@/lib/roster/parse';
import type { PlanSummary } from '@/lib/roster/summary';
import { awaitPrehashElsewhere, takePrehash, type PreparsedUpload } from '@/lib/roster/prehash';
import { deleteUpload, loadUpload, savePasswordSheet } from '@/lib/roster/store';
import { commitSchema } from '@/lib/roster/validation';
import { formatDateTime } from '@/lib/time';
import type { CommitCounts } from './apply';
import { invalidMessage, STALE_MESSAGE } from './plan';

// 花名册 import, second step: the all-or-nothing commit of an upload the admin has previewed.
// New accounts get one-time passwords, hashed before the transaction (argon2 is slow and the
// transaction is synchronous); the only copy of the passwords is a sheet for one download. The
// transaction itself runs in the roster process's own connection (lib/roster/off-thread).

export interface CommitDto {
  counts: CommitCounts;
  /** For the one download of the password sheet; null when nobody new was added. */
  passwordToken: string | null;
  passwordCount: number;
  expiresAt: Date;
}

export type CommitResult = { ok: true; result: CommitDto } | Failure;

/**
 * Random one-time passwords and their argon2id hashes: on low-priority worker threads, one per core
 * (lib/auth/hash-pool), or with the hasher given (a benchmark measuring around the hashing).
 */
export async function hashOneTimePasswords(
  passwords: string[],
  onProgress?: (done: number, total: number) => void,
  signal?: AbortSignal,
  hash?: (password: string) => Promise<string>,
): Promise<{ password: string; hash: string }[]> {
  if (!hash) return hashPasswordsOnWorkers(passwords, onProgress, signal);
  return hashOnPool(passwords, onProgress, signal, hash);
}

async function passwordSheet(rows: { username: string; name: string; password: string }[], expiresAt: Date): Promise<Buffer> {
  const until = formatDateTime(expiresAt);
  return toXlsx({
    name: '初始密码',
    columns: [
      { header: '账号', width: 18 },
      { header: '姓名', width: 12 },
      { header: '初始密码', width: 18 },
      { header: '有效期至', width: 24 },
    ],
    rows: rows.map((r) => [r.username, r.name, r.password, until]),
  }, { offThread: true });
}

export interface PreparedCommit {
  importId: string;
  fileName: string;
  allowCreateUnits: boolean;
  format: RosterFormat;
  /** The stored upload, which the roster process parses (or finds parsed) and plans again. */
  bytes: Buffer;
  plan: PlanSummary;
  /** How many one-time passwords the commit will hash (the slow part). */
  newAccounts: number;
}

/**
 * The checks of a commit that need no hashing: the upload is this admin's and still there, it
 * parses, has no errors, and plans exactly what the admin was shown (same digest).
 */
export async function prepareRosterCommit(
  viewer: Viewer,
  input: { importId: string; digest: string },
  preparsed?: PreparsedUpload,
): Promise<{ ok: true; prepared: PreparedCommit } | Failure> {
  assertRole(viewer, 'admin');
  const upload = loadUpload(input.importId, viewer.id);
  if (!upload) return fail('not_found', '这次上传已过期或已处理，请重新上传文件');
  // Parsed and planned at the preview (lib/roster/prehash), or now in the roster process; the
  // transaction plans again anyway.
  const planned = preparsed
    ? ({ ok: true, ...preparsed } as const)
    : await planOffThread({ fileName: upload.meta.fileName, bytes: upload.bytes, viewerId: viewer.id, allowCreateUnits: upload.meta.allowCreateUnits });
  if (!planned.ok) return fail('bad_file', planned.message);
  const p = planned.plan;
  if (p.counts.errors > 0) return fail('invalid', invalidMessage(p.counts.errors));
  if (p.digest !== input.digest) return fail('stale', STALE_MESSAGE);
  return {
    ok: true,
    prepared: {
      importId: input.importId,
      fileName: upload.meta.fileName,
      allowCreateUnits: upload.meta.allowCreateUnits,
      format: planned.format,
      bytes: upload.bytes,
      plan: p,
      newAccounts: p.counts.add,
    },
  };
}


/** What a request may hook into the commit: progress while hashing, and a way to stop it. */
export interface CommitHooks {
  /** Hashing is about to start for this many new accounts (not called when there are none). */
  onHashing?: (total: number) => void | Promise<void>;
  onProgress?: (done: number, total: number) => void;
  /** Aborted (the page was closed) while hashing: nothing is written. */
  signal?: AbortSignal;
  /** The password hasher; argon2id (lib/auth/password) unless a benchmark measures around it. */
  hash?: (password: string) => Promise<string>;
}

interface Hashed {
  checked: PreparedCommit;
  secrets: { password: string; hash: string }[];
  /** The password sheet, built while the worker threads hashed; kept only if the commit succeeds. */
  sheet: Buffer | null;
  now: Date;
  expiresAt: Date;
}

/**
 * The database half of a commit, as a kernel mutation built for one request's hooks. Inside the
 * transaction the file is planned again; when that differs from the preview the admin confirmed
 * (someone changed an account, a unit or a course meanwhile), nothing is written.
 */
function commitMutation(hooks: CommitHooks) {
  return offThreadMutation({
    roles: ['admin'],
    schema: commitSchema,
    async prepare({ viewer }, input): Promise<Hashed | Failure> {
      // What the preview started (parsed file, passwords hashing meanwhile), unless a benchmark
      // brings its own hasher.
      const pre = takePrehash(viewer.id, input.importId);
      if (pre && hooks.hash) pre.discard();
      const ready = pre && !hooks.hash ? pre : null;
      const checked = await prepareRosterCommit(viewer, input, ready?.parsed);
      if (!checked.ok) {
        ready?.discard();
        return checked;
      }
      const total = checked.prepared.newAccounts;
      if (total > 0) await hooks.onHashing?.(total);
      const now = new Date();
      const expiresAt = new Date(now.getTime() + ONE_TIME_PASSWORD_MS);
      const usable = ready && ready.passwords.length === total;
      if (ready && !usable) ready.discard();
      // Previewed in another server process: its passwords, when it has hashed them all or is
      // still hashing them (then waited for, rather than hashed a second time beside it).
      const elsewhere =
        ready || hooks.hash || total === 0 ? null : await awaitPrehashElsewhere(input.importId, viewer.id, total, hooks.onProgress, hooks.signal);
      if (!ready && hooks.signal?.aborted) return fail('aborted', '导入已取消，没有写入任何数据');
      const fromElsewhere = elsewhere && elsewhere.length === total ? elsewhere : null;
      const passwords = usable
        ? ready.passwords
        : fromElsewhere
          ? fromElsewhere.map((s) => s.password)
          : generatePasswords(total);
      // The sheet needs only the passwords: this thread writes it while the workers hash them.
      const accounts = checked.prepared.plan.accounts;
      // Not hashed ahead (expired, another process, a worker failed): hashed now.
      const hashNow = () => hashOneTimePasswords(passwords, hooks.onProgress, hooks.signal, hooks.hash);
      const [secrets, sheet] = await Promise.all([
        usable
          ? ready.hashed(hooks.onProgress, hooks.signal).then((h) => h ?? hashNow())
          : fromElsewhere
            ? Promise.resolve(fromElsewhere).then((h) => {
                hooks.onProgress?.(total, total);
                return h;
              })
            : hashNow(),
        total > 0 ? passwordSheet(accounts.map(([username, name], i) => ({ username, name, password: passwords[i] as string })), expiresAt) : null,
      ]);
      if (hooks.signal?.aborted) return fail('aborted', '导入已取消，没有写入任何数据');
      return { checked: checked.prepared, secrets, sheet, now, expiresAt };
    },
    // The transaction runs in the roster process's own connection (lib/roster/off-thread): it plans
    // the stored file again and writes nothing unless that is the plan the admin confirmed.
    async runElsewhere({ viewer, request }, input, { checked, secrets, sheet, now, expiresAt }, afterRun) {
      const first = checked.plan;
      const counts = await commitOffThread(
        {
          fileName: checked.fileName,
          bytes: checked.bytes,
          write: {
            viewer: { id: viewer.id, username: viewer.username },
            request: { ip: request.ip, userAgent: request.userAgent },
            allowCreateUnits: checked.allowCreateUnits,
            digest: first.digest,
            usernames: first.accounts.map(([username]) => username),
            hashes: first.accounts.map((_, i) => (secrets[i] as { hash: string }).hash),
            nowMs: now.getTime(),
            expiresAtMs: expiresAt.getTime(),
            fileName: checked.fileName,
            courseDetails: (input.courses ?? []).map(
              (c) => [c.name, { columnName: c.columnName, publisher: c.publisher }] as [string, { columnName: string; publisher: string }],
            ),
          },
        },
        afterRun,
      );
      return isFailure(counts) ? counts : { ok: true as const, counts, issued: first.accounts.length, sheet, now, expiresAt };
    },
  });
}

/**
 * Commits a previewed upload (input as sent: {importId, digest}; the kernel parses it), then
 * removes the upload and keeps the password sheet for one download. Files are touched only after
 * the transaction has committed.
 */
export async function commitRosterImport(
  viewer: Viewer,
  input: unknown,
  request: RequestInfo = LOCAL_REQUEST,
  hooks: CommitHooks = {},
): Promise<CommitResult> {
  const { result, input: parsed } = await commitMutation(hooks).invoke(viewer, input, request);
  if (!result.ok || parsed === null) return result as Failure;
  const { counts, issued, sheet, now, expiresAt } = result;
  deleteUpload(parsed.importId);
  let passwordToken: string | null = null;
  if (issued > 0 && sheet) {
    passwordToken = savePasswordSheet(
      sheet,
      { ownerId: viewer.id, count: issued, fileName: `初始密码-${fileStamp(now)}.xlsx` },
      now.getTime(),
    );
  }
  return { ok: true, result: { counts, passwordToken, passwordCount: issued, expiresAt } };
}
