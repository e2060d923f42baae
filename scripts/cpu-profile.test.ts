import { describe, expect, it } from 'vitest';
import { byFunctionTotal, categoryOf, summarize, type CpuProfile } from './cpu-profile';

const frame = (functionName: string, url = '') => ({ functionName, url, lineNumber: 0, columnNumber: 0 });

/** Four nodes; samples every 1,000 µs from startTime 10,000. */
function profile(samples: number[]): CpuProfile {
  return {
    nodes: [
      { id: 1, callFrame: frame('(root)'), children: [2, 3, 4, 5] },
      { id: 2, callFrame: frame('(idle)') },
      { id: 3, callFrame: frame('(garbage collector)') },
      { id: 4, callFrame: frame('ex', 'file:///srv/node_modules/next/dist/compiled/next-server/app-page-turbo.runtime.prod.js') },
      { id: 5, callFrame: frame('N', 'file:///srv/.next/server/chunks/_1bekqwc._.js') },
    ],
    startTime: 10_000,
    endTime: 10_000 + samples.length * 1000,
    samples,
    timeDeltas: samples.map(() => 1000),
  };
}

describe('summarize', () => {
  it('counts only the window, leaves idle out, and sorts by time', () => {
    // Sample i is taken at 11,000 + 1,000 i and stands for the next 1,000 µs.
    const p = profile([4, 4, 3, 5, 2, 4, 4]);
    const s = summarize(p, 11_000, 15_000); // samples 0–3
    expect(s.busyMs).toBe(4);
    expect(s.byCategory).toEqual([
      ['Next/React page runtime (RSC + SSR)', 2],
      ['garbage collection', 1],
      ['app chunks (pages, data layer, libraries)', 1],
    ]);
    expect(s.byFunction[0]).toEqual(['ex app-page-turbo.runtime.prod.js:1', 2]);
  });

  it('gives nothing for a window with only idle samples or none at all', () => {
    const p = profile([2, 2, 4]);
    expect(summarize(p, 11_000, 13_000).busyMs).toBe(0);
    expect(summarize(p, 50_000, 60_000).byCategory).toEqual([]);
  });
});

describe('categoryOf', () => {
  it('names where the code lives', () => {
    expect(categoryOf(frame('(program)'))).toBe('V8 and native (program)');
    expect(categoryOf(frame('x', 'node:internal/async_hooks'))).toBe('node internal/async_hooks');
    expect(categoryOf(frame('x', 'file:///srv/node_modules/next/dist/server/base-server.js'))).toBe('Next server (routing, request handling)');
    expect(categoryOf(frame('x', 'file:///srv/.next/server/chunks/ssr/abc.js'))).toBe('app chunks, SSR side');
    expect(categoryOf(frame('x', 'file:///srv/node_modules/@node-rs/jieba/index.js'))).toBe('package @node-rs/jieba');
    expect(categoryOf(frame('x', 'file:///srv/node_modules/zod/v4/core.js'))).toBe('package zod');
  });
});

describe('byFunctionTotal', () => {
  it('gives each function the time of everything it called, once per sample even when it recurs', () => {
    // root → render(10) → render(11) → query(12) → native(13); render → gc(14)
    const p: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame('(root)'), children: [10, 2] },
        { id: 2, callFrame: frame('(idle)') },
        { id: 10, callFrame: { ...frame('render', 'file:///srv/a.js'), columnNumber: 4 }, children: [11, 14] },
        { id: 11, callFrame: { ...frame('render', 'file:///srv/a.js'), columnNumber: 4 }, children: [12] },
        { id: 12, callFrame: frame('query', 'file:///srv/db.js'), children: [13] },
        { id: 13, callFrame: frame('native') },
        { id: 14, callFrame: frame('(garbage collector)') },
      ],
      startTime: 0,
      endTime: 6000,
      samples: [13, 13, 14, 10, 2, 12],
      timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000],
    };
    // Sample i at 1,000 (i + 1), standing for 1,000 µs; the window takes samples 0–4.
    const { total, self } = byFunctionTotal(p, 1000, 6000);
    expect(total).toEqual([
      ['render a.js:1:5', 4],
      ['native :1:1', 2],
      ['query db.js:1:1', 2],
      ['(garbage collector) :1:1', 1],
    ]);
    expect(self).toEqual([
      ['native :1:1', 2],
      ['(garbage collector) :1:1', 1],
      ['render a.js:1:5', 1],
    ]);
  });
});
