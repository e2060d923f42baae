// 引用到心得: a passage of a reading goes into the 正文 as “…”（《篇名》）. On submit the version
// records each such quotation whose 篇名 is one of the assignment's readings and whose text
// stands in that reading (reflection_quotes), so the originality check can tell quoting the
// assigned text from copying a colleague.

/** 篇名 without its 书名号: 《论党的自我革命》 → 论党的自我革命. */
export function bareTitle(title: string): string {
  return title.trim().replace(/^《/u, '').replace(/》$/u, '').trim();
}

/** The passage on one line: a selection across paragraphs loses its line breaks. */
export function flattenPassage(passage: string): string {
  return passage
    .replace(/\s*\n\s*/gu, '')
    .replace(/[\u3000\u00a0\t ]+/gu, ' ')
    .trim();
}

export const MAX_QUOTE_CHARS = 2000;

/** “passage”（《篇名》） */
export function formatQuote(passage: string, title: string): string {
  // Quotation marks inside the passage become single ones, as a quotation within a quotation is written.
  const inner = flattenPassage(passage).replace(/“/gu, '‘').replace(/”/gu, '’');
  return `“${inner}”（《${bareTitle(title)}》）`;
}

export interface QuotedPassage {
  /** As 篇名 without 书名号 */
  title: string;
  passage: string;
}

const QUOTE = /“([^“”\n]{1,2000})”（《([^《》\n]{1,100})》）/gu;

/** Every “…”（《篇名》） in a text, in order. */
export function findQuotations(body: string): QuotedPassage[] {
  const out: QuotedPassage[] = [];
  for (const m of body.matchAll(QUOTE)) out.push({ passage: m[1]!, title: bareTitle(m[2]!) });
  return out;
}

/** A section's text as a quotation of it would read: no line breaks or spaces. */
export function comparable(text: string): string {
  return text.replace(/[\s\u3000\u00a0]+/gu, '').replace(/[“”‘’"']/gu, '"');
}

export interface ReadingText {
  id: number;
  title: string;
  sections: { id: number; body: string }[];
}

export interface MatchedQuote {
  readingId: number;
  sectionId: number;
  passage: string;
}

/** The quotations of a body that quote one of these readings' text; each passage once per reading. */
export function matchQuotes(body: string, texts: readonly ReadingText[]): MatchedQuote[] {
  const byTitle = new Map(texts.map((t) => [bareTitle(t.title), t]));
  const seen = new Set<string>();
  const out: MatchedQuote[] = [];
  for (const q of findQuotations(body)) {
    const t = byTitle.get(q.title);
    if (!t) continue;
    const needle = comparable(q.passage);
    if (needle.length === 0) continue;
    const section = t.sections.find((s) => comparable(s.body).includes(needle));
    if (!section) continue;
    const key = `${t.id}:${needle}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ readingId: t.id, sectionId: section.id, passage: q.passage });
  }
  return out;
}
