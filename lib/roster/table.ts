import { HEADER_SEARCH_ROWS, MAX_COLUMNS, MAX_DATA_ROWS, MESSAGES } from './limits';

// A sheet as rows of text, whichever format it came from, and the roster columns found in it.

export interface SheetRow {
  /** The row number a person sees in Excel (or the record number in a CSV). */
  number: number;
  cells: string[];
  /** Column indexes (0-based) whose cell was a formula, read as its shown value. */
  formulas?: number[];
}

export const FIELDS = ['username', 'name', 'title', 'unit', 'role', 'phone', 'course', 'group', 'leader', 'columnName', 'publisher'] as const;
export type Field = (typeof FIELDS)[number];

/** The header each field is written under in the files, and in previews and messages. */
export const FIELD_LABELS: Record<Field, string> = {
  username: '账号',
  name: '姓名',
  title: '职务',
  unit: '单位',
  role: '角色',
  phone: '手机',
  course: '读书班',
  group: '小组',
  leader: '组长',
  columnName: '栏目',
  publisher: '编印单位',
};

// Other headers seen on rosters for the same thing. Compared after normalizeHeader().
const ALIASES: Record<Field, string[]> = {
  username: ['账号', '帐号', '用户名', '登录账号', '登录名', 'username', 'account'],
  name: ['姓名', 'name'],
  title: ['职务', '职位', 'title'],
  unit: ['单位', '所在单位', '工作单位', 'unit'],
  role: ['角色', 'role'],
  phone: ['手机', '手机号', '手机号码', '联系电话', 'phone', 'mobile'],
  course: ['读书班', 'course'],
  group: ['小组', '讨论小组', '分组', 'group'],
  // 组长: 是 / √ / 组长 marks the row's person as the leader of their 小组.
  leader: ['组长', '是否组长', 'leader'],
  // A 读书班 the file names and the portal lacks is created with these (the first row that gives them).
  columnName: ['栏目', '栏目名', '简报栏目'],
  publisher: ['编印单位', '主办单位'],
};

const BY_ALIAS = new Map<string, Field>();
for (const f of FIELDS) for (const a of ALIASES[f]) BY_ALIAS.set(a, f);

/** Header names that would be dangerous as object keys anywhere downstream: refused outright. */
const FORBIDDEN_HEADERS = new Set(['__proto__', 'constructor', 'prototype']);

/** 姓名*, 手机(选填), ' 账号 ' and full-width forms all read as the bare name. */
export function normalizeHeader(raw: string): string {
  return raw
    .normalize('NFKC')
    .replace(/[\s\u3000\ufeff]+/gu, '')
    .replace(/^[*]+|[*]+$/gu, '')
    .replace(/\([^)]*\)$/u, '')
    .toLowerCase();
}

export interface RosterRecord {
  row: number;
  /** The trimmed text of each known column; '' when the cell is empty or the column absent. */
  values: Record<Field, string>;
  /** Known columns whose cell was a formula. */
  formulaFields: Field[];
}

export interface RosterTable {
  /** Which of the known columns the file has. */
  columns: Field[];
  /** Headers that are not roster columns, as written; their cells are ignored. */
  unknownColumns: string[];
  headerRow: number;
  records: RosterRecord[];
}

export type TableResult = { ok: true; table: RosterTable } | { ok: false; message: string };

function tryHeader(cells: string[]): Map<Field, number> | null {
  const found = new Map<Field, number>();
  cells.forEach((c, i) => {
    const f = BY_ALIAS.get(normalizeHeader(c));
    if (f && !found.has(f)) found.set(f, i);
  });
  return found.has('username') && found.has('name') ? found : null;
}

/**
 * Finds the header among the first rows (a title row such as 樊城区干部花名册 may sit above it),
 * maps the known columns and turns each later non-empty row into a record.
 */
export function toRosterTable(rows: SheetRow[]): TableResult {
  if (rows.length === 0) return { ok: false, message: MESSAGES.empty };
  let headerAt = -1;
  let header: Map<Field, number> | null = null;
  for (let i = 0; i < Math.min(rows.length, HEADER_SEARCH_ROWS); i++) {
    header = tryHeader((rows[i] as SheetRow).cells);
    if (header) {
      headerAt = i;
      break;
    }
  }
  if (!header || headerAt < 0) return { ok: false, message: MESSAGES.noHeader };
  const headerRow = rows[headerAt] as SheetRow;
  if (headerRow.cells.length > MAX_COLUMNS) return { ok: false, message: MESSAGES.tooManyColumns };

  const seen = new Map<Field, string>();
  const unknownColumns: string[] = [];
  for (const raw of headerRow.cells) {
    const trimmed = raw.normalize('NFKC').trim();
    if (!trimmed) continue;
    if (FORBIDDEN_HEADERS.has(trimmed.toLowerCase()) || FORBIDDEN_HEADERS.has(normalizeHeader(trimmed))) {
      return { ok: false, message: MESSAGES.forbiddenHeader(trimmed) };
    }
    const f = BY_ALIAS.get(normalizeHeader(trimmed));
    if (!f) {
      unknownColumns.push(trimmed);
      continue;
    }
    if (seen.has(f)) return { ok: false, message: MESSAGES.duplicateHeader(FIELD_LABELS[f]) };
    seen.set(f, trimmed);
  }

  const records: RosterRecord[] = [];
  for (const row of rows.slice(headerAt + 1)) {
    if (!row.cells.some((c) => c.trim() !== '')) continue;
    const values = {} as Record<Field, string>;
    const formulaFields: Field[] = [];
    for (const f of FIELDS) {
      const col = header.get(f);
      values[f] = col === undefined ? '' : (row.cells[col] ?? '').trim();
      if (col !== undefined && row.formulas?.includes(col) && values[f] !== '') formulaFields.push(f);
    }
    // A row with text only in unknown columns (a note, a total) is not a person.
    if (FIELDS.every((f) => values[f] === '')) continue;
    records.push({ row: row.number, values, formulaFields });
    if (records.length > MAX_DATA_ROWS) return { ok: false, message: MESSAGES.tooManyRows };
  }
  if (records.length === 0) return { ok: false, message: MESSAGES.noRows };
  return {
    ok: true,
    table: { columns: FIELDS.filter((f) => header.has(f)), unknownColumns, headerRow: headerRow.number, records },
  };
}
