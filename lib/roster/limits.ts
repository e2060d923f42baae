import { XLSX_LIMITS } from '@/lib/upload/zip-check';

// What a roster file may be. Each limit is checked before the work it protects, and each refusal
// says in Chinese what to do about it; a refused file changes nothing.

export const MAX_FILE_BYTES = 5 * 1024 * 1024;
export const MAX_DATA_ROWS = 20_000;
/** The header is looked for among the first rows, so that a title row above it does no harm. */
export const HEADER_SEARCH_ROWS = 10;
export const MAX_COLUMNS = 200;

/** An .xlsx is a zip: these bound what unpacking it may cost before exceljs sees it. */
export const MAX_ZIP_ENTRIES = XLSX_LIMITS.maxEntries;
export const MAX_UNZIPPED_BYTES = XLSX_LIMITS.maxUnzippedBytes;

/** Uploaded files and password sheets live this long in the data directory at most. */
export const TEMP_FILE_TTL_MS = 60 * 60 * 1000;

/** How many rows of each kind a preview carries back to the browser; the counts are always whole. */
export const PREVIEW_LIST_MAX = 500;
export const PREVIEW_ERRORS_MAX = 1_000;

export const MB = 1024 * 1024;

export const MESSAGES = {
  empty: '文件是空的',
  tooLarge: `文件超过 ${MAX_FILE_BYTES / MB} MB，请分成几个文件导入`,
  tooManyRows: `文件超过 ${MAX_DATA_ROWS.toLocaleString('en-US')} 行，请分成几个文件导入`,
  badExtension: '只能导入 .xlsx 或 .csv 文件',
  xlsxNotZip: '文件内容不是 .xlsx 格式（可能是改了扩展名的其他文件），请在 Excel 中“另存为”.xlsx 后再导入',
  xlsOld: '这是旧版 Excel（.xls）文件，请在 Excel 中“另存为”.xlsx 后再导入',
  csvIsXlsx: '文件内容是 .xlsx，扩展名却是 .csv，请把扩展名改回 .xlsx 后再导入',
  csvNotText: '文件内容不是文本，不是有效的 .csv 文件',
  csvEncoding: '无法识别文件的文字编码，请在 Excel 中“另存为”CSV UTF-8 后再导入',
  csvQuote: (row: number) => `CSV 第 ${row} 行的引号没有闭合，请检查文件`,
  zipEntries: `.xlsx 文件内部条目过多（超过 ${MAX_ZIP_ENTRIES} 个），已拒绝`,
  zipTooLarge: `.xlsx 文件解压后超过 ${MAX_UNZIPPED_BYTES / MB} MB，已拒绝`,
  zipRatio: '.xlsx 文件内部的压缩比异常（可能是压缩炸弹），已拒绝',
  zipUnsafeName: '.xlsx 文件内部含有不安全的路径，已拒绝',
  zipEncrypted: '.xlsx 文件已加密，请取消密码保护后再导入',
  zipCorrupt: '.xlsx 文件已损坏，无法读取',
  xlsxUnreadable: '无法读取这个 .xlsx 文件，请在 Excel 中重新保存后再导入',
  noSheet: '文件里没有工作表',
  noHeader: '找不到表头：第一行（或前几行中的一行）应包含“账号”和“姓名”两列',
  tooManyColumns: `列数超过 ${MAX_COLUMNS}，请删去多余的列`,
  forbiddenHeader: (h: string) => `表头“${h}”不允许使用，请改名后再导入`,
  duplicateHeader: (h: string) => `表头“${h}”出现了不止一次，请只保留一列`,
  noRows: '表头下面没有数据行',
} as const;
