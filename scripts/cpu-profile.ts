// Reads V8 CPU profiles (.cpuprofile, written by `node --cpu-prof`) and says where the time of a
// window went: used by `npm run bench:http -- --profile`, which runs the server with
// XUESI_CPU_PROF_DIR and notes when each page was driven.
import fs from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  /** Microseconds, on the same monotonic clock as process.hrtime(). */
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export function readProfile(file: string): CpuProfile {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
}

/** Where a frame's code lives, coarsely: what one would set out to make cheaper. */
export function categoryOf(frame: CallFrame): string {
  const url = frame.url;
  if (!url) {
    if (frame.functionName === '(garbage collector)') return 'garbage collection';
    if (frame.functionName === '(program)') return 'V8 and native (program)';
    return `native ${frame.functionName || '(anonymous)'}`;
  }
  if (url.includes('app-page') && url.includes('runtime')) return 'Next/React page runtime (RSC + SSR)';
  if (url.includes('next/dist/compiled/')) return `next compiled ${url.split('next/dist/compiled/')[1]?.split('/')[0] ?? ''}`;
  if (url.includes('next/dist/')) return 'Next server (routing, request handling)';
  if (url.includes('/.next/server/chunks/ssr/')) return 'app chunks, SSR side';
  if (url.includes('/.next/server/')) return 'app chunks (pages, data layer, libraries)';
  if (url.startsWith('node:')) return `node ${url.slice(5).split('/').slice(0, 2).join('/')}`;
  if (url.includes('node_modules/')) {
    const inside = url.split('node_modules/').pop() ?? '';
    return `package ${inside.split('/').slice(0, inside.startsWith('@') ? 2 : 1).join('/')}`;
  }
  return url;
}

export interface WindowSummary {
  /** CPU time sampled in the window, ms (idle excluded). */
  busyMs: number;
  byCategory: [string, number][];
  byFunction: [string, number][];
}

/** Self time of every sample whose timestamp falls in [fromUs, toUs), by category and by function. */
export function summarize(profile: CpuProfile, fromUs: number, toUs: number): WindowSummary {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const cats = new Map<string, number>();
  const fns = new Map<string, number>();
  let busy = 0;
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    // A sample stands for the time until the next one.
    const dt = profile.timeDeltas[i + 1] ?? 0;
    if (t < fromUs || t >= toUs) continue;
    const frame = nodes.get(profile.samples[i] ?? -1)?.callFrame;
    if (!frame || frame.functionName === '(idle)') continue;
    busy += dt;
    const cat = categoryOf(frame);
    cats.set(cat, (cats.get(cat) ?? 0) + dt);
    const fn = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').slice(-1)[0] ?? ''}:${frame.lineNumber + 1}`;
    fns.set(fn, (fns.get(fn) ?? 0) + dt);
  }
  const sorted = (m: Map<string, number>) => [...m].map(([k, v]): [string, number] => [k, v / 1000]).sort((a, b) => b[1] - a[1]);
  return { busyMs: busy / 1000, byCategory: sorted(cats), byFunction: sorted(fns) };
}

/** Now on the profiles' clock (µs of the monotonic clock). */
export function nowUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}
