import iconv from 'iconv-lite';
import { MESSAGES } from './limits';
import type { SheetRow } from './table';

// CSV as Chinese offices produce it: Excel on Chinese Windows saves "CSV (逗号分隔)" in GBK
// (read here as GB18030, its superset), "CSV UTF-8" with a BOM, other tools UTF-8 without one;
// Excel's "Unicode 文本" is UTF-16 with tabs.

export type Decoded = { ok: true; text: string; encoding: string } | { ok: false; message: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeText(bytes: Uint8Array): Decoded {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let text: string;
  let encoding: string;
  if (buf[0] === 0xff && buf[1] === 0xfe) {
    text = iconv.decode(buf.subarray(2), 'utf-16le');
    encoding = 'UTF-16LE';
  } else if (buf[0] === 0xfe && buf[1] === 0xff) {
    text = iconv.decode(buf.subarray(2), 'utf-16be');
    encoding = 'UTF-16BE';
  } else {
    if (buf.includes(0)) return { ok: false, message: MESSAGES.csvNotText };
    const body = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? buf.subarray(3) : buf;
    try {
      text = utf8.decode(body);
      encoding = body === buf ? 'UTF-8' : 'UTF-8 (BOM)';
    } catch {
      if (body !== buf) return { ok: false, message: MESSAGES.csvEncoding };
      text = iconv.decode(buf, 'gb18030');
      encoding = 'GB18030';
    }
  }
  if (text.includes('\0')) return { ok: false, message: MESSAGES.csvNotText };
  return { ok: true, text, encoding };
}

export type ParsedCsv = { ok: true; rows: SheetRow[] } | { ok: false; message: string };

/**
 * RFC 4180 records: quoted fields may hold the delimiter, "" and line breaks; CRLF, LF and CR all
 * end a record. The delimiter is a comma, or a tab when the first line has tabs and no comma.
 * Empty records are skipped; `number` is the record's position counting from 1, as a row in Excel.
 * Stops with a refusal once more than maxRecords non-empty records have been read.
 */
export function parseCsv(text: string, maxRecords: number): ParsedCsv {
  const firstLine = text.slice(0, text.search(/[\r\n]|$/u));
  const delimiter = !firstLine.includes(',') && firstLine.includes('\t') ? '\t' : ',';
  const rows: SheetRow[] = [];
  let record: string[] = [];
  let field = '';
  let inQuotes = false;
  let quotedStartRecord = 0;
  let recordNo = 1;
  let i = 0;
  const n = text.length;

  const endRecord = (): boolean => {
    record.push(field);
    field = '';
    if (record.some((c) => c.trim() !== '')) {
      rows.push({ number: recordNo, cells: record });
      if (rows.length > maxRecords) return false;
    }
    record = [];
    recordNo += 1;
    return true;
  };

  while (i < n) {
    const ch = text[i] as string;
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        inQuotes = false;
        i += 1;
        continue;
      }
      // Copy a run of ordinary characters at once: quoted fields can be long.
      const next = text.indexOf('"', i);
      const stop = next < 0 ? n : next;
      field += text.slice(i, stop);
      i = stop;
      continue;
    }
    if (ch === '"' && field === '') {
      inQuotes = true;
      quotedStartRecord = recordNo;
      i += 1;
    } else if (ch === delimiter) {
      record.push(field);
      field = '';
      i += 1;
    } else if (ch === '\r' || ch === '\n') {
      if (!endRecord()) return { ok: false, message: MESSAGES.tooManyRows };
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += ch;
      i += 1;
    }
  }
  if (inQuotes) return { ok: false, message: MESSAGES.csvQuote(quotedStartRecord) };
  if (field !== '' || record.length > 0) {
    if (!endRecord()) return { ok: false, message: MESSAGES.tooManyRows };
  }
  return { ok: true, rows };
}
