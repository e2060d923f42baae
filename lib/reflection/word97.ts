import 'server-only';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';

// Old binary Word (.doc) and WPS's Word-compatible .wps are read by word-extractor (MIT). It runs
// in a worker thread with a small heap and a deadline, so that a file the structural check
// (lib/upload/ole-check.ts) let through can still cost at most that much time and memory.

export const WORD97_TIMEOUT_MS = 5_000;
const HEAP_MB = 64;

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const WordExtractor = require(workerData.lib);
new WordExtractor()
  .extract(Buffer.from(workerData.bytes))
  .then((doc) => parentPort.postMessage({ ok: true, text: doc.getBody() }))
  .catch(() => parentPort.postMessage({ ok: false }));
`;

function libraryPath(): string {
  // Resolved from the project at run time: the bundler never sees the worker's require.
  return createRequire(path.join(process.cwd(), 'package.json')).resolve('word-extractor');
}

/** The body text of a checked OLE Word file, or null when it cannot be read in time. */
export function extractWord97Text(bytes: Buffer): Promise<string | null> {
  return new Promise((resolve) => {
    const worker = new Worker(WORKER, {
      eval: true,
      workerData: { lib: libraryPath(), bytes: new Uint8Array(bytes) },
      resourceLimits: { maxOldGenerationSizeMb: HEAP_MB, maxYoungGenerationSizeMb: 16 },
    });
    let settled = false;
    const done = (v: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(v);
    };
    const timer = setTimeout(() => done(null), WORD97_TIMEOUT_MS);
    worker.on('message', (m: { ok: boolean; text?: string }) => done(m.ok && typeof m.text === 'string' ? m.text : null));
    worker.on('error', () => done(null));
    worker.on('exit', () => done(null));
  });
}
