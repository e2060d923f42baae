import 'server-only';
import { assertRole } from '@/lib/auth/guard';
import type { Viewer } from '@/lib/auth/viewer-type';
import { fail, type Failure } from '@/lib/action-result';
import type { RosterFormat } from '@/lib/roster/parse';
import { ROLE_NAMES, type FieldChange, type RowError } from '@/lib/roster/plan';
import type { PlanSummary } from '@/lib/roster/summary';
import { discardPrehash, pendingPrehash, refreshPrehashPlan, startPrehash } from '@/lib/roster/prehash';
import { errorSheetOffThread, planOffThread } from '@/lib/roster/off-thread';
import { discardUpload, loadUpload, saveUpload } from '@/lib/roster/store';
import { FIELD_LABELS, type RosterTable } from '@/lib/roster/table';
import { attachment, XLSX_TYPE } from '@/lib/roster/export';
import { enrollmentText } from './plan';

// 花名册 import, first step: what importing a file would do. Nothing here writes to the database;
// the upload is kept as a file for the commit. Admin only.

export interface PreviewAddDto {
  row: number;
  username: string;
  name: string;
  title: string;
  unitPath: string;
  role: string;
  phone: string;
  course: string;
}

export interface PreviewChangeDto {
  row: number;
  username: string;
  name: string;
  changes: FieldChange[];
}

export interface RosterPreviewDto {
  importId: string;
  digest: string;
  fileName: string;
  format: RosterFormat;
  encoding: string | null;
  allowCreateUnits: boolean;
  counts: { rows: number; add: number; change: number; unchanged: number; errors: number; errorRows: number };
  columns: string[];
  unknownColumns: string[];
  unitsToCreate: string[];
  /** 读书班 to create, with the 栏目 and 编印单位 the file gives (the preview asks for the rest). */
  coursesToCreate: { name: string; columnName: string; publisher: string }[];
  groupsToCreate: { courseName: string; name: string; leader: string }[];
  notes: string[];
  add: PreviewAddDto[];
  change: PreviewChangeDto[];
  unchanged: { row: number; username: string; name: string }[];
  errors: RowError[];
}

export type PreviewResult = { ok: true; preview: RosterPreviewDto } | Failure;

function toPreview(
  importId: string,
  meta: { fileName: string; allowCreateUnits: boolean },
  parsed: { format: RosterFormat; encoding: string | null; columns: RosterTable['columns']; unknownColumns: string[] },
  plan: PlanSummary,
): RosterPreviewDto {
  return {
    importId,
    digest: plan.digest,
    fileName: meta.fileName,
    format: parsed.format,
    encoding: parsed.encoding,
    allowCreateUnits: meta.allowCreateUnits,
    counts: { rows: plan.rows, ...plan.counts },
    columns: parsed.columns.map((c) => FIELD_LABELS[c]),
    unknownColumns: parsed.unknownColumns,
    unitsToCreate: plan.unitsToCreate,
    coursesToCreate: plan.coursesToCreate.map(({ name, columnName, publisher }) => ({ name, columnName, publisher })),
    groupsToCreate: plan.groupsToCreate,
    notes: plan.notes,
    add: plan.add.map((a) => ({
      row: a.row,
      username: a.username,
      name: a.name,
      title: a.title,
      unitPath: a.unitPath ?? '',
      role: ROLE_NAMES[a.role],
      phone: a.phone ?? '',
      course: enrollmentText(a.enroll),
    })),
    change: plan.change.map((c) => ({ row: c.row, username: c.username, name: c.name, changes: c.changes })),
    unchanged: plan.unchanged,
    errors: plan.errors,
  };
}

/**
 * Reads an upload and says what importing it would do; nothing is written to the database. The
 * file is kept (for an hour, readable only by this process) so that the commit reads the same
 * bytes again instead of trusting anything the browser sends back.
 */
export async function previewRosterImport(
  viewer: Viewer,
  input: { fileName: string; bytes: Uint8Array; allowCreateUnits: boolean; prehash?: boolean },
): Promise<PreviewResult> {
  assertRole(viewer, 'admin');
  const fileName = input.fileName.replace(/[\\/]/gu, '_').slice(-120);
  // Parsed and planned in the roster process (lib/roster/off-thread): exceljs takes the better part
  // of a second for 10,000 rows, which on this thread would hold up everyone's pages.
  const planned = await planOffThread({ fileName, bytes: input.bytes, viewerId: viewer.id, allowCreateUnits: input.allowCreateUnits });
  if (!planned.ok) return fail('bad_file', planned.message);
  const result = planned.plan;
  const importId = saveUpload(input.bytes, { ownerId: viewer.id, fileName, allowCreateUnits: input.allowCreateUnits });
  // While the admin reads the preview, the new accounts' one-time passwords are hashed.
  if (input.prehash ?? true) startPrehash(viewer.id, importId, { format: planned.format, plan: result });
  else discardPrehash(viewer.id);
  return { ok: true, preview: toPreview(importId, { fileName, allowCreateUnits: input.allowCreateUnits }, planned, result) };
}

/** The preview of an upload already stored, against the database as it is now. */
export async function previewStoredImport(viewer: Viewer, { importId }: { importId: string }): Promise<PreviewResult> {
  assertRole(viewer, 'admin');
  const upload = loadUpload(importId, viewer.id);
  if (!upload) return fail('not_found', '这次上传已过期或已处理，请重新上传文件');
  const planned = await planOffThread({ fileName: upload.meta.fileName, bytes: upload.bytes, viewerId: viewer.id, allowCreateUnits: upload.meta.allowCreateUnits });
  if (!planned.ok) return fail('bad_file', planned.message);
  const result = planned.plan;
  // Planned afresh: what waits for the commit follows this plan (the hashing goes on when the
  // number of new accounts is the same).
  const waiting = pendingPrehash(viewer.id);
  if (!waiting || waiting.importId !== importId || waiting.count !== result.counts.add || result.counts.errors > 0) {
    startPrehash(viewer.id, importId, { format: planned.format, plan: result });
  } else {
    refreshPrehashPlan(viewer.id, importId, result);
  }
  return { ok: true, preview: toPreview(importId, upload.meta, planned, result) };
}

/**
 * 下载错误清单: every row of the stored upload as its roster columns, with its problems in a
 * column beside it (the rows without problems too, so the fixed sheet can be uploaded whole).
 * Only the admin who uploaded it gets it; cells are escaped like every other export.
 */
export async function rosterErrorSheet(
  viewer: Viewer,
  { importId }: { importId: string },
): Promise<{ ok: true; bytes: Buffer; contentType: string; disposition: string; errorRows: number } | Failure> {
  assertRole(viewer, 'admin');
  const upload = loadUpload(importId, viewer.id);
  if (!upload) return fail('not_found', '这次上传已过期或已处理，请重新上传文件');
  // Parsed, planned and written in the roster process (lib/roster/off-thread).
  const sheet = await errorSheetOffThread({ fileName: upload.meta.fileName, bytes: upload.bytes, viewerId: viewer.id, allowCreateUnits: upload.meta.allowCreateUnits });
  if (!sheet.ok) return fail('bad_file', sheet.message);
  const { errorRows } = sheet;
  const bytes = Buffer.from(sheet.bytes.buffer, sheet.bytes.byteOffset, sheet.bytes.byteLength);
  const base = upload.meta.fileName.replace(/\.[^.]*$/u, '');
  return { ok: true, bytes, contentType: XLSX_TYPE, disposition: attachment(`${base}-错误清单.xlsx`), errorRows };
}

export function cancelRosterImport(viewer: Viewer, { importId }: { importId: string }): { ok: true } {
  assertRole(viewer, 'admin');
  discardUpload(importId, viewer.id);
  discardPrehash(viewer.id, importId);
  return { ok: true };
}
