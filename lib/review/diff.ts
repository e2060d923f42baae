// What changed between two versions of a reflection: paragraphs are matched first (longest
// common subsequence of whole paragraphs), then a removed paragraph and the added one that takes
// its place are compared character by character, which is how Chinese prose changes.

export type DiffPart = { kind: 'same' | 'ins' | 'del'; text: string };
export type ParagraphDiff =
  | { kind: 'same'; text: string }
  | { kind: 'ins'; text: string }
  | { kind: 'del'; text: string }
  | { kind: 'changed'; parts: DiffPart[] };

/** Above this many cells a character comparison is not worth it: the paragraph is shown as replaced. */
const MAX_CELLS = 4_000_000;

export function paragraphsOf(body: string): string[] {
  return body
    .replace(/\r\n?/gu, '\n')
    .split('\n')
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

type Op<T> = { kind: 'same' | 'ins' | 'del'; item: T };

/** The edit script from a to b by LCS; equal items are compared with ===. */
function lcsOps<T>(a: readonly T[], b: readonly T[]): Op<T>[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start += 1;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA -= 1;
    endB -= 1;
  }
  const head: Op<T>[] = a.slice(0, start).map((item) => ({ kind: 'same', item }));
  const tail: Op<T>[] = a.slice(endA).map((item) => ({ kind: 'same', item }));
  const ma = a.slice(start, endA);
  const mb = b.slice(start, endB);
  const n = ma.length;
  const m = mb.length;
  const mid: Op<T>[] = [];
  if (n === 0 || m === 0 || (n + 1) * (m + 1) > MAX_CELLS) {
    for (const item of ma) mid.push({ kind: 'del', item });
    for (const item of mb) mid.push({ kind: 'ins', item });
    return [...head, ...mid, ...tail];
  }
  // dp[i][j]: LCS length of ma[i..] and mb[j..]
  const w = m + 1;
  const dp = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i -= 1) {
    for (let j = m - 1; j >= 0; j -= 1) {
      dp[i * w + j] = ma[i] === mb[j] ? dp[(i + 1) * w + j + 1]! + 1 : Math.max(dp[(i + 1) * w + j]!, dp[i * w + j + 1]!);
    }
  }
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (ma[i] === mb[j]) {
      mid.push({ kind: 'same', item: ma[i]! });
      i += 1;
      j += 1;
    } else if (dp[(i + 1) * w + j]! >= dp[i * w + j + 1]!) {
      mid.push({ kind: 'del', item: ma[i]! });
      i += 1;
    } else {
      mid.push({ kind: 'ins', item: mb[j]! });
      j += 1;
    }
  }
  for (; i < n; i += 1) mid.push({ kind: 'del', item: ma[i]! });
  for (; j < m; j += 1) mid.push({ kind: 'ins', item: mb[j]! });
  return [...head, ...mid, ...tail];
}

/** Character-level diff of two strings, runs of the same kind joined. */
export function diffChars(a: string, b: string): DiffPart[] {
  const ops = lcsOps(Array.from(a), Array.from(b));
  const out: DiffPart[] = [];
  for (const op of ops) {
    const last = out[out.length - 1];
    if (last && last.kind === op.kind) last.text += op.item;
    else out.push({ kind: op.kind, text: op.item });
  }
  return out;
}

function similarity(parts: DiffPart[], a: string, b: string): number {
  const same = parts.filter((p) => p.kind === 'same').reduce((s, p) => s + Array.from(p.text).length, 0);
  return (2 * same) / Math.max(1, Array.from(a).length + Array.from(b).length);
}

/** Paragraph diff of two bodies; a removed paragraph followed by an added one that resembles it is "changed". */
export function diffTexts(before: string, after: string): ParagraphDiff[] {
  const ops = lcsOps(paragraphsOf(before), paragraphsOf(after));
  const out: ParagraphDiff[] = [];
  let k = 0;
  while (k < ops.length) {
    const op = ops[k]!;
    if (op.kind === 'same') {
      out.push({ kind: 'same', text: op.item });
      k += 1;
      continue;
    }
    // A run of deletions and insertions between two unchanged paragraphs: pair them in order.
    const dels: string[] = [];
    const inss: string[] = [];
    while (k < ops.length && ops[k]!.kind !== 'same') {
      const o = ops[k]!;
      (o.kind === 'del' ? dels : inss).push(o.item);
      k += 1;
    }
    const pairs = Math.min(dels.length, inss.length);
    for (let p = 0; p < pairs; p += 1) {
      const a = dels[p]!;
      const b = inss[p]!;
      const parts = diffChars(a, b);
      if (similarity(parts, a, b) >= 0.3) out.push({ kind: 'changed', parts });
      else out.push({ kind: 'del', text: a }, { kind: 'ins', text: b });
    }
    for (const d of dels.slice(pairs)) out.push({ kind: 'del', text: d });
    for (const s of inss.slice(pairs)) out.push({ kind: 'ins', text: s });
  }
  return out;
}

/** How much changed, for a one-line summary: characters added and removed. */
export function diffStats(diff: ParagraphDiff[]): { inserted: number; deleted: number } {
  let inserted = 0;
  let deleted = 0;
  const len = (s: string) => Array.from(s).length;
  for (const p of diff) {
    if (p.kind === 'ins') inserted += len(p.text);
    else if (p.kind === 'del') deleted += len(p.text);
    else if (p.kind === 'changed') {
      for (const part of p.parts) {
        if (part.kind === 'ins') inserted += len(part.text);
        else if (part.kind === 'del') deleted += len(part.text);
      }
    }
  }
  return { inserted, deleted };
}
