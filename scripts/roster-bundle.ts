import fs from 'node:fs';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { ROSTER_BUNDLE } from '../lib/roster/bundle-path';

// The roster process (db/queries/roster/worker.ts) as one CommonJS file, made beside the
// production build. Loading the TypeScript sources through tsx took about 1.5 s of CPU (1.0 s wall)
// every time a server process started it, in the middle of an admin's first import, beside
// everyone's pages; the bundle loads in about 0.6 s of CPU. Without it (development, tests, a build
// made by `next build` alone) the process loads the sources through tsx as before.
//
// Native modules and the large CommonJS packages stay outside and are required from node_modules
// at run time, as the server requires them.
const EXTERNAL = ['better-sqlite3', '@node-rs/*', 'pg', 'pg-native', 'exceljs', 'iconv-lite', 'mammoth', 'jszip'];

export function bundleRosterWorker(root: string, outfile = path.join(root, ROSTER_BUNDLE)): string {
  const tmp = `${outfile}.${process.pid}.tmp`;
  fs.mkdirSync(path.dirname(outfile), { recursive: true });
  buildSync({
    absWorkingDir: root,
    entryPoints: [path.join(root, 'db', 'queries', 'roster', 'worker.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile: tmp,
    external: EXTERNAL,
    // As under React's server build: the marker module is empty.
    alias: { 'server-only': path.join(root, 'node_modules', 'server-only', 'empty.js') },
    tsconfig: path.join(root, 'tsconfig.json'),
    logLevel: 'error',
    legalComments: 'none',
  });
  // Whole or not at all: a server starting meanwhile finds the old file or the new one.
  fs.renameSync(tmp, outfile);
  return outfile;
}
