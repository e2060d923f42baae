import { attachmentDisposition, escapeCell } from '@/lib/export/escape';
import { shanghaiParts } from '@/lib/time';
import { writeXlsx, type SheetSpec } from './xlsx';
import { sheetOffThread } from './off-thread';

// Files the portal hands out (roster, audit log, password sheet), every cell escaped by the one
// rule in lib/export/escape.ts.

export { escapeCell };

function csvField(value: string): string {
  return /[",\r\n]/u.test(value) ? `"${value.replace(/"/gu, '""')}"` : value;
}

/**
 * CSV as Excel on Chinese Windows opens it without asking: UTF-8 with a BOM, CRLF line ends,
 * RFC 4180 quoting, every cell escaped.
 */
export function toCsv(header: string[], rows: string[][]): Buffer {
  const lines = [header, ...rows].map((r) => r.map((c) => csvField(escapeCell(c))).join(','));
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8')]);
}

/**
 * One sheet of text cells, every cell escaped: here, or in the roster process with the writing
 * (`offThread`: 40,000 cells of a password sheet are then neither escaped nor copied on this thread).
 */
export function toXlsx(sheet: SheetSpec, opts: { offThread?: boolean } = {}): Promise<Buffer> {
  if (opts.offThread) return sheetOffThread([sheet]);
  return writeXlsx([{ ...sheet, rows: sheet.rows.map((r) => r.map(escapeCell)) }]);
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV_TYPE = 'text/csv; charset=utf-8';

/** Content-Disposition for a Chinese file name, with an ASCII fallback. */
export const attachment = attachmentDisposition;

/** 20200509-0930 in Asia/Shanghai, for file names. */
export function fileStamp(d: Date): string {
  const p = shanghaiParts(d);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${p.year}${two(p.month)}${two(p.day)}-${two(p.hour)}${two(p.minute)}`;
}
