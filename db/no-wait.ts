import { AsyncLocalStorage } from 'node:async_hooks';

// Writes that are worth doing only if they cost nobody a wait: a sign-in's last-seen time, which
// the next request writes as well (lib/auth/idle.ts). Inside writeIfFree, a write that finds the
// database's write lock taken by another connection (another server process, the roster process's
// import, another app server on PostgreSQL) fails at once as busy (isBusyError of db/mutation.ts)
// instead of waiting up to BUSY_TIMEOUT_MS; nothing is written. db/index.ts (SQLite) and
// db/postgres.ts (the advisory write lock) read the flag.

const key = Symbol.for('xuesi.db.noWait');
type WithFlag = typeof globalThis & { [key]?: AsyncLocalStorage<true> };
const g = globalThis as WithFlag;
// On globalThis: Next bundles this module once per server layer, and dev reloads it.
const store = (g[key] ??= new AsyncLocalStorage<true>());

/** Runs `fn` with its writes refused at once, as busy, whenever the write lock is taken. */
export function writeIfFree<T>(fn: () => Promise<T>): Promise<T> {
  return store.run(true, fn);
}

/** True inside writeIfFree. */
export function noWaitForWriteLock(): boolean {
  return store.getStore() === true;
}
