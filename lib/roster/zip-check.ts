import { checkZip, XLSX_LIMITS, type ZipRefusal } from '@/lib/upload/zip-check';
import { MESSAGES } from './limits';

// The roster's .xlsx goes through the one upload check (lib/upload/zip-check.ts) before exceljs
// sees it; this only says each refusal in the roster's words.

export { looksLikeZip, unsafeEntryName } from '@/lib/upload/zip-check';

export type XlsxZipCheck = { ok: true; entries: string[]; unzippedBytes: number } | { ok: false; message: string };

const MESSAGE: Record<ZipRefusal, string> = {
  not_zip: MESSAGES.xlsxNotZip,
  missing_part: MESSAGES.xlsxNotZip,
  corrupt: MESSAGES.zipCorrupt,
  entries: MESSAGES.zipEntries,
  too_large: MESSAGES.zipTooLarge,
  ratio: MESSAGES.zipRatio,
  unsafe_name: MESSAGES.zipUnsafeName,
  encrypted: MESSAGES.zipEncrypted,
};

/** Checks an .xlsx before exceljs unpacks it; the refusal in Chinese. */
export function checkXlsxZip(bytes: Uint8Array): XlsxZipCheck {
  const check = checkZip(bytes, XLSX_LIMITS);
  return check.ok ? check : { ok: false, message: MESSAGE[check.reason] };
}
