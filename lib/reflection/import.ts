import 'server-only';
import iconv from 'iconv-lite';
import mammoth from 'mammoth';
import { countChars } from '@/lib/text/char-count';
import { checkOle } from '@/lib/upload/ole-check';
import { checkZip, DOCX_LIMITS, looksLikeOle, looksLikeZip } from '@/lib/upload/zip-check';
import { recogniseHeading, type Author } from './heading';
import { IMPORT_KINDS_TEXT, MAX_BODY_CHARS, MAX_IMPORT_BYTES } from './limits';
import { extractWord97Text } from './word97';

// Turns an uploaded .docx, .doc, .wps or .txt into the editor's 正文: one paragraph a line. The file's name
// is checked against what its bytes are, so that a renamed file gets a message that says what
// it really is instead of a page of mojibake.

export type ImportOutcome =
  | {
      ok: true;
      body: string;
      paragraphs: number;
      charCount: number;
      fileName: string;
      /** A recognised title (lib/reflection/heading.ts), '' when none; then body is without it and the byline. */
      title: string;
      byline: string;
      /** The whole text as in the file, for undoing the recognition. */
      fullBody: string;
    }
  | { ok: false; code: 'too_large' | 'empty' | 'unsupported' | 'mismatch' | 'unreadable' | 'too_long'; message: string };


function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot).toLowerCase();
}

/** Paragraphs without their indents or blank lines between them, joined one a line. */
export function toParagraphs(text: string): string[] {
  return text
    .replace(/\r\n?/gu, '\n')
    .split('\n')
    .map((line) => line.replace(/^[\s\u3000\u00a0\ufeff]+|[\s\u3000\u00a0\ufeff]+$/gu, ''))
    .filter((line) => line.length > 0);
}

/** Decodes a text file: UTF-8 with or without BOM, UTF-16 with BOM, else GB18030 (Windows 记事本's ANSI). */
export function decodeText(buf: Buffer): string {
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
    return new TextDecoder('utf-8').decode(buf.subarray(3));
  }
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return iconv.decode(buf.subarray(2), 'utf-16le');
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return iconv.decode(buf.subarray(2), 'utf-16be');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    return iconv.decode(buf, 'gb18030');
  }
}

/** True when decoded text reads as text: no NULs, hardly any control characters or undecodable bytes. */
export function looksLikeText(text: string): boolean {
  if (text.includes('\u0000')) return false;
  let bad = 0;
  let total = 0;
  for (const ch of text) {
    total += 1;
    if (ch === '\ufffd' || /[\u0001-\u0008\u000b\u000e-\u001f\u007f]/u.test(ch)) bad += 1;
  }
  return total === 0 || bad / total < 0.01;
}

function finish(paragraphs: string[], fileName: string, author?: Author, maxChars = MAX_BODY_CHARS): ImportOutcome {
  if (paragraphs.length === 0) return { ok: false, code: 'empty', message: `文件“${fileName}”里没有文字` };
  const fullBody = paragraphs.join('\n');
  if (fullBody.length > maxChars) {
    return { ok: false, code: 'too_long', message: `文件“${fileName}”的文字过多（超过 ${maxChars} 个字符），请只导入正文` };
  }
  const heading = author ? recogniseHeading(paragraphs, author) : { title: '', byline: '', body: fullBody };
  const body = heading.body;
  const count = body ? body.split('\n').length : 0;
  return { ok: true, body, paragraphs: count, charCount: countChars(body), fileName, title: heading.title, byline: heading.byline, fullBody };
}

async function importDocx(buf: Buffer, fileName: string, author?: Author, maxChars?: number): Promise<ImportOutcome> {
  const notDocx: ImportOutcome = {
    ok: false,
    code: 'mismatch',
    message: `文件“${fileName}”不是有效的 Word 文档（.docx）。如果是用其他软件另存的，请在 Word 或 WPS 中打开后另存为 .docx 再导入`,
  };
  if (looksLikeOle(buf)) {
    return {
      ok: false,
      code: 'mismatch',
      message: `文件“${fileName}”的扩展名是 .docx，内容却是旧版 Word 文档（.doc），请把扩展名改回 .doc 后再导入`,
    };
  }
  // mammoth only ever sees bytes the zip check accepted (docs: lib/upload/zip-check.ts).
  const check = checkZip(buf, DOCX_LIMITS);
  if (!check.ok) {
    if (check.reason === 'too_large' || check.reason === 'ratio' || check.reason === 'entries') {
      return { ok: false, code: 'too_long', message: `文件“${fileName}”解压后过大，已拒绝；请只保留心得正文后再导入` };
    }
    if (check.reason === 'encrypted') {
      return { ok: false, code: 'unreadable', message: `文件“${fileName}”已加密，请取消密码保护后再导入` };
    }
    return notDocx;
  }
  let text: string;
  try {
    // Raw text gives each paragraph (and each table cell) on its own, separated by blank lines.
    text = (await mammoth.extractRawText({ buffer: buf })).value;
  } catch {
    return notDocx;
  }
  return finish(toParagraphs(text), fileName, author, maxChars);
}

/** .doc and .wps: an OLE compound document, checked (lib/upload/ole-check.ts) before word-extractor reads it. */
async function importWord97(buf: Buffer, fileName: string, ext: string, author?: Author, maxChars?: number): Promise<ImportOutcome> {
  const unreadable: ImportOutcome = {
    ok: false,
    code: 'unreadable',
    message: `文件“${fileName}”无法读取，可能已损坏；请在 Word 或 WPS 中打开后另存为 .docx 再导入`,
  };
  if (looksLikeZip(buf)) {
    return { ok: false, code: 'mismatch', message: `文件“${fileName}”的扩展名是 ${ext}，内容却是 .docx 文档，请把扩展名改为 .docx 后再导入` };
  }
  if (!looksLikeOle(buf)) {
    return { ok: false, code: 'mismatch', message: `文件“${fileName}”不是有效的 Word 或 WPS 文档（${ext}），请确认文件类型后再导入` };
  }
  const check = checkOle(buf);
  if (!check.ok) {
    if (check.reason === 'too_large' || check.reason === 'entries') {
      return { ok: false, code: 'too_long', message: `文件“${fileName}”声明的内容过大，已拒绝；请另存为 .docx 后再导入` };
    }
    return unreadable;
  }
  const text = await extractWord97Text(buf);
  if (text === null) return unreadable;
  return finish(toParagraphs(text), fileName, author, maxChars);
}

function importTxt(buf: Buffer, fileName: string, author?: Author, maxChars?: number): ImportOutcome {
  const notText: ImportOutcome = {
    ok: false,
    code: 'mismatch',
    message: `文件“${fileName}”不是纯文本文件，请确认文件类型后再导入`,
  };
  if (looksLikeZip(buf)) {
    return {
      ok: false,
      code: 'mismatch',
      message: `文件“${fileName}”的扩展名是 .txt，内容却像 Word 文档（.docx），请把扩展名改回 .docx 后再导入`,
    };
  }
  if (looksLikeOle(buf)) return notText;
  const text = decodeText(buf);
  if (!looksLikeText(text)) return notText;
  return finish(toParagraphs(text), fileName, author, maxChars);
}

/**
 * Reads an uploaded file into the 正文; never throws for a bad file, only for a bug. With the
 * author, a first-line title and the author's byline are recognised (lib/reflection/heading.ts).
 */
export async function importReflectionFile(
  file: { name: string; bytes: Buffer },
  author?: Author,
  maxChars = MAX_BODY_CHARS,
): Promise<ImportOutcome> {
  const fileName = file.name.slice(0, 120) || '未命名文件';
  if (file.bytes.length > MAX_IMPORT_BYTES) {
    return { ok: false, code: 'too_large', message: `文件“${fileName}”超过 5 MB，请只保留心得正文后再导入` };
  }
  if (file.bytes.length === 0) return { ok: false, code: 'empty', message: `文件“${fileName}”是空的` };
  const ext = extensionOf(fileName);
  if (ext === '.docx') return importDocx(file.bytes, fileName, author, maxChars);
  if (ext === '.txt') return importTxt(file.bytes, fileName, author, maxChars);
  if (ext === '.doc' || ext === '.wps') return importWord97(file.bytes, fileName, ext, author, maxChars);
  return { ok: false, code: 'unsupported', message: `只能导入 ${IMPORT_KINDS_TEXT} 文件` };
}
