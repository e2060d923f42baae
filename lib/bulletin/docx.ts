import {
  AlignmentType,
  BorderStyle,
  Document,
  DocumentGridType,
  Footer,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  Tab,
  TabStopType,
  TextRun,
  type IParagraphOptions,
  type IRunOptions,
} from 'docx';
import { bulletinMasthead, copiesLine, editorLine, formatIssuedOn, paragraphsOf, printHeadline, tailLines, type BulletinContent } from './format';

// 导出Word: the printed 简报 as a .docx, laid out to GB/T 9704-2012 as Chinese offices expect.
//
// Fonts. A run in WordprocessingML names one font per script slot (w:rFonts ascii/hAnsi/eastAsia)
// and has no fallback list. We name the GB/T 9704 faces the offices print with — 仿宋_GB2312 for
// the body, 方正小标宋简体 for the title, 黑体 for item headings, 宋体 for page numbers — in the
// eastAsia slot (with hint="eastAsia" so that full-width punctuation also takes it), and Times New
// Roman for Latin letters and digits. Where a face is missing the reader substitutes by name:
// Word and WPS replace 仿宋_GB2312 with 仿宋 and 方正小标宋简体 with 宋体 (WPS ships both maps),
// LibreOffice falls back through fontconfig to its CJK serif. The title is not set bold: on the
// machines that have 小标宋 (the office that prints) a bold flag would embolden an already heavy
// face; the cost is that a machine without it shows plain 宋体.

/** Twips (1/20 pt). 1 mm = 56.7 twips. */
export const PAGE = {
  width: 11906,
  height: 16838,
  marginTop: 2098, // 37 mm
  marginBottom: 1984, // 35 mm
  marginLeft: 1588, // 28 mm
  marginRight: 1474, // 26 mm
};
/** Width of the text block: 156 mm. */
export const TEXT_WIDTH = PAGE.width - PAGE.marginLeft - PAGE.marginRight;

/** 22 lines in the 225 mm text block: 28.9 pt. */
export const LINE_TWIPS = 578;
/** 3号 = 16 pt = 32 half-points; 2号 = 22 pt; 4号 = 14 pt. */
export const SIZE = { body: 32, title: 44, pageNumber: 28, tail: 28 };
export const FONTS = {
  body: '仿宋_GB2312',
  title: '方正小标宋简体',
  heading: '黑体',
  pageNumber: '宋体',
  latin: 'Times New Roman',
};
const RED = 'FF0000';

function font(eastAsia: string, latin = FONTS.latin) {
  return { ascii: latin, hAnsi: latin, eastAsia, cs: latin, hint: 'eastAsia' };
}

/**
 * 28 characters of 3号 (16 pt) need 448 pt, the text block is 442 pt wide: each character is
 * drawn 0.3 pt (6 twips) tighter, as Word's own 28-character grid does.
 */
export const BODY_CHAR_SPACING = -6;

function run(text: string, opts: Partial<IRunOptions> = {}): TextRun {
  return new TextRun({ text, font: font(FONTS.body), size: SIZE.body, characterSpacing: BODY_CHAR_SPACING, ...opts });
}

const exact = { line: LINE_TWIPS, lineRule: LineRuleType.EXACT, before: 0, after: 0 };

function bodyParagraph(text: string, opts: Partial<IParagraphOptions> = {}): Paragraph {
  return new Paragraph({
    alignment: AlignmentType.JUSTIFIED,
    spacing: exact,
    // Two characters of 3号: 2 × 320 twips.
    indent: { firstLine: 640 },
    children: [run(text)],
    ...opts,
  });
}

/** The 报头 name shrinks so that a long 栏目 still fits one line (初号 42 pt at most). */
function mastheadSize(name: string): number {
  const perChar = Math.floor(TEXT_WIDTH / 20 / Math.max(1, [...name].length));
  return Math.min(84, Math.max(44, perChar * 2 - 4));
}

function pageNumberFooter(align: 'right' | 'left'): Footer {
  // GB/T 9704 7.5: 一字线 on each side, 4号 半角宋体; odd pages to the right and even pages to
  // the left, each one character in from the edge of the text block.
  return new Footer({
    children: [
      new Paragraph({
        alignment: align === 'right' ? AlignmentType.RIGHT : AlignmentType.LEFT,
        indent: align === 'right' ? { right: 280 } : { left: 280 },
        children: [
          new TextRun({
            children: ['— ', PageNumber.CURRENT, ' —'],
            font: font(FONTS.pageNumber, FONTS.pageNumber),
            size: SIZE.pageNumber,
          }),
        ],
      }),
    ],
  });
}

function masthead(c: BulletinContent): Paragraph[] {
  const name = bulletinMasthead(c.columnName);
  return [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { before: 240, after: 120 },
      children: [new TextRun({ text: name, font: font(FONTS.title), size: mastheadSize(name), color: RED })],
    }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { ...exact, after: 120 },
      children: [run(`第${c.number}期`)],
    }),
    new Paragraph({
      tabStops: [{ type: TabStopType.RIGHT, position: TEXT_WIDTH }],
      spacing: { ...exact, after: 0 },
      border: { bottom: { style: BorderStyle.SINGLE, size: 18, color: RED, space: 6 } },
      children: [run(c.publisher.trim()), new TextRun({ children: [new Tab()], size: SIZE.body }), run(formatIssuedOn(c.issuedOn))],
    }),
  ];
}

function body(c: BulletinContent): Paragraph[] {
  const out: Paragraph[] = [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { before: LINE_TWIPS, after: 0, line: LINE_TWIPS + 100, lineRule: LineRuleType.EXACT },
      children: [new TextRun({ text: printHeadline(c), font: font(FONTS.title), size: SIZE.title })],
    }),
  ];
  // No byline under the headline: the editor is named in the 报尾 (see tail).
  out.push(new Paragraph({ spacing: exact, children: [] }));
  for (const p of [...paragraphsOf(c.lead), ...paragraphsOf(c.summary)]) out.push(bodyParagraph(p));
  if (c.transition.trim()) out.push(bodyParagraph(c.transition.trim()));
  for (const item of c.items) {
    out.push(
      new Paragraph({
        spacing: exact,
        indent: { firstLine: 640 },
        keepNext: true,
        children: [run(item.heading.trim(), { font: font(FONTS.heading) })],
      }),
    );
    for (const p of paragraphsOf(item.body)) out.push(bodyParagraph(p));
  }
  return out;
}

function tail(c: BulletinContent): Paragraph[] {
  const lines = tailLines(c);
  const copies = copiesLine(c.copies);
  const editor = editorLine(c.editor);
  if (!lines.length && !copies && !editor) return [];
  const rule = { style: BorderStyle.SINGLE, size: 6, color: '000000', space: 4 };
  // Rows of the 报尾: 报/送/发 each on a line, then one line with the editor on the left and
  // 共印N份 on the right.
  const rows: { left: string; right: string }[] = lines.map((left) => ({ left, right: '' }));
  if (editor || copies) rows.push({ left: editor ?? '', right: copies ?? '' });
  const inner = TEXT_WIDTH - 560;
  return [
    new Paragraph({ spacing: exact, children: [] }),
    ...rows.map(
      (r, i) =>
        new Paragraph({
          spacing: exact,
          indent: { left: 280, right: 280 },
          tabStops: [{ type: TabStopType.RIGHT, position: inner }],
          keepNext: i < rows.length - 1,
          keepLines: true,
          border: {
            ...(i === 0 ? { top: rule } : {}),
            ...(i === rows.length - 1 ? { bottom: rule } : {}),
          },
          children: [
            run(r.left, { size: SIZE.tail, characterSpacing: 0 }),
            ...(r.right ? [new TextRun({ children: [new Tab()], size: SIZE.tail }), run(r.right, { size: SIZE.tail, characterSpacing: 0 })] : []),
          ],
        }),
    ),
  ];
}

/** The bulletin as a Word document (A4, GB/T 9704 margins, 22 lines of 28 characters). */
export function bulletinDocument(c: BulletinContent): Document {
  return new Document({
    creator: c.publisher.trim() || '学思',
    title: printHeadline(c),
    evenAndOddHeaderAndFooters: true,
    styles: {
      default: {
        document: {
          run: { font: font(FONTS.body), size: SIZE.body, language: { value: 'zh-CN', eastAsia: 'zh-CN' } },
          paragraph: { spacing: exact },
        },
      },
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: PAGE.width, height: PAGE.height },
            margin: {
              top: PAGE.marginTop,
              bottom: PAGE.marginBottom,
              left: PAGE.marginLeft,
              right: PAGE.marginRight,
              header: 851,
              footer: 1134,
            },
          },
          // 22 lines a page: a line grid only. A character grid (linesAndChars) is read differently
          // by LibreOffice, which spread the text to 17 characters a line; the 28 characters come
          // from the runs' character spacing instead (BODY_CHAR_SPACING).
          grid: { type: DocumentGridType.LINES, linePitch: LINE_TWIPS },
        },
        footers: { default: pageNumberFooter('right'), even: pageNumberFooter('left') },
        children: [...masthead(c), ...body(c), ...tail(c)],
      },
    ],
  });
}

export async function bulletinDocxBuffer(c: BulletinContent): Promise<Buffer> {
  return Packer.toBuffer(bulletinDocument(c));
}
