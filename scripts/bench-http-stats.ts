// Pure helpers of `npm run bench:http` (scripts/bench-http.ts): quantiles, the printed tables,
// and what the bench counts in a page's HTML. Kept apart so that they are unit-tested
// (scripts/bench-http-stats.test.ts) without a server.
import zlib from 'node:zlib';

/** The q-quantile (0..1) by nearest rank; NaN for no values. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}

/** A latency sample's summary, in the unit of the sample (the roster benches: ms, due → done). */
export interface Latency {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  n: number;
}

/** p50/p95/p99 by nearest rank, the largest and the count; all 0 for no values. */
export function latencyOf(times: readonly number[]): Latency {
  if (times.length === 0) return { p50: 0, p95: 0, p99: 0, max: 0, n: 0 };
  return { p50: quantile(times, 0.5), p95: quantile(times, 0.95), p99: quantile(times, 0.99), max: times.reduce((m, t) => (t > m ? t : m), -Infinity), n: times.length };
}

/** The median: the mean of the two middle values for an even count. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** a / b to two places, or '—' when b is not a positive number. */
export function ratio(a: number, b: number): string {
  return Number.isFinite(a) && Number.isFinite(b) && b > 0 ? (a / b).toFixed(2) : '—';
}

/** Columns on a terminal: a CJK character takes two. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return w;
}

/** A plain-text table: the first column left-aligned, the others right-aligned, two spaces apart. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[], indent = ''): string {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => displayWidth(r[c] ?? ''))));
  const line = (r: readonly string[]) =>
    r
      .map((cell, c) => {
        const pad = ' '.repeat(Math.max(0, (widths[c] ?? 0) - displayWidth(cell)));
        return c === 0 ? cell + pad : pad + cell;
      })
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].map((l) => indent + l).join('\n');
}

/** UTF-8 bytes of a string. */
export function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/**
 * The bytes of the React flight payload in a server-rendered App Router page: every inline
 * `<script>self.__next_f.push(…)</script>` element, tags included.
 */
export function flightPayloadBytes(html: string): number {
  let n = 0;
  for (const m of html.matchAll(/<script\b[^>]*>\s*self\.__next_f\.push\([\s\S]*?<\/script>/gu)) n += byteLength(m[0]);
  return n;
}

/**
 * The src of every `<script src>` in the HTML, in order, each once (entities in the URL decoded).
 * `nomodule` scripts (Next's polyfills) are left out: a browser that runs modules never loads them.
 */
export function scriptSources(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/<script\b([^>]*)>/gu)) {
    const attrs = m[1] as string;
    const src = /\ssrc="([^"]+)"/u.exec(attrs)?.[1]?.replace(/&amp;/gu, '&');
    if (!src || /\snomodule\b/iu.test(attrs) || out.includes(src)) continue;
    out.push(src);
  }
  return out;
}

/** Raw and gzip (level 9, as a server would send it) sizes of a set of files' contents. */
export function sizeOf(contents: readonly Buffer[]): { raw: number; gzip: number } {
  let raw = 0;
  let gzip = 0;
  for (const c of contents) {
    raw += c.length;
    gzip += zlib.gzipSync(c, { level: 9 }).length;
  }
  return { raw, gzip };
}

/** 12.3 KB style, for byte counts in tables. */
export function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}
