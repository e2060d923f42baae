import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ROSTER_BUNDLE } from '../lib/roster/bundle-path';
import { bundleRosterWorker } from './roster-bundle';

// What a production build is made from; when any of it changes, `npm start` builds again.
const INPUTS = ['app', 'components', 'db', 'lib', 'public', 'types', 'proxy.ts', 'next.config.mjs', 'postcss.config.mjs', 'tsconfig.json', 'package-lock.json'];

function walk(p: string, out: string[]): void {
  if (!fs.existsSync(p)) return;
  const st = fs.statSync(p);
  if (st.isDirectory()) {
    for (const name of fs.readdirSync(p).sort()) {
      if (name.endsWith('.test.ts') || name.endsWith('.test.tsx')) continue;
      walk(path.join(p, name), out);
    }
  } else out.push(p);
}

export function sourceHash(root: string): string {
  const files: string[] = [];
  for (const i of INPUTS) walk(path.join(root, i), files);
  const h = crypto.createHash('sha256');
  for (const f of files) {
    h.update(path.relative(root, f));
    h.update('\0');
    h.update(fs.readFileSync(f));
    h.update('\0');
  }
  return h.digest('hex');
}

export const BUILD_STAMP = path.join('.next', 'xuesi-source-hash');

/** True when .next holds a production build of exactly these sources. */
export function buildIsCurrent(root: string): boolean {
  try {
    return (
      fs.existsSync(path.join(root, '.next', 'BUILD_ID')) &&
      fs.existsSync(path.join(root, ROSTER_BUNDLE)) &&
      fs.readFileSync(path.join(root, BUILD_STAMP), 'utf8').trim() === sourceHash(root)
    );
  } catch {
    return false;
  }
}

/**
 * Finishes a production build that `next build` has just made: bundles the roster process
 * beside it (scripts/roster-bundle.ts), then stamps the build with the sources it was made from.
 */
export function stampBuild(root: string): void {
  bundleRosterWorker(root);
  fs.writeFileSync(path.join(root, BUILD_STAMP), `${sourceHash(root)}\n`);
}

/** For the benches: builds the production server (next build) unless the build is current. */
export function ensureBuild(root: string): void {
  if (buildIsCurrent(root)) return;
  console.log('Building the production server (next build)…');
  const built = spawnSync(process.execPath, [path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (built.status !== 0) throw new Error('next build failed');
  stampBuild(root);
}
