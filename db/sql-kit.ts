import { type eq, getTableName, is, Placeholder, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { isPostgres } from './dialect';
import type { AnySQLiteColumn } from 'drizzle-orm/sqlite-core';

// Small SQL building blocks every query module uses: paging windows, LIKE patterns with the
// wildcards escaped, and table-qualified columns for correlated subqueries.

export const PAGE_SIZE = 25;

export interface PageDto<T> {
  items: T[];
  total: number;
  page: number;
  pageCount: number;
  pageSize: number;
}

/** The page to show (never past the last) and its offset. */
export function pageWindow(total: number, page: number, pageSize = PAGE_SIZE) {
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const current = Math.min(Math.max(1, page), pageCount);
  return { page: current, pageCount, offset: (current - 1) * pageSize, pageSize };
}

/** A LIKE pattern that matches the text anywhere, with the wildcards in it taken literally. */
export function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/gu, (c) => `\\${c}`)}%`;
}

export function likeAnywhere(column: Parameters<typeof eq>[0], q: string): SQL {
  return sql`${column} like ${likePattern(q)} escape '\\'`;
}

/**
 * A column with its table's name, for correlated subqueries in a select list: drizzle leaves
 * select-list columns of a one-table query unqualified, and an unqualified "id" inside the
 * subquery would name the subquery's own column.
 */
export function qualified(column: AnySQLiteColumn): SQL {
  return sql`${sql.identifier(getTableName(column.table))}.${sql.identifier(column.name)}`;
}

// ---------------------------------------------------------------------------------------------
// Keyset (seek) paging: a deep page starts from the last row of the page before it instead of
// skipping every row before it (OFFSET walks them all). The sort keys always end in a unique
// column (the id), so the order is total and a page boundary neither skips nor repeats a row,
// however many rows tie on the other keys.

export type KeyValue = string | number;

export interface SortKey {
  expr: SQL | AnySQLiteColumn;
  dir: 'asc' | 'desc';
}

/** ORDER BY for the keys, or for their exact mirror when reverse. */
export function orderByKeys(keys: readonly SortKey[], reverse = false): SQL[] {
  return keys.map((k) => ((k.dir === 'asc') !== reverse ? sql`${k.expr} asc` : sql`${k.expr} desc`));
}

/**
 * Rows strictly after the given key values in the keys' order (strictly before when reverse); the
 * values may be sql.placeholder()s of a query prepared once.
 * Keys all in one direction become one row-value comparison, which SQLite answers as a range of
 * an index in that order; mixed directions expand to (k1 > v1) or (k1 = v1 and k2 > v2) …, led by
 * a bound on the first key so that the first key's index still gives a range.
 */
export function keysetAfter(keys: readonly SortKey[], values: readonly (KeyValue | Placeholder | SQL)[], reverse = false): SQL {
  if (keys.length !== values.length || keys.length === 0) throw new Error('keysetAfter: one value per key');
  const forward = (k: SortKey) => (k.dir === 'asc') !== reverse;
  if (keys.every((k) => k.dir === keys[0]!.dir)) {
    const lhs = sql.join(keys.map((k) => sql`${k.expr}`), sql`, `);
    const rhs = sql.join(values.map((v) => sql`${v}`), sql`, `);
    return forward(keys[0]!) ? sql`(${lhs}) > (${rhs})` : sql`(${lhs}) < (${rhs})`;
  }
  const branches = keys.map((k, i) => {
    const equalBefore = keys.slice(0, i).map((p, j) => sql`${p.expr} = ${values[j]}`);
    const cmp = forward(k) ? sql`${k.expr} > ${values[i]}` : sql`${k.expr} < ${values[i]}`;
    return sql.join([...equalBefore, cmp], sql` and `);
  });
  const first = forward(keys[0]!) ? sql`${keys[0]!.expr} >= ${values[0]}` : sql`${keys[0]!.expr} <= ${values[0]}`;
  return sql`(${first} and (${sql.join(branches, sql` or `)}))`;
}

/** A page boundary for a URL: the key values of a row, as base64url JSON. */
export function encodeCursor(values: readonly KeyValue[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

/** The key values of a cursor if it has exactly the given shape; anything else is no cursor. */
export function decodeCursor(raw: unknown, shape: readonly ('string' | 'number')[]): KeyValue[] | null {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 400) return null;
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(values) || values.length !== shape.length) return null;
  const ok = values.every((v, i) => (shape[i] === 'number' ? typeof v === 'number' && Number.isFinite(v) : typeof v === 'string' && v.length <= 200));
  return ok ? (values as KeyValue[]) : null;
}

/** One read of seekPage: rows past `after` (if any) in the keys' order, or its mirror. */
export interface SeekRun {
  after: KeyValue[] | null;
  reverse: boolean;
  limit: number;
  offset: number;
}

/** Where a page starts: after one row, before one row, or at a page number. */
export interface SeekRequest {
  /** the cursor of the last row of the page before */
  after?: unknown;
  /** the cursor of the first row of the page after */
  before?: unknown;
  page: number;
}

export interface SeekPage<R> extends PageDto<R> {
  /** cursors for 上一页 / 下一页, null where there is none */
  prevCursor: string | null;
  nextCursor: string | null;
}

/**
 * One page in keyset order. With a cursor the page is read by seeking (its cost does not grow with
 * how deep it is); the page number travels beside it only to be shown, and is corrected at either
 * end. Without one (a typed or bookmarked page number) the page is read by OFFSET from whichever
 * end of the list is nearer, so the last pages cost what the first ones do.
 * run reads `limit` rows from `offset` in the keys' order (their mirror when reverse), only those
 * strictly past `after` in that direction when it is given (keysetAfter and orderByKeys build that); keyOf gives a row's key values in the keys' order.
 */
export async function seekPage<R>(opts: {
  total: number;
  request: SeekRequest;
  pageSize?: number;
  shape: readonly ('string' | 'number')[];
  run: (page: SeekRun) => Promise<R[]>;
  keyOf: (row: R) => KeyValue[];
}): Promise<SeekPage<R>> {
  const { total, request, shape, run, keyOf } = opts;
  const pageSize = opts.pageSize ?? PAGE_SIZE;
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const after = decodeCursor(request.after, shape);
  const before = after ? null : decodeCursor(request.before, shape);
  const done = (rows: R[], page: number, hasPrev: boolean, hasNext: boolean): SeekPage<R> => ({
    items: rows,
    total,
    page,
    pageCount,
    pageSize,
    prevCursor: hasPrev && rows.length ? encodeCursor(keyOf(rows[0]!)) : null,
    nextCursor: hasNext && rows.length ? encodeCursor(keyOf(rows[rows.length - 1]!)) : null,
  });
  const exists = async (values: KeyValue[], reverse: boolean) => (await run({ after: values, reverse, limit: 1, offset: 0 })).length > 0;

  if (after) {
    const rows = await run({ after, reverse: false, limit: pageSize + 1, offset: 0 });
    if (rows.length > 0) {
      const hasNext = rows.length > pageSize;
      const shown = rows.slice(0, pageSize);
      const hasPrev = await exists(keyOf(shown[0]!), true);
      const page = !hasPrev ? 1 : !hasNext ? pageCount : Math.min(Math.max(2, request.page), Math.max(2, pageCount - 1));
      return done(shown, page, hasPrev, hasNext);
    }
  } else if (before) {
    const rows = await run({ after: before, reverse: true, limit: pageSize + 1, offset: 0 });
    // Fewer than a page before it: that is the first page, read whole from the start.
    if (rows.length > pageSize) {
      const shown = rows.slice(0, pageSize).reverse();
      const hasNext = await exists(keyOf(shown[shown.length - 1]!), false);
      const page = !hasNext ? pageCount : Math.min(Math.max(2, request.page), Math.max(2, pageCount - 1));
      return done(shown, page, true, hasNext);
    }
    return await byOffset(1);
  }
  return await byOffset(Math.min(Math.max(1, request.page), pageCount));

  async function byOffset(page: number): Promise<SeekPage<R>> {
    const offset = (page - 1) * pageSize;
    const end = Math.min(offset + pageSize, total);
    let rows: R[];
    if (offset > total - end) {
      // Nearer the end: the mirror order, skipping the rows after this page.
      rows = (await run({ after: null, reverse: true, limit: Math.max(0, end - offset), offset: total - end })).reverse();
    } else {
      rows = await run({ after: null, reverse: false, limit: pageSize, offset });
    }
    return done(rows, page, page > 1, page < pageCount);
  }
}

// ---------------------------------------------------------------------------------------------
// Issue 16 step 2: spellings that differ between SQLite and PostgreSQL, chosen by the dialect
// when a query is built (db/dialect.ts: a process runs on one database for its whole life, so a
// query built once per key by queryCached or prepared() stays right).

/**
 * `column in (the ids)` with the ids as ONE parameter, so that one statement built once serves any
 * number of ids: `in (select value from json_each(?))` on SQLite, `= any(?)` with an integer array
 * on PostgreSQL. `ids` is the list itself, or a placeholder whose value is `idsValue(list)`.
 */
export function inIds(column: SQLWrapper, ids: readonly number[] | Placeholder): SQL {
  const param = is(ids, Placeholder) ? ids : sql.param(idsValue(ids as readonly number[]));
  return isPostgres() ? sql`${column} = any(${param})` : sql`${column} in (select value from json_each(${param}))`;
}

/** The value of an inIds placeholder: the ids as JSON text on SQLite, as an array on PostgreSQL. */
export function idsValue(ids: readonly number[]): string | number[] {
  return isPostgres() ? [...ids] : JSON.stringify(ids);
}

/** An integer as text, zero-padded to `width` digits (for sorting paths of sort orders as text). */
export function zeroPadded(expr: SQLWrapper, width: number): SQL {
  if (!Number.isInteger(width) || width < 1 || width > 20) throw new Error('zeroPadded: width 1–20');
  return isPostgres() ? sql`lpad(cast(${expr} as text), ${sql.raw(String(width))}, '0')` : sql`printf(${sql.raw(`'%0${width}d'`)}, ${expr})`;
}

/**
 * An instant as a raw SQL value (a `sql\`…\`` parameter or a placeholder's value), which no column
 * encodes: milliseconds on SQLite, where instants are stored so; the Date itself on PostgreSQL,
 * which node-postgres sends as a timestamp with its offset. Drizzle's operators with a column
 * (`gt(col, date)`) encode by themselves and need no help.
 */
export function instant(d: Date): Date | number {
  return isPostgres() ? d : d.getTime();
}


// ---------------------------------------------------------------------------------------------
// Issue 16 step 2, helper s8-pg2 (reflections, review, search, courses, tags …): more spellings.

/**
 * `insert or ignore into <target> <source>` (SQLite) / `insert into <target> <source> on conflict
 * do nothing` (PostgreSQL): rows that would break a unique key are left out.
 */
export function insertOrIgnore(target: SQL, source: SQL): SQL {
  return isPostgres() ? sql`insert into ${target} ${source} on conflict do nothing` : sql`insert or ignore into ${target} ${source}`;
}

// Issue 16 step 2, bulletins / statistics / roster (helper s8-pg3): more spellings per dialect.

/** One field of JSON stored as text, as text: `json_extract(x, '$.key')` / `(x::json ->> 'key')`. */
export function jsonText(expr: SQLWrapper, key: string): SQL {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/u.test(key)) throw new Error('jsonText: a plain key');
  return isPostgres() ? sql`(cast(${expr} as json) ->> ${sql.raw(`'${key}'`)})` : sql`json_extract(${expr}, ${sql.raw(`'$.${key}'`)})`;
}

/** A JSON array of the values, as text (JSON.parse reads it on both): `json_array(…)` / `json_build_array(…)::text`. */
export function jsonArrayText(...exprs: SQLWrapper[]): SQL {
  const list = sql.join(exprs, sql`, `);
  return isPostgres() ? sql`cast(json_build_array(${list}) as text)` : sql`json_array(${list})`;
}

/**
 * The values of a group joined by `separator`: `group_concat(x, sep)` on SQLite, in the order its
 * scan meets them (the index the query walks); `string_agg(x, sep order by …)` on PostgreSQL, in
 * `orderBy`, which a caller gives as that index's order so that both databases list alike.
 */
export function groupConcat(expr: SQLWrapper, separator: string, orderBy?: SQLWrapper): SQL {
  const sep = sql.raw(`'${separator.replaceAll("'", "''")}'`);
  if (!isPostgres()) return sql`group_concat(${expr}, ${sep})`;
  return orderBy ? sql`string_agg(cast(${expr} as text), ${sep} order by ${orderBy})` : sql`string_agg(cast(${expr} as text), ${sep})`;
}

/**
 * How many rows of a group a condition (or a boolean column) holds for: `sum(cond)` on SQLite,
 * where a condition is 0 or 1; `sum(case when cond then 1 else 0 end)` on PostgreSQL, which has
 * no sum of booleans.
 */
export function countWhere(cond: SQLWrapper): SQL {
  return isPostgres() ? sql`sum(case when ${cond} then 1 else 0 end)` : sql`sum(${cond})`;
}

/** SQLite's `indexed by <index>` after a table in FROM; nothing on PostgreSQL, whose planner has no such hint. */
export function indexedBy(index: string): SQL {
  if (!/^[a-z_][a-z0-9_]*$/u.test(index)) throw new Error('indexedBy: an index name');
  return isPostgres() ? sql`` : sql.raw(`indexed by ${index}`);
}
