import { paragraphsOf } from './format';

// 要点摘编: most reflections carry their points as 一是……二是……, 第一，第二，, headings 一、二、
// or （一）（二） on their own lines, or 首先……其次……最后. The extractor finds those series and
// each point's lead sentence, so that the organizer can take a reflection's points as its
// bulletin excerpt instead of retyping them. Nothing here changes the reflection.

export type MarkerKind = 'shi' | 'di' | 'dun' | 'paren' | 'arabic' | 'order';

export interface OutlinePoint {
  /** The marker as written: 一是, 第二，, 三、, （四）, 2., 其次， */
  marker: string;
  ordinal: number;
  /** The point's lead sentence, without the marker: 加强力量统筹。 */
  lead: string;
  /** The whole point, marker included, up to the next point (or the end of its paragraph). */
  text: string;
  /** Offsets into the normalised body (paragraphs joined by \n). */
  start: number;
  end: number;
}

export interface OutlineSeries {
  kind: MarkerKind;
  /** The sentence that announces the points (重点在三个方面发力。), or ''. */
  intro: string;
  points: OutlinePoint[];
}

export interface Outline {
  /** The reflection's first sentence, when it comes before every series. */
  opening: string;
  /** Every series of two or more points, in order; a series inside a point of another is kept too. */
  series: OutlineSeries[];
}

const NUM = '一二三四五六七八九十';
const CN = `[${NUM}]{1,3}`;
/** What may come just before a marker: the start of a line, sentence punctuation, a comma or a space. */
const BEFORE = '(?:^|(?<=[。！？；：，、!?;:,\\s\\u3000]))';
const SENTENCE_END = /[。！？；!?;]/u;

const ORDER_WORDS: Record<string, number> = { 首先: 1, 其次: 2, 再次: 3, 然后: 3, 最后: 99 };

interface Candidate {
  kind: MarkerKind;
  ordinal: number;
  marker: string;
  start: number;
  /** Where the text after the marker begins. */
  after: number;
  /** The marker opens its line (a heading on its own line, or a paragraph that starts with it). */
  lineStart: boolean;
}

function cnNumber(s: string): number {
  const d = (ch: string) => NUM.indexOf(ch) + 1;
  if (s.length === 1) return d(s);
  if (s[0] === '十') return 10 + (s[1] ? d(s[1]) : 0);
  if (s[1] === '十') return d(s[0] as string) * 10 + (s[2] ? d(s[2]) : 0);
  return 0;
}

const PATTERNS: { kind: MarkerKind; re: RegExp; ordinal: (m: RegExpExecArray) => number; lineOnly?: boolean }[] = [
  // 一是 / 二是 …; 一要 is left out: 一要 and 要 read too often as plain words.
  { kind: 'shi', re: new RegExp(`${BEFORE}(${CN})是`, 'gu'), ordinal: (m) => cnNumber(m[1] as string) },
  // 第一， / 第二、 / 第三: — never 第一次, 第一书记.
  { kind: 'di', re: new RegExp(`${BEFORE}第(${CN})[，,、：:]`, 'gu'), ordinal: (m) => cnNumber(m[1] as string) },
  // 一、 at the start of a line (a heading), not 一、二线城市 inside a sentence.
  { kind: 'dun', re: new RegExp(`(?:^|(?<=\\n))(${CN})、`, 'gu'), ordinal: (m) => cnNumber(m[1] as string), lineOnly: true },
  // （一） / (二) at the start of a line or a sentence.
  { kind: 'paren', re: new RegExp(`${BEFORE}[（(](${CN})[）)]`, 'gu'), ordinal: (m) => cnNumber(m[1] as string) },
  // 1. / 2、 / 3． at the start of a line.
  { kind: 'arabic', re: /(?:^|(?<=\n))(\d{1,2})[.．、](?!\d)/gu, ordinal: (m) => Number(m[1]), lineOnly: true },
  // 首先， … 其次， … 最后，
  { kind: 'order', re: new RegExp(`${BEFORE}(首先|其次|再次|然后|最后)[，,]`, 'gu'), ordinal: (m) => ORDER_WORDS[m[1] as string] ?? 0 },
];

function candidates(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const p of PATTERNS) {
    p.re.lastIndex = 0;
    for (let m = p.re.exec(text); m; m = p.re.exec(text)) {
      const ordinal = p.ordinal(m);
      if (ordinal <= 0) continue;
      const start = m.index;
      const lineStart = start === 0 || text[start - 1] === '\n';
      out.push({ kind: p.kind, ordinal, marker: m[0], start, after: start + m[0].length, lineStart });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Series of one kind with ordinals 1, 2, 3 … (最后 closes an 首先 series). */
function series(cands: Candidate[]): Candidate[][] {
  const open = new Map<MarkerKind, Candidate[]>();
  const done: Candidate[][] = [];
  const close = (kind: MarkerKind) => {
    const s = open.get(kind);
    if (s && s.length >= 2) done.push(s);
    open.delete(kind);
  };
  for (const c of cands) {
    const s = open.get(c.kind);
    const last = s?.[s.length - 1];
    if (s && last && (c.ordinal === last.ordinal + 1 || (c.kind === 'order' && c.ordinal === 99 && last.ordinal < 99))) {
      s.push(c);
      if (c.ordinal === 99) close(c.kind);
    } else if (c.ordinal === 1) {
      close(c.kind);
      open.set(c.kind, [c]);
    }
  }
  for (const kind of [...open.keys()]) close(kind);
  return done.sort((a, b) => (a[0] as Candidate).start - (b[0] as Candidate).start);
}

/** Up to and including the first sentence end, or the rest of the line when there is none. */
function firstSentence(text: string, from: number, limit: number): string {
  const lineEnd = text.indexOf('\n', from);
  const stop = Math.min(limit, lineEnd === -1 ? text.length : lineEnd);
  for (let i = from; i < stop; i++) {
    if (SENTENCE_END.test(text[i] as string)) return text.slice(from, i + 1).trim();
  }
  return text.slice(from, stop).trim();
}

/** The sentence just before the series (in its paragraph, or a previous line ending in a colon). */
function introBefore(text: string, start: number): string {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const before = text.slice(lineStart, start).trim();
  if (before) {
    // The last sentence of what precedes the marker on its line.
    const parts = before.split(/(?<=[。！？；!?;])/u).map((s) => s.trim()).filter(Boolean);
    return parts[parts.length - 1] ?? '';
  }
  if (lineStart === 0) return '';
  const prevStart = text.lastIndexOf('\n', lineStart - 2) + 1;
  const prev = text.slice(prevStart, lineStart - 1).trim();
  if (/[：:]$/u.test(prev)) {
    const parts = prev.split(/(?<=[。！？；!?;])/u).map((s) => s.trim()).filter(Boolean);
    return parts[parts.length - 1] ?? '';
  }
  return '';
}

/** Finds the body's series of points and each point's lead sentence. */
export function extractOutline(body: string): Outline {
  const text = paragraphsOf(body).join('\n');
  const found = series(candidates(text));
  const out: OutlineSeries[] = found.map((s) => {
    const kind = (s[0] as Candidate).kind;
    const headingStyle = s.every((c) => c.lineStart);
    const points = s.map((c, i) => {
      const next = s[i + 1];
      let end: number;
      if (next) end = next.start;
      else if (headingStyle) {
        // A heading's point runs until a line that starts another marker of a higher level, or the end.
        end = text.length;
      } else {
        const nl = text.indexOf('\n', c.after);
        end = nl === -1 ? text.length : nl;
      }
      return {
        marker: c.marker,
        ordinal: c.ordinal,
        lead: firstSentence(text, c.after, end),
        text: text.slice(c.start, end).trim(),
        start: c.start,
        end,
      };
    });
    return { kind, intro: introBefore(text, (s[0] as Candidate).start), points };
  });
  const firstStart = out[0]?.points[0]?.start ?? text.length;
  const opening = firstSentence(text, 0, firstStart);
  const intro0 = out[0]?.intro ?? '';
  return { opening: opening && opening !== intro0 && text.indexOf(opening) < firstStart ? opening : '', series: out };
}

const HEADING_KINDS: MarkerKind[] = ['dun', 'paren', 'arabic'];

/** A lead cut at the next point (一是配强班子，二是……) ends in a comma: close it as a sentence. */
function closeSentence(s: string): string {
  const t = s.replace(/[，,、\s]+$/u, '');
  return /[。！？；!?;：:]$/u.test(t) ? t : `${t}。`;
}

/**
 * 要点: the reflection's opening sentence, then each outermost series as its intro and the
 * points' lead sentences. Points set inline stay one paragraph (一是……。二是……。); headings
 * stay one a line. Null when the reflection has no series of points.
 */
export function outlineExcerpt(body: string): string | null {
  const { opening, series: all } = extractOutline(body);
  if (!all.length) return null;
  const top: OutlineSeries[] = [];
  for (const s of all) {
    const start = s.points[0]?.start ?? 0;
    const inside = top.some((t) => t.points.some((p) => start >= p.start && start < p.end));
    if (!inside) top.push(s);
  }
  const paragraphs: string[] = [];
  if (opening) paragraphs.push(closeSentence(opening));
  for (const s of top) {
    if (HEADING_KINDS.includes(s.kind)) {
      if (s.intro) paragraphs.push(closeSentence(s.intro));
      for (const p of s.points) paragraphs.push(`${p.marker}${closeSentence(p.lead)}`);
    } else {
      const line = s.points.map((p) => `${p.marker}${closeSentence(p.lead)}`).join('');
      paragraphs.push(`${s.intro ? s.intro : ''}${line}`);
    }
  }
  return paragraphs.join('\n');
}
