import 'server-only';
import { toXlsx } from '@/lib/roster/export';
import type { RosterPlan } from '@/lib/roster/plan';
import { FIELD_LABELS, type RosterTable } from '@/lib/roster/table';

// 下载错误清单's workbook: every row of the upload as its roster columns, with its problems in a
// column beside it (the rows without problems too, so the fixed sheet can be uploaded whole).
// Built in the roster process (db/queries/roster/worker.ts), like the parse and the plan.

export async function errorSheetOf(table: RosterTable, plan: RosterPlan): Promise<{ bytes: Buffer; errorRows: number }> {
  const byRow = new Map<number, string[]>();
  for (const e of plan.errors) {
    byRow.set(e.row, [...(byRow.get(e.row) ?? []), e.column ? `${e.column}：${e.message}` : e.message]);
  }
  const columns = table.columns;
  const bytes = await toXlsx({
    name: '错误清单',
    columns: [
      ...columns.map((c) => ({ header: FIELD_LABELS[c], width: c === 'title' || c === 'unit' || c === 'course' ? 28 : 14 })),
      { header: '错误', width: 60 },
      { header: '原行号', width: 8 },
    ],
    rows: table.records.map((r) => [...columns.map((c) => r.values[c]), (byRow.get(r.row) ?? []).join('；'), String(r.row)]),
  });
  return { bytes, errorRows: byRow.size };
}
