import { countChars } from '@/lib/text/char-count';
import { attachmentDisposition } from '@/lib/export/escape';

// A bulletin's content as every view and export reads it: the compose screen's preview, the print
// view, the .docx, plain text and the WeChat copy. No React and no database here, so that the
// exports, the importer's round trip and the benchmark all share one definition.

export interface BulletinItemContent {
  /** "{职务} {姓名}" as it stood when added; editable */
  heading: string;
  authorName: string;
  authorTitle: string;
  /** The bulletin's excerpt, one paragraph a line. */
  body: string;
}

export interface BulletinContent {
  courseName: string;
  /** 栏目, e.g. 书记读书班 */
  columnName: string;
  number: number;
  /** The web and 公众号 title: 【栏目】{course}简报（第N期） */
  title: string;
  /**
   * The article headline printed under the red 报头; '' (or absent, in snapshots published before
   * it existed) derives one with printHeadline.
   */
  headline?: string;
  /** The meeting most of the items were written for, to derive the headline from. */
  meetingTitle?: string;
  editor: string;
  /** yyyy-mm-dd */
  issuedOn: string;
  publisher: string;
  lead: string;
  summary: string;
  transition: string;
  items: BulletinItemContent[];
  reportTo: string;
  sendTo: string;
  issueTo: string;
  copies: number;
}

export const DEFAULT_TRANSITION = '现将学员讨论发言情况整理如下：';

/** The number to suggest for a course's next bulletin: one past the highest so far. */
export function nextBulletinNumber(existing: readonly number[]): number {
  return existing.reduce((max, n) => Math.max(max, n), 0) + 1;
}

/** 【栏目】{course}简报（第N期）; without a 栏目 the brackets are left out. */
export function defaultBulletinTitle({ columnName, courseName, number }: { columnName: string; courseName: string; number: number }): string {
  const column = columnName.trim() ? `【${columnName.trim()}】` : '';
  return `${column}${courseName.trim()}简报（第${number}期）`;
}

/** The web-style title's marks: 【栏目】 at the start, （第N期） or 第N期 at the end, 简报 before it. */
const WEB_TITLE = /^(?:【[^】]*】)?(.*?)(?:简报)?\s*[（(]?\s*第\s*[0-9一二三四五六七八九十百零〇两]+\s*期\s*[）)]?$/u;

/**
 * The article headline under the red 报头. The 报头 already carries the bulletin's name and
 * 期号, so the headline says what this issue is about: "{会议}交流发言摘编" from the meeting the
 * items came from; without a meeting, a title that is already an article headline is kept, and a
 * web-style title loses its 【栏目】, 简报 and 期号.
 */
export function defaultHeadline({ meetingTitle, title, courseName }: { meetingTitle?: string; title: string; courseName: string }): string {
  const meeting = meetingTitle?.trim();
  if (meeting) return `${meeting}交流发言摘编`;
  const t = title.trim();
  const web = WEB_TITLE.exec(t);
  if (!t || web) {
    const subject = (web?.[1] ?? '').trim() || courseName.trim();
    return subject ? `${subject}学员交流发言摘编` : '学员交流发言摘编';
  }
  return t;
}

/** The headline the print view and the .docx show: the bulletin's own, or the derived default. */
export function printHeadline(c: Pick<BulletinContent, 'headline' | 'meetingTitle' | 'title' | 'courseName'>): string {
  return c.headline?.trim() || defaultHeadline(c);
}

/** The name in the red 报头: the 栏目 followed by 简报 (书记读书班简报). */
export function bulletinMasthead(columnName: string): string {
  const c = columnName.trim() || '读书班';
  return c.endsWith('简报') ? c : `${c}简报`;
}

/** 2020-05-09 → 2020年5月9日 (a calendar day, no time zone involved). */
export function formatIssuedOn(ymd: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/u.exec(ymd);
  if (!m) return ymd;
  return `${Number(m[1])}年${Number(m[2])}月${Number(m[3])}日`;
}

/** "{职务} {姓名}", or the name alone when there is no 职务. */
export function itemHeading(authorTitle: string, authorName: string): string {
  const t = authorTitle.trim();
  return t ? `${t} ${authorName.trim()}` : authorName.trim();
}

/** Paragraphs of a text field: one a line, indents and blank lines dropped. */
export function paragraphsOf(text: string): string[] {
  return text
    .replace(/\r\n?/gu, '\n')
    .split('\n')
    .map((l) => l.replace(/^[\s\u3000\u00a0\ufeff]+|[\s\u3000\u00a0\ufeff]+$/gu, ''))
    .filter((l) => l.length > 0);
}

/** 字数 per item and for the whole bulletin (lead, summary, transition and items). */
export function bulletinCharCounts(content: Pick<BulletinContent, 'lead' | 'summary' | 'transition' | 'items'>): {
  items: number[];
  itemsTotal: number;
  total: number;
} {
  const items = content.items.map((i) => countChars(i.body));
  const itemsTotal = items.reduce((a, b) => a + b, 0);
  const headings = content.items.reduce((a, i) => a + countChars(i.heading), 0);
  return { items, itemsTotal, total: itemsTotal + headings + countChars(content.lead) + countChars(content.summary) + countChars(content.transition) };
}

/** The 报尾 lines that have text, in order 报 / 送 / 发. */
export function tailLines(content: Pick<BulletinContent, 'reportTo' | 'sendTo' | 'issueTo'>): string[] {
  const out: string[] = [];
  if (content.reportTo.trim()) out.push(`报：${content.reportTo.trim()}`);
  if (content.sendTo.trim()) out.push(`送：${content.sendTo.trim()}`);
  if (content.issueTo.trim()) out.push(`发：${content.issueTo.trim()}`);
  return out;
}

export function copiesLine(copies: number): string | null {
  return copies > 0 ? `（共印${copies}份）` : null;
}

/** On paper the editor is named in the 报尾's last line, left of 共印, not as a byline. */
export function editorLine(editor: string): string | null {
  return editor.trim() ? `编辑：${editor.trim()}` : null;
}

/**
 * The bulletin as plain text in the web style: title, byline, date, lead, summary, transition,
 * then each item's heading line followed by its paragraphs, then the 报尾. Paragraphs are
 * separated by blank lines, which is how it pastes into e-mail and chat and how the importer
 * reads it back.
 */
export function toPlainText(c: BulletinContent): string {
  const blocks: string[] = [c.title.trim()];
  if (c.editor.trim()) blocks.push(c.editor.trim());
  blocks.push(formatIssuedOn(c.issuedOn));
  blocks.push(...paragraphsOf(c.lead), ...paragraphsOf(c.summary));
  if (c.transition.trim()) blocks.push(c.transition.trim());
  for (const item of c.items) {
    blocks.push(item.heading.trim(), ...paragraphsOf(item.body));
  }
  const tail = tailLines(c);
  const copies = copiesLine(c.copies);
  if (tail.length || copies) blocks.push([...tail, ...(copies ? [copies] : [])].join('\n'));
  return `${blocks.join('\n\n')}\n`;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/gu, (ch) => HTML_ESCAPES[ch] ?? ch);
}

// The WeChat editor keeps inline styles on <section>/<p>/<strong> and drops classes, <style>
// and scripts, so everything is inline and nothing else is used.
const W = {
  wrap: 'margin:0;padding:0;font-size:16px;line-height:1.75;color:#333;letter-spacing:0.5px;',
  title: 'margin:0 0 12px;text-align:center;font-size:20px;font-weight:bold;line-height:1.5;color:#c00000;',
  meta: 'margin:0 0 16px;text-align:center;font-size:14px;color:#888;',
  p: 'margin:0 0 12px;text-indent:2em;text-align:justify;',
  heading: 'margin:20px 0 8px;font-weight:bold;color:#c00000;',
  tail: 'margin:24px 0 0;padding-top:8px;border-top:1px solid #ccc;font-size:14px;color:#666;',
};

/** An HTML copy for the WeChat official-account editor: inline styles only, no scripts, all text escaped. */
export function toWechatHtml(c: BulletinContent): string {
  const p = (text: string, style = W.p) => `<p style="${style}">${escapeHtml(text)}</p>`;
  const parts: string[] = [];
  parts.push(p(c.title.trim(), W.title));
  const meta = [c.editor.trim(), formatIssuedOn(c.issuedOn)].filter(Boolean).join(' ');
  parts.push(p(meta, W.meta));
  for (const para of [...paragraphsOf(c.lead), ...paragraphsOf(c.summary)]) parts.push(p(para));
  if (c.transition.trim()) parts.push(p(c.transition.trim()));
  for (const item of c.items) {
    parts.push(`<p style="${W.heading}"><strong>${escapeHtml(item.heading.trim())}</strong></p>`);
    for (const para of paragraphsOf(item.body)) parts.push(p(para));
  }
  const tail = [...tailLines(c), ...(copiesLine(c.copies) ? [copiesLine(c.copies) as string] : [])];
  if (tail.length) parts.push(`<section style="${W.tail}">${tail.map((t) => p(t, 'margin:0;')).join('')}</section>`);
  return `<section style="${W.wrap}">${parts.join('')}</section>`;
}

/** A file name for downloads: the title without characters that file systems refuse. */
export function bulletinFileName(c: Pick<BulletinContent, 'title' | 'number' | 'columnName'>, ext: string): string {
  const base = (c.title.trim() || `${bulletinMasthead(c.columnName)}第${c.number}期`).replace(/[\\/:*?"<>|\u0000-\u001f]/gu, '').slice(0, 80);
  return `${base}.${ext}`;
}

/** Content-Disposition with a UTF-8 file name and an ASCII fallback. */
export function contentDisposition(fileName: string): string {
  return attachmentDisposition(fileName);
}
