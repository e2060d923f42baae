import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { MAX_DATA_ROWS, MESSAGES } from './limits';
import type { SheetRow } from './table';
import { checkXlsxZip } from './zip-check';

// Reading and writing .xlsx with exceljs. Reading is only ever done after checkXlsxZip has
// accepted the bytes. Formulas are never evaluated: a formula cell reads as the value Excel saved
// with it (what the sender saw), or as its source text when there is none.

type CellValue = ExcelJS.CellValue;

function two(n: number): string {
  return String(n).padStart(2, '0');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** A cell's value as the text a person sees, and whether it was a formula. */
export function cellText(value: CellValue): { text: string; formula: boolean } {
  if (value === null || value === undefined) return { text: '', formula: false };
  if (typeof value === 'string') return { text: value, formula: false };
  if (typeof value === 'number') {
    // 13812345678 typed as a number must not come back as 1.3812345678e10.
    return { text: Number.isInteger(value) ? BigInt(value).toString() : String(value), formula: false };
  }
  if (typeof value === 'boolean') return { text: value ? 'TRUE' : 'FALSE', formula: false };
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return { text: '', formula: false };
    return {
      text: `${value.getUTCFullYear()}-${two(value.getUTCMonth() + 1)}-${two(value.getUTCDate())}`,
      formula: false,
    };
  }
  if (isRecord(value)) {
    if ('formula' in value || 'sharedFormula' in value) {
      const result = (value as { result?: unknown }).result;
      if (result !== undefined && result !== null) {
        return { text: cellText(result as CellValue).text, formula: true };
      }
      const source = (value as { formula?: unknown; sharedFormula?: unknown }).formula ?? (value as { sharedFormula?: unknown }).sharedFormula;
      return { text: typeof source === 'string' ? `=${source}` : '', formula: true };
    }
    if ('richText' in value && Array.isArray(value.richText)) {
      return { text: value.richText.map((r: { text?: unknown }) => (typeof r.text === 'string' ? r.text : '')).join(''), formula: false };
    }
    if ('text' in value) {
      const t = (value as { text: unknown }).text;
      return { text: typeof t === 'string' ? t : cellText(t as CellValue).text, formula: false };
    }
    if ('error' in value && typeof value.error === 'string') return { text: value.error, formula: false };
  }
  return { text: '', formula: false };
}

export type SheetRead = { ok: true; rows: SheetRow[] } | { ok: false; message: string };

/**
 * The first visible worksheet that has data, as rows of text. Refuses files the zip check refuses,
 * files exceljs cannot read, and sheets with more than `maxRows` non-empty rows.
 */
export async function readXlsxRows(bytes: Uint8Array, maxRows = MAX_DATA_ROWS + 20): Promise<SheetRead> {
  const zip = checkXlsxZip(bytes);
  if (!zip.ok) return zip;
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ExcelJS.Buffer);
  } catch {
    return { ok: false, message: MESSAGES.xlsxUnreadable };
  }
  const sheet = workbook.worksheets.find((w) => w.state !== 'hidden' && w.state !== 'veryHidden' && w.actualRowCount > 0);
  if (!sheet) return { ok: false, message: workbook.worksheets.length ? MESSAGES.empty : MESSAGES.noSheet };
  if (sheet.actualRowCount > maxRows) return { ok: false, message: MESSAGES.tooManyRows };

  const rows: SheetRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    const formulas: number[] = [];
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      const { text, formula } = cellText(cell.value);
      cells[col - 1] = text;
      if (formula) formulas.push(col - 1);
    });
    for (let i = 0; i < cells.length; i++) cells[i] ??= '';
    rows.push({ number: rowNumber, cells, formulas: formulas.length ? formulas : undefined });
  });
  return { ok: true, rows };
}

export interface SheetSpec {
  name: string;
  columns: { header: string; width?: number }[];
  rows: string[][];
}

/**
 * An .xlsx with one sheet per spec: a bold header row, frozen, every cell written as text
 * (escape cells with escapeCell first when they come from people).
 */
export async function writeXlsx(sheets: SheetSpec[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '学思';
  for (const spec of sheets) {
    const ws = workbook.addWorksheet(spec.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = spec.columns.map((c) => ({ header: c.header, width: c.width ?? 16 }));
    ws.getRow(1).font = { bold: true };
    for (const r of spec.rows) ws.addRow(r);
  }
  const out = await workbook.xlsx.writeBuffer();
  return Buffer.from(out as ArrayBuffer);
}

/**
 * The same workbook through exceljs's streaming writer, for a big sheet (the password sheet of a
 * 10,000-account import): rows go out as they are added, without the shared-strings table, which
 * takes about a third less CPU. Excel and WPS open either. Run in the roster process
 * (lib/roster/off-thread), where exceljs is loaded already.
 */
export async function writeXlsxStreamed(sheets: SheetSpec[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const stream = new PassThrough();
  stream.on('data', (c: Buffer) => chunks.push(c));
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useSharedStrings: false, useStyles: true });
  workbook.creator = '学思';
  for (const spec of sheets) {
    const ws = workbook.addWorksheet(spec.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = spec.columns.map((c) => ({ header: c.header, width: c.width ?? 16 }));
    ws.getRow(1).font = { bold: true };
    for (const r of spec.rows) ws.addRow(r).commit();
    ws.commit();
  }
  await workbook.commit();
  return Buffer.concat(chunks);
}
