import 'server-only';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { randomBytes } from 'node:crypto';
import { ALPHABET, hashOneTimePassword, ONE_TIME_OPTIONS } from './password';

// Many one-time passwords hashed at once (a roster import of 10,000 new accounts), spread over
// every core without starving the people using the portal meanwhile.
//
// libuv's pool (what @node-rs/argon2's async hash uses) is shared by the whole server: keeping it
// busy with 10,000 hashes queues everyone's file reads behind them, and its threads compete with
// the request thread at the same priority. Instead worker threads hash batches
// with hashSync (one per core, see hashThreads), each lowered to nice 19 first: on Linux
// setpriority(0) applies to the calling thread only, so the request thread keeps its priority and
// gets the CPU whenever it wants it, and the hashing takes whatever is left (all of it on an idle
// machine). Nice 19 rather than 10: with two threads hashing beside four cadres loading /my, /my's
// p95 went from 8.1 ms (no hashing) to 25.4 ms at nice 10 and 13.4 ms at nice 19, in alternating
// windows at load 7 (docs/decisions/0005).

const NICE = 19;
const BATCH = 100;

// Plain CommonJS evaluated in the worker, so no bundler has to know about the file; the native
// module is resolved from the server's node_modules (it is a serverExternalPackage).
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const os = require('node:os');
try { os.setPriority(0, ${NICE}); } catch {}
const { hashSync } = require('@node-rs/argon2');
parentPort.on('message', (m) => {
  try {
    parentPort.postMessage({ id: m.id, hashes: m.passwords.map((p) => hashSync(p, m.options)) });
  } catch (e) {
    parentPort.postMessage({ id: m.id, error: String(e) });
  }
});
`;

/**
 * `count` one-time passwords as generatePassword makes them (12 characters drawn uniformly from
 * its alphabet), from a few large reads of the system's random source instead of one randomInt
 * per character: 10,000 took 20–125 ms of the request thread that way, about 2 ms this way.
 * Bytes from 224 up (224 = 4 × 56) are skipped, so that every character is equally likely.
 */
export function generatePasswords(count: number, length = 12): string[] {
  const limit = 256 - (256 % ALPHABET.length);
  const out: string[] = new Array(count);
  let pool = randomBytes(0);
  let at = 0;
  for (let i = 0; i < count; i++) {
    let password = '';
    while (password.length < length) {
      if (at >= pool.length) {
        pool = randomBytes(Math.max(256, (count - i) * length * 2));
        at = 0;
      }
      const b = pool[at++] as number;
      if (b < limit) password += ALPHABET[b % ALPHABET.length];
    }
    out[i] = password;
  }
  pool.fill(0);
  return out;
}

export interface HashedPassword {
  password: string;
  hash: string;
}

function startWorker(): Worker {
  const w = new Worker(WORKER_SOURCE, { eval: true });
  w.unref();
  return w;
}

/**
 * How many hashing threads: one per core. Two per core (tried before) took longer on an idle
 * 2-core machine (3.0 s against 2.6 s for 10,000 hashes: the threads evict each other's 2 MB of
 * argon2 memory from the cache) and left more of them in the way of the request thread. On a busy
 * machine they still get their share of what is left: nice 19 against the request thread's nice 0.
 */
export function hashThreads(): number {
  return Math.max(2, os.availableParallelism());
}

/**
 * Generated one-time passwords (generatePassword) with their argon2id hashes at the one-time cost
 * of docs/decisions/0006, on low-priority worker threads, one per core. Stops early (returning what
 * is done) when `signal` aborts; the caller checks the signal.
 */
export async function hashPasswordsOnWorkers(
  passwords: string[],
  onProgress?: (done: number, total: number) => void,
  signal?: AbortSignal,
): Promise<HashedPassword[]> {
  const count = passwords.length;
  if (count === 0) return [];
  const out: HashedPassword[] = new Array(count);
  const threads = Math.min(hashThreads(), Math.ceil(count / BATCH));
  let workers: Worker[];
  try {
    workers = Array.from({ length: threads }, startWorker);
  } catch {
    // No worker threads here (a restricted runtime): the pool-based hash still works.
    return hashOnPool(passwords, onProgress, signal);
  }
  let next = 0;
  let done = 0;
  const run = (w: Worker) =>
    new Promise<void>((resolve, reject) => {
      const send = () => {
        if (next >= count || signal?.aborted) return resolve();
        const start = next;
        next = Math.min(count, next + BATCH);
        w.postMessage({ id: start, passwords: passwords.slice(start, next), options: ONE_TIME_OPTIONS });
      };
      w.on('message', (m: { id: number; hashes?: string[]; error?: string }) => {
        if (!m.hashes) return reject(new Error(m.error ?? 'hash worker failed'));
        m.hashes.forEach((hash, i) => {
          out[m.id + i] = { password: passwords[m.id + i] as string, hash };
        });
        done += m.hashes.length;
        onProgress?.(done, count);
        send();
      });
      w.on('error', reject);
      send();
    });
  try {
    await Promise.all(workers.map(run));
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return out;
}

/** The same on libuv's pool (the fallback, and for a given hasher). */
export async function hashOnPool(
  passwords: string[],
  onProgress?: (done: number, total: number) => void,
  signal?: AbortSignal,
  hash: (password: string) => Promise<string> = hashOneTimePassword,
): Promise<HashedPassword[]> {
  const count = passwords.length;
  const out: HashedPassword[] = new Array(count);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < count) {
      if (signal?.aborted) return;
      const i = next++;
      const password = passwords[i] as string;
      out[i] = { password, hash: await hash(password) };
      done += 1;
      onProgress?.(done, count);
    }
  };
  await Promise.all(Array.from({ length: Math.min(hashThreads() * 2, count) }, worker));
  return out;
}
