// The passage shown under a search result: taken from the original text (never from the
// segmented copy in the index), about 60 characters around the first place any query word
// occurs, split into segments marked as hits or not. The page renders them as text inside
// <mark>; no HTML string is ever built from a reflection.

export interface ExcerptSegment {
  text: string;
  hit: boolean;
}

export interface Excerpt {
  segments: ExcerptSegment[];
  /** Text left out before and after the passage. */
  before: boolean;
  after: boolean;
}

/** Case-insensitive positions of every word in the text, merged where they overlap. */
function hitRanges(text: string, words: string[]): [number, number][] {
  const lower = text.toLowerCase();
  const ranges: [number, number][] = [];
  for (const w of words) {
    const needle = w.toLowerCase();
    if (!needle) continue;
    let at = lower.indexOf(needle);
    while (at !== -1) {
      ranges.push([at, at + needle.length]);
      at = lower.indexOf(needle, at + needle.length);
    }
  }
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

/** Segments of text with the words marked. */
export function markWords(text: string, words: string[]): ExcerptSegment[] {
  const out: ExcerptSegment[] = [];
  let at = 0;
  for (const [s, e] of hitRanges(text, words)) {
    if (s > at) out.push({ text: text.slice(at, s), hit: false });
    out.push({ text: text.slice(s, e), hit: true });
    at = e;
  }
  if (at < text.length) out.push({ text: text.slice(at), hit: false });
  return out;
}

/**
 * About `width` characters of the text around the first occurrence of any word, words marked;
 * the opening of the text when no word occurs in it (the match was in the title or the author).
 */
export function excerptAround(text: string, words: string[], width = 60): Excerpt {
  const flat = text.replace(/\s+/gu, ' ').trim();
  const chars = Array.from(flat);
  const first = hitRanges(flat, words)[0];
  let start = 0;
  if (first) {
    // Code-unit offset to character offset, so that a surrogate pair is never cut in half.
    const hitAt = Array.from(flat.slice(0, first[0])).length;
    start = Math.max(0, hitAt - Math.floor(width / 3));
  }
  const end = Math.min(chars.length, start + width);
  start = Math.max(0, Math.min(start, end - width));
  const passage = chars.slice(start, end).join('');
  return { segments: markWords(passage, words), before: start > 0, after: end < chars.length };
}
