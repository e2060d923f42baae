// Splits a reading's text (pasted, or read from a .docx/.txt) into 章/节 for reading_sections.
// A heading is a short line that starts the way Chinese documents number their parts: 第一章,
// 第三节, 第X部分, 一、…, or a named part such as 序言 or 结束语. Text before the first heading is
// a section without a heading; a text without headings is one section.

export interface SectionText {
  heading: string;
  /** Paragraphs separated by "\n". */
  body: string;
}

export const MAX_READING_CHARS = 400_000;
export const MAX_SECTIONS = 500;
/** A heading is a line, not a paragraph: longer lines are text even when they start with 一、. */
const MAX_HEADING_CHARS = 40;

const NUMERAL = '[一二三四五六七八九十百千零〇两\\d０-９]+';
const NUMBERED = new RegExp(`^第${NUMERAL}[章节篇部讲编卷回](?:分)?(?=$|[\\s\\u3000　：:、．.])`, 'u');
const LISTED = new RegExp(`^[一二三四五六七八九十]+、`, 'u');
const NAMED = /^(?:序言|前言|引言|导言|导语|绪论|结语|结束语|后记|附录)$/u;
const SENTENCE_END = /[。！？；…]$/u;

function clean(line: string): string {
  return line.replace(/^[\s\u3000\u00a0\ufeff]+|[\s\u3000\u00a0\ufeff]+$/gu, '');
}

/** True when a (trimmed) line reads as a chapter or section heading. */
export function isHeading(line: string): boolean {
  if (line.length === 0 || line.length > MAX_HEADING_CHARS) return false;
  if (NAMED.test(line)) return true;
  if (SENTENCE_END.test(line)) return false;
  return NUMBERED.test(line) || LISTED.test(line);
}

/** The text as paragraphs without indents or blank lines. */
export function paragraphsOf(text: string): string[] {
  return text
    .replace(/\r\n?/gu, '\n')
    .split('\n')
    .map(clean)
    .filter((l) => l.length > 0);
}

/** The sections of a text, in reading order; empty when the text has no words. */
export function splitSections(text: string): SectionText[] {
  const sections: { heading: string; paras: string[] }[] = [];
  let current: { heading: string; paras: string[] } | null = null;
  for (const line of paragraphsOf(text)) {
    if (isHeading(line)) {
      current = { heading: line, paras: [] };
      sections.push(current);
    } else {
      if (!current) {
        current = { heading: '', paras: [] };
        sections.push(current);
      }
      current.paras.push(line);
    }
  }
  // A heading directly followed by another (第一章 then 第一节) keeps its line as the heading of an empty part.
  return sections.map((s) => ({ heading: s.heading, body: s.paras.join('\n') }));
}
