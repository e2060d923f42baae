// How many server processes `npm start` runs (scripts/serve.ts): WEB_CONCURRENCY when set, else
// one per core. 1 is a single process, as before there were several.
import os from 'node:os';

export const MAX_WEB_CONCURRENCY = 64;

/** WEB_CONCURRENCY as a count of processes; unset or empty is one per core. Throws on anything else. */
export function webConcurrency(value: string | undefined = process.env.WEB_CONCURRENCY, cores = os.availableParallelism()): number {
  const text = (value ?? '').trim();
  if (text === '') return Math.max(1, Math.min(cores, MAX_WEB_CONCURRENCY));
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > MAX_WEB_CONCURRENCY) {
    throw new Error(`WEB_CONCURRENCY 应为 1 到 ${MAX_WEB_CONCURRENCY} 之间的整数（现为“${text}”）`);
  }
  return n;
}
