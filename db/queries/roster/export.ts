import 'server-only';
import { actorOf, writeAudit } from '@/db/audit';
import { preparedMutation } from '@/db/mutation';
import { listAudit } from '@/db/queries/audit';
import { listUsersForExport } from '@/db/queries/users/read';
import { attachment, CSV_TYPE, fileStamp, toCsv, toXlsx, XLSX_TYPE } from '@/lib/roster/export';
import { ROLE_NAMES } from '@/lib/roster/plan';
import { rosterExportSchema } from '@/lib/roster/validation';
import { formatDateTime } from '@/lib/time';
import { exportAuditSchema } from '@/lib/validation/audit';

// Exports of the roster and of the audit log. Each is built before its transaction and audited in
// it, so that a file is handed out exactly when its audit row is written. Admin only.

/** An audit export covers at most this many rows, newest first. */
export const AUDIT_EXPORT_MAX = 20_000;

export const ROSTER_EXPORT_HEADER = ['账号', '姓名', '职务', '单位', '角色', '手机', '状态'];

export type ExportFile = {
  ok: true;
  bytes: Buffer;
  fileName: string;
  contentType: string;
  disposition: string;
  count: number;
};

function cleanFilter(filter: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(filter).filter(([k, v]) => k !== 'page' && k !== 'format' && v !== undefined && v !== ''),
  );
}

/**
 * The accounts the list's filter matches, every page, as .xlsx or .csv with the import's own
 * headers (so an exported file can be edited and imported again). Audited with the filter and count.
 */
export const exportRoster = preparedMutation({
  roles: ['admin'],
  schema: rosterExportSchema,
  async prepare({ viewer }, input) {
    const { format } = input;
    const rows = (await listUsersForExport(viewer, { ...input, page: 1 })).map((u) => [
      u.username,
      u.name,
      u.title,
      u.unitPath,
      ROLE_NAMES[u.role],
      u.phone ?? '',
      u.active ? '正常' : '已停用',
    ]);
    const bytes =
      format === 'csv'
        ? toCsv(ROSTER_EXPORT_HEADER, rows)
        : await toXlsx({
            name: '花名册',
            columns: ROSTER_EXPORT_HEADER.map((header, i) => ({ header, width: [16, 10, 36, 28, 8, 14, 8][i] })),
            rows,
          });
    const fileName = `花名册-${fileStamp(new Date())}.${format}`;
    return {
      ok: true as const,
      bytes,
      fileName,
      contentType: format === 'csv' ? CSV_TYPE : XLSX_TYPE,
      disposition: attachment(fileName, `roster.${format}`),
      count: rows.length,
    };
  },
  async run(tx, { viewer, request }, input, file): Promise<ExportFile> {
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: 'roster.export',
      detail: { format: input.format, count: file.count, filter: cleanFilter(input) },
    });
    return file;
  },
});

function detailText(detail: unknown): string {
  if (detail === null || detail === undefined) return '';
  return typeof detail === 'string' ? detail : JSON.stringify(detail);
}

/**
 * What the audit page shows for a filter, every page (newest first, at most AUDIT_EXPORT_MAX
 * rows), as .xlsx. Read through listAudit so that the file and the page can never disagree.
 */
export const exportAuditLog = preparedMutation({
  roles: ['auditor'],
  schema: exportAuditSchema,
  async prepare({ viewer }, filter) {
    const seen = new Set<number>();
    const rows: string[][] = [];
    let truncated = false;
    let shown: Record<string, unknown> = {};
    for (let page = 1; ; page++) {
      const list = await listAudit(viewer, { ...filter, page: String(page) });
      shown = list.filter;
      for (const r of list.items) {
        if (seen.has(r.id)) continue;
        seen.add(r.id);
        rows.push([
          formatDateTime(r.at),
          r.actorUsername ?? '',
          r.actionLabel,
          r.targetLabel ?? (r.targetType ? `${r.targetType} #${r.targetId ?? ''}` : ''),
          detailText(r.detail),
          r.ip ?? '',
        ]);
      }
      if (rows.length >= AUDIT_EXPORT_MAX) {
        truncated = page < list.pageCount || rows.length > AUDIT_EXPORT_MAX;
        rows.length = Math.min(rows.length, AUDIT_EXPORT_MAX);
        break;
      }
      if (page >= list.pageCount) break;
    }
    const bytes = await toXlsx({
      name: '审计日志',
      columns: [
        { header: '时间', width: 20 },
        { header: '操作人', width: 16 },
        { header: '操作', width: 14 },
        { header: '对象', width: 24 },
        { header: '详情', width: 60 },
        { header: '来源地址', width: 16 },
      ],
      rows,
    });
    const fileName = `审计日志-${fileStamp(new Date())}.xlsx`;
    const file: ExportFile = {
      ok: true,
      bytes,
      fileName,
      contentType: XLSX_TYPE,
      disposition: attachment(fileName, 'audit.xlsx'),
      count: rows.length,
    };
    return { file, shown, truncated };
  },
  async run(tx, { viewer, request }, _filter, { file, shown, truncated }): Promise<ExportFile & { truncated: boolean }> {
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: 'audit.export',
      detail: { format: 'xlsx', count: file.count, filter: shown, truncated: truncated || undefined },
    });
    return { ...file, truncated };
  },
});
