import { createHash } from 'node:crypto';
import { TfIdf } from '@node-rs/jieba';
import { idf } from '@node-rs/jieba/dict';
import { addUserWords, keywordJieba } from './segment';

// Keywords of a text by TF-IDF over jieba's words, for suggested tags. The same segmenter as the
// search index, so that a suggested word is one that search finds.

let tfidf: TfIdf | null = null;

function extractor(): TfIdf {
  if (!tfidf) {
    tfidf = TfIdf.withDict(idf);
    // Single characters and two-letter Latin fragments make poor tags.
    tfidf.setConfig({ minKeywordLength: 2 });
  }
  return tfidf;
}

/** Words that TF-IDF ranks high in any text of this register and that say nothing as a tag. */
const STOP = new Set(['我们', '一是', '二是', '三是', '四是', '五是', '进一步', '坚持', '工作', '没有', '就是', '要求', '通过', '自己', '同志']);

/**
 * The topN (default 5) keywords of the text, strongest first. userWords (e.g. the course's tag
 * names) are added to the segmenter first, so that 三方共治 comes out as one word.
 */
export function extractKeywords(text: string, opts: { topN?: number; userWords?: string[] } = {}): string[] {
  const topN = Math.min(Math.max(1, Math.trunc(opts.topN ?? 5)), 50);
  if (!text.trim()) return [];
  if (opts.userWords?.length) addUserWords(opts.userWords);
  const found = extractor().extractKeywords(keywordJieba(), text, topN + STOP.size);
  const out: string[] = [];
  for (const k of found) {
    const w = k.keyword.trim();
    if (!w || STOP.has(w) || /^[\p{P}\p{S}\d\s]+$/u.test(w) || out.includes(w)) continue;
    out.push(w);
    if (out.length >= topN) break;
  }
  return out;
}

// Segmenting a text (jieba) cost more than every query of the review detail or the 简报 composer
// together, and those pages ask for the same few texts' keywords on every load. They are kept
// here, keyed by a digest of the text, the user words and topN: a text's keywords can only be
// found again by someone holding the same text, so nothing of one person reaches another.
const MEMO_SIZE = 1000;
const memo = new Map<string, string[]>();

/** extractKeywords, remembered for the last MEMO_SIZE texts asked about. */
export function rememberedKeywords(text: string, userWords: string[], topN: number): string[] {
  const key = createHash('sha256').update(String(topN)).update('\u0000').update(userWords.join('\u0001')).update('\u0000').update(text).digest('base64url');
  const known = memo.get(key);
  if (known) return known;
  const found = extractKeywords(text, { topN, userWords });
  if (memo.size >= MEMO_SIZE) memo.delete(memo.keys().next().value as string);
  memo.set(key, found);
  return found;
}
