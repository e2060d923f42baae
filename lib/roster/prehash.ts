import 'server-only';
import { generatePasswords, hashPasswordsOnWorkers, type HashedPassword } from '@/lib/auth/hash-pool';
import { dropHashing, dropPrehashed, markHashing, readHashing, savePrehashed, takePrehashed } from './store';
import type { RosterFormat } from './parse';
import type { PlanSummary } from './summary';

// Between a preview and its commit: the one-time passwords of the new accounts, hashed in the
// background while the admin reads the preview, and the plan of the file (the roster process keeps it
// parsed, lib/roster/off-thread), so that 确认导入 does not
// parse and hash again (docs/decisions/0005).
//
// Held in this process's memory, one import per admin: a newer preview, 取消, the commit or
// PREHASH_TTL_MS ends it, and the worker threads stop. Once every password is hashed they are
// also written beside the upload (lib/roster/store.ts savePrehashed), because 确认导入 may reach
// another server process than the preview did (docs/decisions/0014); they go with the upload.
// Until the commit the passwords belong to no account, so an abandoned preview leaves nothing
// behind; at the commit they go, as before, into the one password sheet and nowhere else. The
// commit plans the file again inside its transaction, so nothing kept here is trusted for what
// gets written except the passwords.

/** How long the hashed passwords wait for 确认导入; later, the commit hashes afresh. */
export const PREHASH_TTL_MS = 15 * 60 * 1000;

export interface PreparsedUpload {
  format: RosterFormat;
  /** The plan the admin was shown; the commit compares its digest and plans again in the transaction. */
  plan: PlanSummary;
}

interface Pending {
  importId: string;
  parsed: PreparsedUpload;
  passwords: string[];
  hashes: Promise<HashedPassword[]>;
  done: number;
  listeners: Set<(done: number, total: number) => void>;
  abort: AbortController;
  timer: NodeJS.Timeout;
}

const key = Symbol.for('xuesi.roster.prehash');
type WithPending = typeof globalThis & { [key]?: Map<number, Pending> };
function pendingByOwner(): Map<number, Pending> {
  const g = globalThis as WithPending;
  g[key] ??= new Map();
  return g[key];
}

/** How often the hashing process rewrites its mark, and how often another process looks at it. */
const MARK_EVERY_MS = 500;
/** A mark not rewritten for this long belongs to hashing that has stopped (or starves): hash afresh. */
const STALLED_MS = 30_000;

function end(ownerId: number, p: Pending): void {
  clearTimeout(p.timer);
  p.abort.abort();
  dropPrehashed(p.importId);
  dropHashing(p.importId);
  p.listeners.clear();
  if (pendingByOwner().get(ownerId) === p) pendingByOwner().delete(ownerId);
}

/** Drops this admin's pending import (all of them, or only `importId`), stopping its hashing. */
export function discardPrehash(ownerId: number, importId?: string): void {
  const p = pendingByOwner().get(ownerId);
  if (p && (importId === undefined || p.importId === importId)) end(ownerId, p);
}

/**
 * Keeps a previewed upload for its commit and, when it adds accounts, starts hashing their
 * one-time passwords on the low-priority worker threads. Replaces the admin's earlier one.
 */
export function startPrehash(ownerId: number, importId: string, parsed: PreparsedUpload): void {
  discardPrehash(ownerId);
  // A file with errors cannot be committed: nothing to keep.
  if (parsed.plan.counts.errors > 0) return;
  const passwords = generatePasswords(parsed.plan.counts.add);
  const abort = new AbortController();
  const p: Pending = {
    importId,
    parsed,
    passwords,
    hashes: Promise.resolve([]),
    done: 0,
    listeners: new Set(),
    abort,
    timer: setTimeout(() => end(ownerId, p), PREHASH_TTL_MS),
  };
  p.timer.unref();
  // For a commit that reaches another server process before the hashing is done (lib/roster/store.ts).
  const mark = { ownerId, pid: process.pid, total: passwords.length };
  let marked = Date.now();
  if (passwords.length > 0) markHashing(importId, { ...mark, done: 0 }, marked);
  p.hashes = hashPasswordsOnWorkers(
    passwords,
    (done, total) => {
      p.done = done;
      for (const l of p.listeners) l(done, total);
      const now = Date.now();
      if (now - marked >= MARK_EVERY_MS && done < total && !abort.signal.aborted) {
        marked = now;
        markHashing(importId, { ...mark, done }, now);
      }
    },
    abort.signal,
  );
  // All hashed: also beside the upload, for a commit that reaches another server process.
  // A failure is seen by the commit that awaits it; none is left unhandled meanwhile.
  p.hashes
    .then((out) => {
      if (abort.signal.aborted || out.length !== passwords.length) return;
      for (let i = 0; i < out.length; i++) if (!out[i]) return;
      savePrehashed(importId, ownerId, out);
    })
    .catch(() => undefined)
    // Saved first, then unmarked: a process that finds no mark finds the hashes (or none coming).
    .finally(() => {
      // Not when a newer preview of the same upload has taken over (its own mark stays).
      if (!abort.signal.aborted || pendingByOwner().get(ownerId) === p) dropHashing(importId);
    });
  pendingByOwner().set(ownerId, p);
}

export interface TakenPrehash {
  parsed: PreparsedUpload;
  passwords: string[];
  /** The hashes, in the order of `passwords`; progress reported from where it stands. */
  hashed(onProgress?: (done: number, total: number) => void, signal?: AbortSignal): Promise<HashedPassword[] | null>;
  /** Stops the hashing (the commit was refused or the page went away). */
  discard(): void;
}

/** Hands the pending import over to its commit (once); null when there is none for this upload. */
export function takePrehash(ownerId: number, importId: string): TakenPrehash | null {
  const p = pendingByOwner().get(ownerId);
  if (!p || p.importId !== importId) return null;
  pendingByOwner().delete(ownerId);
  clearTimeout(p.timer);
  const total = p.passwords.length;
  return {
    parsed: p.parsed,
    passwords: p.passwords,
    async hashed(onProgress, signal) {
      const stop = () => p.abort.abort();
      signal?.addEventListener('abort', stop, { once: true });
      if (onProgress) {
        if (p.done > 0) onProgress(p.done, total);
        p.listeners.add(onProgress);
      }
      try {
        const out = await p.hashes;
        if (p.abort.signal.aborted || out.length !== total) return null;
        // Stopped early, the pool leaves holes (which .some would skip).
        for (let i = 0; i < total; i++) if (!out[i]) return null;
        return out;
      } catch {
        // A worker failed: the commit hashes afresh.
        return null;
      } finally {
        signal?.removeEventListener('abort', stop);
        p.listeners.clear();
      }
    },
    discard: () => end(ownerId, p),
  };
}

/** The plan of a stored upload previewed again (same number of new accounts): kept for its commit. */
export function refreshPrehashPlan(ownerId: number, importId: string, plan: PlanSummary): void {
  const p = pendingByOwner().get(ownerId);
  if (p && p.importId === importId) p.parsed = { ...p.parsed, plan };
}

/** Whether an admin has an import waiting, and for which upload. */
export function pendingPrehash(ownerId: number): { importId: string; count: number } | null {
  const p = pendingByOwner().get(ownerId);
  return p ? { importId: p.importId, count: p.passwords.length } : null;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The passwords another server process is hashing for this upload (its preview; 确认导入 reached
 * this process instead, as it may once the browser's connection was closed): waits for them, with
 * that process's progress, instead of hashing all of them again beside it (two processes hashing
 * the same passwords, twice the CPU and twice as long in the way of everyone's pages). Null when
 * nothing is on the way: no mark, the process is gone, its mark stalled, or the count differs; the
 * commit then hashes afresh.
 */
export async function awaitPrehashElsewhere(
  importId: string,
  ownerId: number,
  total: number,
  onProgress?: (done: number, total: number) => void,
  signal?: AbortSignal,
): Promise<HashedPassword[] | null> {
  const usable = (x: HashedPassword[] | null) => (x && x.length === total ? x : null);
  for (;;) {
    const saved = takePrehashed(importId, ownerId, PREHASH_TTL_MS);
    if (saved) return usable(saved);
    const mark = readHashing(importId);
    if (!mark || mark.ownerId !== ownerId || mark.pid === process.pid || mark.total !== total || Date.now() - mark.at > STALLED_MS || !alive(mark.pid)) {
      // Finished between the two looks, or nothing is coming.
      return usable(takePrehashed(importId, ownerId, PREHASH_TTL_MS));
    }
    onProgress?.(mark.done, total);
    if (signal?.aborted) return null;
    await new Promise((r) => setTimeout(r, MARK_EVERY_MS / 5));
  }
}
