import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict';

// Chinese word segmentation for the search index, the search box and keyword extraction. Jieba
// built on first use (loading the dictionary takes about 0.2 s), with the domain's own words
// added: jieba alone splits 三方共治 as 三方/共/治.

/** Words of the domain that jieba's dictionary does not hold as one word. */
export const DOMAIN_WORDS = [
  '三方共治',
  '两个确立',
  '两个维护',
  '四个意识',
  '四个自信',
  '主题教育',
  '基层治理',
  '党建引领',
  '四下基层',
  '作风建设',
  '疫情防控',
  '自我革命',
  '全面从严治党',
  '学习强国',
  '为民服务',
  '接诉即办',
  '网格化管理',
  '一网统管',
  '一网通办',
  '社区治理',
  '城市治理',
  '乡村振兴',
  '读书班',
  '集中学习',
] as const;

// Two segmenters. The index's and the search box's knows the domain words only, in every server
// process and after every restart alike: were it to learn a course's tag names as they are used,
// a text indexed in one process (三方共治 one token) and a query in another (three tokens), or
// before and after a restart, would miss each other (docs/decisions/0014). Keyword extraction
// (suggested tags, 简报 drafting) has its own, which learns the tag names.
let instance: Jieba | null = null;
let keywordInstance: Jieba | null = null;
const loaded = new Set<string>();

/** A user-dictionary line: a high frequency so that the word wins over its parts. */
function dictLines(words: Iterable<string>): string {
  let out = '';
  for (const w of words) out += `${w} 100000 n\n`;
  return out;
}

function withDomainWords(): Jieba {
  const j = Jieba.withDict(dict);
  j.loadDict(Buffer.from(dictLines(DOMAIN_WORDS)));
  return j;
}

/** The segmenter of the search index and the search box, built on first use with the domain words. */
export function jieba(): Jieba {
  instance ??= withDomainWords();
  return instance;
}

/** The segmenter of keyword extraction: the domain words and every word addUserWords gave it. */
export function keywordJieba(): Jieba {
  if (!keywordInstance) {
    keywordInstance = withDomainWords();
    for (const w of DOMAIN_WORDS) loaded.add(w);
  }
  return keywordInstance;
}

/**
 * Adds words to the keyword segmenter (a course's tag names, for instance). A word is loaded once.
 * The search index's segmenter never changes (see above).
 */
export function addUserWords(words: Iterable<string>): void {
  const j = keywordJieba();
  const fresh: string[] = [];
  for (const raw of words) {
    const w = raw.trim();
    // A dictionary line is "word freq tag": a word holding a space would break the line.
    if (w && !/\s/u.test(w) && w.length <= 20 && !loaded.has(w)) fresh.push(w);
  }
  if (fresh.length === 0) return;
  j.loadDict(Buffer.from(dictLines(fresh)));
  for (const w of fresh) loaded.add(w);
}

/** A token worth indexing or searching: it holds a letter or a digit (punctuation and spaces do not). */
function isWord(token: string): boolean {
  return /[\p{L}\p{N}]/u.test(token);
}

/**
 * Text as the FTS table stores it: search-engine mode (so that 治理 is also a token inside
 * 基层治理, and 党建 inside 党建引领), words separated by single spaces, punctuation dropped.
 */
export function segmentForIndex(text: string): string {
  if (!text) return '';
  return jieba()
    .cutForSearch(text, true)
    .map((t) => t.trim())
    .filter(isWord)
    .join(' ');
}

/** Upper bound on the words a query is split into; more say nothing a user meant. */
export const MAX_QUERY_WORDS = 8;

/**
 * The words of a search query, in order, without repeats: precise mode, so that 基层治理 is one
 * word (found wherever the index holds it) and 治理 is one word (found inside 基层治理 too, as
 * the index is in search-engine mode).
 */
export function segmentQuery(q: string): string[] {
  const out: string[] = [];
  for (const raw of jieba().cut(q.normalize('NFKC'), true)) {
    const t = raw.trim().toLowerCase();
    if (isWord(t) && !out.includes(t)) out.push(t);
    if (out.length >= MAX_QUERY_WORDS) break;
  }
  return out;
}

/**
 * An FTS5 MATCH expression that finds rows holding every word. Each word is an FTS5 string
 * (double quotes, inner quotes doubled), so that nothing a user types (OR, NEAR, *, ^, column
 * filters, quotes) is read as query syntax. null when there is nothing to look for.
 */
export function ftsQuery(words: string[]): string | null {
  if (words.length === 0) return null;
  return words.map((w) => `"${w.replace(/"/gu, '""')}"`).join(' AND ');
}
