import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { displayWidth, flightPayloadBytes, formatTable, latencyOf, median, quantile, ratio, scriptSources, sizeOf } from './bench-http-stats';

describe('bench:http helpers', () => {
  it('sums up a latency sample: p50, p95, p99 by nearest rank, the largest, the count; zeros for none', () => {
    const times = Array.from({ length: 200 }, (_, i) => 200 - i);
    expect(latencyOf(times)).toEqual({ p50: 100, p95: 190, p99: 198, max: 200, n: 200 });
    expect(latencyOf([])).toEqual({ p50: 0, p95: 0, p99: 0, max: 0, n: 0 });
  });

  it('takes quantiles by nearest rank and medians of odd and even counts', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted on purpose
    expect(quantile(values, 0.95)).toBe(95);
    expect(quantile(values, 0.5)).toBe(50);
    expect(quantile(values, 1)).toBe(100);
    expect(quantile([7], 0.95)).toBe(7);
    expect(quantile([], 0.95)).toBeNaN();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('prints ratios to two places and a dash when there is nothing to divide by', () => {
    expect(ratio(41, 100)).toBe('0.41');
    expect(ratio(5, 0)).toBe('—');
    expect(ratio(Number.NaN, 3)).toBe('—');
  });

  it('aligns table columns with Chinese labels counted two columns wide', () => {
    expect(displayWidth('简报 composer')).toBe(13);
    const out = formatTable(['page', 'req/s'], [['/my', '120.5'], ['简报', '9.0']]).split('\n');
    expect(out).toEqual(['page  req/s', '----  -----', '/my   120.5', '简报    9.0']);
    expect(formatTable(['a'], [['b']], '  ')).toBe('  a\n  -\n  b');
  });

  it('counts the flight payload scripts of a page and nothing else', () => {
    const flight = '<script>self.__next_f.push([1,"0:{\\"a\\":\\"治理\\"}"])</script>';
    const html = `<html><body><p>表格</p>${flight}<script src="/_next/a.js" async=""></script>${flight}</body></html>`;
    expect(flightPayloadBytes(html)).toBe(2 * Buffer.byteLength(flight));
    expect(flightPayloadBytes('<script>console.log(1)</script>')).toBe(0);
  });

  it('lists each script source once, in order, with entities decoded, without nomodule polyfills', () => {
    const html =
      '<script src="/_next/static/chunks/main.js" async=""></script><script nomodule="" src="/p.js?a=1&amp;b=2"></script><script src="/_next/static/chunks/main.js"></script><script>inline()</script>';
    expect(scriptSources(html)).toEqual(['/_next/static/chunks/main.js']);
    expect(scriptSources('<script src="/a.js?x=1&amp;y=2" async=""></script>')).toEqual(['/a.js?x=1&y=2']);
  });

  it('adds raw and gzip sizes over files', () => {
    const a = Buffer.from('x'.repeat(1000));
    const b = Buffer.from('学思'.repeat(10));
    expect(sizeOf([a, b])).toEqual({
      raw: 1000 + 60,
      gzip: zlib.gzipSync(a, { level: 9 }).length + zlib.gzipSync(b, { level: 9 }).length,
    });
  });
});
