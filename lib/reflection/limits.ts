// Limits and text normalisation shared by the editor (browser) and the server, so that both
// sides agree on what "the same text" is and refuse the same things.

/** The largest file the editor imports: 5 MB. */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
export const MAX_TITLE_CHARS = 100;
/** A hard ceiling on the working copy, far above any assignment's 字数 limit. */
export const MAX_BODY_CHARS = 50_000;
export const IMPORT_EXTENSIONS = ['.docx', '.doc', '.wps', '.txt'] as const;
export const IMPORT_KINDS_TEXT = '.docx、.doc、.wps 或 .txt';

/** Line breaks as the textarea gives them (\n), whatever the source used. */
export function normalizeBody(body: string): string {
  return body.replace(/\r\n?/gu, '\n');
}

/** The text as submitted: outer blank lines and spaces trimmed, paragraphs kept. */
export function finalBody(body: string): string {
  return normalizeBody(body).replace(/^[\s\u3000]+|[\s\u3000]+$/gu, '');
}

export function finalTitle(title: string): string {
  return title.replace(/\s+/gu, ' ').trim();
}

export interface DraftContent {
  title: string;
  body: string;
  readingIds: number[];
}

export function sortedIds(ids: readonly number[]): number[] {
  return [...new Set(ids)].sort((a, b) => a - b);
}

/** True when two copies hold the same words and the same readings. */
export function sameContent(a: DraftContent, b: DraftContent): boolean {
  if (a.title !== b.title || normalizeBody(a.body) !== normalizeBody(b.body)) return false;
  const x = sortedIds(a.readingIds);
  const y = sortedIds(b.readingIds);
  return x.length === y.length && x.every((id, i) => id === y[i]);
}

/** The assignment's 字数 limits in words: 300–1500 字 / 不少于 300 字 / 不超过 1500 字 / 不限. */
export function limitsText(min: number, max: number): string {
  if (min > 0 && max > 0) return `${min}–${max} 字`;
  if (min > 0) return `不少于 ${min} 字`;
  if (max > 0) return `不超过 ${max} 字`;
  return '不限';
}

/** 字数 against the assignment's limits, as a sentence; null when within them. */
export function charLimitProblem(charCount: number, min: number, max: number): string | null {
  const limits = limitsText(min, max);
  const wanted = /^\d/u.test(limits) ? `要求 ${limits}` : `要求${limits}`;
  if (charCount < min) return `字数 ${charCount}，${wanted}，还差 ${min - charCount} 字`;
  if (max > 0 && charCount > max) return `字数 ${charCount}，${wanted}，超出 ${charCount - max} 字`;
  return null;
}
