// A Word file of a 心得 usually starts with its title and a byline (“望江街道 孙卫东” or just
// “孙卫东”). Imported as they are, both land in the 正文 and 标题 stays empty. This recognises
// them: the title when the first paragraph reads like one, the byline when a line among the
// first few is the writer's own name, alone or after their unit. The cadre sees the choice and
// can undo it.

export interface Author {
  name: string;
  /** The cadre's unit's names, innermost first (望江街道, 樊城区…); may be empty. */
  unitNames: readonly string[];
}

export interface HeadingChoice {
  /** The recognised title, or '' */
  title: string;
  /** The recognised byline as it stood in the file, or '' */
  byline: string;
  /** The 正文 without the recognised lines. */
  body: string;
}

const MAX_TITLE_CHARS = 40;
const MAX_BYLINE_CHARS = 40;
const SENTENCE_END = /[。！？；：:，,…]$/u;

function squeeze(s: string): string {
  return s.replace(/[\s\u3000\u00a0·・]+/gu, '');
}

/** True when a line is the writer's byline: 姓名, 单位 姓名, 单位姓名 or 姓名（单位）. */
export function isByline(line: string, author: Author): boolean {
  const name = squeeze(author.name);
  if (!name || line.length > MAX_BYLINE_CHARS) return false;
  const s = squeeze(line).replace(/^(?:作者|撰稿人?|姓名)[：:]?/u, '');
  if (s === name) return true;
  const withoutName = s.endsWith(name) ? s.slice(0, -name.length) : s.startsWith(name) ? s.slice(name.length).replace(/^[（(](.*)[）)]$/u, '$1') : null;
  if (withoutName === null || withoutName.length === 0) return false;
  if (/[。！？；，,]/u.test(withoutName)) return false;
  // What stands beside the name must be the writer's unit (or end like one: 街道, 党工委, 局…).
  return author.unitNames.some((u) => u && (withoutName.includes(squeeze(u)) || squeeze(u).includes(withoutName))) ||
    /(?:街道|社区|党工委|党委|党支部|办事处|委员会|局|办|委|镇|乡|村|区|县|市|部|中心|学校|医院|公司)$/u.test(withoutName);
}

/** True when a paragraph reads as a title: short, not a sentence, not a byline. */
export function isTitleLine(line: string): boolean {
  return line.length > 0 && line.length <= MAX_TITLE_CHARS && !SENTENCE_END.test(line);
}

/**
 * The title and byline of imported paragraphs. The title is recognised only when a byline
 * follows it or when more text follows a short line that ends without punctuation; the byline
 * only when it names the writer. Nothing is recognised in a one-paragraph file.
 */
export function recogniseHeading(paragraphs: readonly string[], author: Author): HeadingChoice {
  const lines = [...paragraphs];
  let title = '';
  let byline = '';
  if (lines.length >= 2) {
    const bylineAt = lines.slice(0, 3).findIndex((l) => isByline(l, author));
    if (bylineAt >= 0) {
      byline = lines[bylineAt]!;
      lines.splice(bylineAt, 1);
      // A line above the byline is the title.
      if (bylineAt >= 1 && isTitleLine(lines[0]!)) title = lines.shift()!;
    }
    if (!title && lines.length >= 2 && isTitleLine(lines[0]!) && !isTitleLine(lines[1]!)) title = lines.shift()!;
  }
  return { title, byline, body: lines.join('\n') };
}
