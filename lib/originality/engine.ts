// 查重: pure text work, no database. A text is normalised (punctuation and whitespace folded away,
// full-width letters and digits made half-width, Latin lower-cased), cut into character k-grams
// whose hashes are winnowed into a few fingerprints for the index (db/queries/originality), and
// compared with a candidate source by seed-and-extend alignment: exact runs of at least
// MIN_BLOCK characters, joined into one passage across small edits (gaps of up to GAP characters
// on each side). Offsets are mapped back to the original text for highlighting.

/** Fingerprint k-gram length, in normalised characters. */
export const K = 8;
/** Winnowing window: any run shared over W + K - 1 = 31 characters yields a shared fingerprint. */
export const W = 24;
const SEED = 5;
const MIN_BLOCK = 8;
const GAP = 12;
const NL = 10;
/** A passage counts when at least this many characters of it match exactly. */
export const MIN_PASSAGE = 20;

export interface Normalised {
  text: string;
  /** text[i] came from original[map[i]] */
  map: number[];
}

const KEEP = /[\p{L}\p{N}]/u;

export function normalise(original: string): Normalised {
  const chars: string[] = [];
  const map: number[] = [];
  let lastNl = true;
  for (let i = 0; i < original.length; i++) {
    let code = original.charCodeAt(i);
    // The common case first: a Chinese character.
    if (code >= 0x4e00 && code <= 0x9fff) {
      chars.push(original[i] as string);
      map.push(i);
      lastNl = false;
      continue;
    }
    if (code === 10) {
      // Paragraph breaks stay (one per break): a passage never runs across one.
      if (!lastNl) {
        chars.push('\n');
        map.push(i);
        lastNl = true;
      }
      continue;
    }
    // Full-width ASCII (Ｆ１) to half-width.
    if (code >= 0xff01 && code <= 0xff5e) code -= 0xfee0;
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < original.length) {
      const pair = original.slice(i, i + 2);
      if (KEEP.test(pair)) {
        chars.push(pair);
        map.push(i, i + 1);
        lastNl = false;
      }
      i++;
      continue;
    }
    const ch = String.fromCharCode(code);
    if (code < 128 ? !/[0-9A-Za-z]/u.test(ch) : !KEEP.test(ch)) continue;
    chars.push(ch.toLowerCase());
    map.push(i);
    lastNl = false;
  }
  return { text: chars.join(''), map };
}

/** FNV-1a over the k-gram at each position: int32, as SQLite stores it. */
function gramHashes(text: string, k: number): Int32Array {
  const n = Math.max(0, text.length - k + 1);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let h = 0x811c9dc5;
    for (let j = 0; j < k; j++) {
      h ^= text.charCodeAt(i + j);
      h = Math.imul(h, 0x01000193);
    }
    out[i] = h | 0;
  }
  return out;
}

/** Winnowing (Schleimer, Wilkerson, Aiken 2003): the rightmost minimum of every window, once each. */
export function fingerprints(normalised: string): number[] {
  const hashes = gramHashes(normalised, K);
  if (hashes.length === 0) return [];
  if (hashes.length <= W) return [Math.min(...hashes)];
  const picked = new Set<number>();
  let minAt = -1;
  for (let start = 0; start + W <= hashes.length; start++) {
    if (minAt < start) {
      minAt = start;
      for (let i = start + 1; i < start + W; i++) if ((hashes[i] as number) <= (hashes[minAt] as number)) minAt = i;
    } else if ((hashes[start + W - 1] as number) <= (hashes[minAt] as number)) {
      minAt = start + W - 1;
    }
    picked.add(hashes[minAt] as number);
  }
  return [...picked];
}

/** A cheap hash of a whole text, to see that it changed. */
export function textHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

export interface Passage {
  /** [start, end) in the normalised texts */
  a: [number, number];
  b: [number, number];
  /** characters matched exactly inside it */
  matched: number;
}

/** The passages of a (ours) found in b (a source), in a's order. */
export function alignNormalised(a: string, b: string): Passage[] {
  if (a.length < SEED || b.length < SEED) return [];
  const hb = gramHashes(b, SEED);
  const index = new Map<number, number[]>();
  for (let j = 0; j < hb.length; j++) {
    const h = hb[j] as number;
    const list = index.get(h);
    if (list) {
      if (list.length < 32) list.push(j);
    } else index.set(h, [j]);
  }
  const ha = gramHashes(a, SEED);
  const blocks: { a: number; b: number; len: number }[] = [];
  let i = 0;
  while (i < ha.length) {
    const cands = index.get(ha[i] as number);
    let bestLen = 0;
    let bestJ = -1;
    if (cands) {
      for (const j of cands) {
        let len = 0;
        while (i + len < a.length && j + len < b.length && a.charCodeAt(i + len) === b.charCodeAt(j + len) && a.charCodeAt(i + len) !== NL) len++;
        if (len > bestLen) {
          bestLen = len;
          bestJ = j;
        }
      }
    }
    if (bestLen >= MIN_BLOCK) {
      blocks.push({ a: i, b: bestJ, len: bestLen });
      i += bestLen;
    } else i++;
  }
  const passages: Passage[] = [];
  let cur: Passage | null = null;
  for (const blk of blocks) {
    if (cur) {
      const aGap = blk.a - cur.a[1];
      const bGap = blk.b - cur.b[1];
      if (aGap <= GAP && bGap >= 0 && bGap <= GAP && !a.slice(cur.a[1], blk.a).includes('\n')) {
        cur.a[1] = blk.a + blk.len;
        cur.b[1] = blk.b + blk.len;
        cur.matched += blk.len;
        continue;
      }
      if (cur.matched >= MIN_PASSAGE) passages.push(cur);
    }
    cur = { a: [blk.a, blk.a + blk.len], b: [blk.b, blk.b + blk.len], matched: blk.len };
  }
  if (cur && cur.matched >= MIN_PASSAGE) passages.push(cur);
  return passages;
}

/** Character positions [start, end) merged into a sorted disjoint list. */
export type Spans = [number, number][];

export function unionSpans(spans: readonly (readonly [number, number])[]): Spans {
  const sorted = [...spans].sort((x, y) => x[0] - y[0]);
  const out: Spans = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

export function spanLength(spans: Spans): number {
  return spans.reduce((n, [s, e]) => n + e - s, 0);
}

/** spans minus cut, both disjoint and sorted. */
export function subtractSpans(spans: Spans, cut: Spans): Spans {
  const out: Spans = [];
  for (const [s0, e] of spans) {
    let s = s0;
    for (const [cs, ce] of cut) {
      if (ce <= s || cs >= e) continue;
      if (cs > s) out.push([s, cs]);
      s = Math.max(s, ce);
    }
    if (s < e) out.push([s, e]);
  }
  return out;
}

export interface SourceText<K> {
  key: K;
  text: string;
  /** An assigned reading: overlap with it is 引用原文, not copying. */
  quote: boolean;
}

export interface SourceResult<K> {
  key: K;
  quote: boolean;
  /** Per mille of our normalised text covered by this source (quotes excluded for other people's writing). */
  share: number;
  passages: Passage[];
}

export interface Analysis<K> {
  /** Per mille of our text overlapping other people's writing, quotes of the assigned readings excluded. */
  share: number;
  /** Per mille quoted from the assigned readings. */
  quoteShare: number;
  sources: SourceResult<K>[];
  /** Normalised length of our text. */
  length: number;
}

/** Compares our text with each source; quotes of the assigned readings are counted apart. */
export function analyse<K>(ours: string | Normalised, sources: readonly SourceText<K>[]): Analysis<K> {
  const a = typeof ours === 'string' ? normalise(ours) : ours;
  const n = a.text.replaceAll('\n', '').length || 1;
  const perSource = sources.map((s) => ({ s, passages: alignNormalised(a.text, normalise(s.text).text) }));
  const quoteSpans = unionSpans(perSource.filter((x) => x.s.quote).flatMap((x) => x.passages.map((p) => p.a)));
  const otherSpans = subtractSpans(unionSpans(perSource.filter((x) => !x.s.quote).flatMap((x) => x.passages.map((p) => p.a))), quoteSpans);
  const results = perSource
    .filter((x) => x.passages.length > 0)
    .map(({ s, passages }) => {
      const own = unionSpans(passages.map((p) => p.a));
      const covered = s.quote ? own : subtractSpans(own, quoteSpans);
      return { key: s.key, quote: s.quote, share: Math.round((spanLength(covered) * 1000) / n), passages };
    })
    .filter((r) => r.share > 0)
    .sort((x, y) => Number(x.quote) - Number(y.quote) || y.share - x.share);
  return {
    share: Math.round((spanLength(otherSpans) * 1000) / n),
    quoteShare: Math.round((spanLength(quoteSpans) * 1000) / n),
    sources: results,
    length: a.text.length,
  };
}

/** A normalised span back to the original text's [start, end). */
export function originalSpan(map: readonly number[], [s, e]: readonly [number, number]): [number, number] {
  if (e <= s) return [map[s] ?? 0, map[s] ?? 0];
  return [map[s] as number, (map[e - 1] as number) + 1];
}

/** A text cut into plain and marked segments, for side-by-side display. */
export function markSegments(text: string, spans: readonly (readonly [number, number])[]): { text: string; mark: boolean }[] {
  const out: { text: string; mark: boolean }[] = [];
  let at = 0;
  for (const [s, e] of unionSpans(spans)) {
    if (s > at) out.push({ text: text.slice(at, s), mark: false });
    out.push({ text: text.slice(s, e), mark: true });
    at = e;
  }
  if (at < text.length) out.push({ text: text.slice(at), mark: false });
  return out;
}
