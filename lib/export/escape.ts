// Cells of files the portal hands out. A cell that begins with = + - @ tab or carriage return is
// what a spreadsheet runs as a formula ("CSV injection"): it gets a leading apostrophe so that it
// opens as the text it is. Every export (roster, audit, tracker) goes through this one rule.

const FORMULA_START = /^[=+\-@\t\r]/u;

export function escapeCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** Content-Disposition for a Chinese file name: an ASCII fallback and the UTF-8 name (RFC 6266). */
export function attachmentDisposition(fileName: string, asciiFallback = fileName): string {
  const ascii = asciiFallback.replace(/[^\x20-\x7e]|["\\]/gu, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
