// Reads V8 CPU profiles (.cpuprofile, written by `node --cpu-prof`) and says where the time of a
// window went: used by `npm run bench:http -- --profile`, which runs the server with
// XUESI_CPU_PROF_DIR and notes when each page was driven (beside the profile it keeps, as
// .windows.json). For a closer look at one page of such a run:
//   npx tsx scripts/cpu-profile.ts <kept .cpuprofile> '<page>' [text in the function or file]
// prints the page's costliest functions by total time (with what they call) and by self time.
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';

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

/**
 * The busy samples whose timestamp falls in [fromUs, toUs): the sampled node and the time it stands
 * for (until the next sample), idle left out.
 */
function* busySamples(profile: CpuProfile, fromUs: number, toUs: number): Generator<{ id: number; frame: CallFrame; dt: number }> {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    const dt = profile.timeDeltas[i + 1] ?? 0;
    if (t < fromUs || t >= toUs) continue;
    const id = profile.samples[i] ?? -1;
    const frame = nodes.get(id)?.callFrame;
    if (!frame || frame.functionName === '(idle)') continue;
    yield { id, frame, dt };
  }
}

/** Milliseconds, the costliest first; `byName`: ties by name, else in the order first sampled. */
function sortedMs(m: Map<string, number>, byName = false): [string, number][] {
  return [...m].map(([k, v]): [string, number] => [k, v / 1000]).sort((a, b) => b[1] - a[1] || (byName ? (a[0] < b[0] ? -1 : 1) : 0));
}

/** Self time of every sample whose timestamp falls in [fromUs, toUs), by category and by function. */
export function summarize(profile: CpuProfile, fromUs: number, toUs: number): WindowSummary {
  const cats = new Map<string, number>();
  const fns = new Map<string, number>();
  let busy = 0;
  for (const { frame, dt } of busySamples(profile, fromUs, toUs)) {
    busy += dt;
    const cat = categoryOf(frame);
    cats.set(cat, (cats.get(cat) ?? 0) + dt);
    const fn = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').slice(-1)[0] ?? ''}:${frame.lineNumber + 1}`;
    fns.set(fn, (fns.get(fn) ?? 0) + dt);
  }
  return { busyMs: busy / 1000, byCategory: sortedMs(cats), byFunction: sortedMs(fns) };
}

/** Where a frame is, to tell functions of one minified file apart: name file:line:column. */
function placeOf(frame: CallFrame): string {
  return `${frame.functionName || '(anonymous)'} ${frame.url.split('/').slice(-1)[0] ?? ''}:${frame.lineNumber + 1}:${frame.columnNumber + 1}`;
}

/**
 * Total time (the function and everything it called, once per sample however often it recurs on
 * the stack) and self time of every function in [fromUs, toUs), ms, the costliest first.
 */
export function byFunctionTotal(profile: CpuProfile, fromUs: number, toUs: number): { total: [string, number][]; self: [string, number][] } {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const total = new Map<string, number>();
  const self = new Map<string, number>();
  for (const { id: leaf, frame, dt } of busySamples(profile, fromUs, toUs)) {
    self.set(placeOf(frame), (self.get(placeOf(frame)) ?? 0) + dt);
    const seen = new Set<string>();
    for (let id: number | undefined = leaf; id !== undefined; id = parent.get(id)) {
      const f = nodes.get(id)?.callFrame;
      if (!f || f.functionName === '(root)') continue;
      const place = placeOf(f);
      if (seen.has(place)) continue;
      seen.add(place);
      total.set(place, (total.get(place) ?? 0) + dt);
    }
  }
  // Ties by name, so that the order does not depend on which sample came first.
  return { total: sortedMs(total, true), self: sortedMs(self, true) };
}

/** Now on the profiles' clock (µs of the monotonic clock). */
export function nowUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** The command line above: one page's window of a kept profile, per request. */
function main(argv: string[]): void {
  const [file, page, filter = ''] = argv;
  if (!file || !page) {
    console.log("npx tsx scripts/cpu-profile.ts <file.cpuprofile> '<page>' [filter]");
    return;
  }
  const windows = JSON.parse(fs.readFileSync(`${file}.windows.json`, 'utf8')) as { name: string; from: number; to: number; requests: number }[];
  const w = windows.find((x) => x.name === page);
  if (!w) {
    console.log(`No page '${page}' in this run; its pages: ${windows.map((x) => x.name).join(', ')}`);
    return;
  }
  const profile = readProfile(file);
  const n = Math.max(1, w.requests);
  const { total, self } = byFunctionTotal(profile, w.from, w.to);
  console.log(`${page}: ${w.requests} requests, ${(summarize(profile, w.from, w.to).busyMs / n).toFixed(2)} ms of CPU each`);
  for (const [title, rows] of [['total (with what it calls)', total], ['self', self]] as const) {
    console.log(`\nms per request, ${title}${filter ? `, functions matching '${filter}'` : ''}`);
    for (const [place, ms] of rows.filter(([p]) => p.includes(filter)).slice(0, 40)) console.log(`${(ms / n).toFixed(3).padStart(7)}  ${place}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv.slice(2));
