import { type eq, getTableName, sql, type SQL } from 'drizzle-orm';
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
