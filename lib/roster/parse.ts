import { decodeText, parseCsv } from './csv';
import { MAX_DATA_ROWS, MAX_FILE_BYTES, MESSAGES } from './limits';
import { toRosterTable, type RosterTable, type SheetRow } from './table';
import { looksLikeZip } from './zip-check';
import { readXlsxRows } from './xlsx';

export type RosterFormat = 'xlsx' | 'csv';

export type ParseResult =
  | { ok: true; format: RosterFormat; encoding: string | null; table: RosterTable }
  | { ok: false; message: string };

/** The format a file name claims, or null when it is neither .xlsx nor .csv. */
export function formatOfName(fileName: string): RosterFormat | null {
  const m = /\.([a-z0-9]+)$/iu.exec(fileName.trim());
  const ext = m?.[1]?.toLowerCase();
  return ext === 'xlsx' ? 'xlsx' : ext === 'csv' ? 'csv' : null;
}

function isOleCompound(b: Uint8Array): boolean {
  // .xls, .doc and other Office 97–2003 files.
  return b.length >= 8 && b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0;
}

/**
 * Reads a roster upload into records, refusing with a Chinese message anything over the limits
 * or whose bytes are not what its name says. Nothing here touches the database.
 */
export async function parseRosterFile(fileName: string, bytes: Uint8Array): Promise<ParseResult> {
  const format = formatOfName(fileName);
  if (!format) return { ok: false, message: MESSAGES.badExtension };
  if (bytes.byteLength === 0) return { ok: false, message: MESSAGES.empty };
  if (bytes.byteLength > MAX_FILE_BYTES) return { ok: false, message: MESSAGES.tooLarge };
  if (isOleCompound(bytes)) return { ok: false, message: MESSAGES.xlsOld };

  let rows: SheetRow[];
  let encoding: string | null = null;
  if (format === 'xlsx') {
    if (!looksLikeZip(bytes)) return { ok: false, message: MESSAGES.xlsxNotZip };
    const read = await readXlsxRows(bytes);
    if (!read.ok) return read;
    rows = read.rows;
  } else {
    if (looksLikeZip(bytes)) return { ok: false, message: MESSAGES.csvIsXlsx };
    const decoded = decodeText(bytes);
    if (!decoded.ok) return decoded;
    encoding = decoded.encoding;
    // A few rows of title and header above the data are allowed for.
    const parsed = parseCsv(decoded.text, MAX_DATA_ROWS + 20);
    if (!parsed.ok) return parsed;
    rows = parsed.rows;
  }
  const table = toRosterTable(rows);
  if (!table.ok) return table;
  return { ok: true, format, encoding, table: table.table };
}
