import 'server-only';
import { getDb } from '@/db';
import { assertRole } from '@/lib/auth/guard';
import type { Viewer } from '@/lib/auth/viewer-type';
import { fail, type Failure } from '@/lib/action-result';
import { PREVIEW_ERRORS_MAX, PREVIEW_LIST_MAX } from '@/lib/roster/limits';
import { parseRosterFile, type RosterFormat } from '@/lib/roster/parse';
import { ROLE_NAMES, type FieldChange, type RosterPlan, type RowError } from '@/lib/roster/plan';
import { discardUpload, loadUpload, saveUpload } from '@/lib/roster/store';
import { FIELD_LABELS, type RosterTable } from '@/lib/roster/table';
import { enrollmentText, planAgainst } from './plan';

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
  parsed: { format: RosterFormat; encoding: string | null; table: RosterTable },
  plan: RosterPlan,
): RosterPreviewDto {
  return {
    importId,
    digest: plan.digest,
    fileName: meta.fileName,
    format: parsed.format,
    encoding: parsed.encoding,
    allowCreateUnits: meta.allowCreateUnits,
    counts: {
      rows: plan.rows,
      add: plan.add.length,
      change: plan.change.length,
      unchanged: plan.unchanged.length,
      errors: plan.errors.length,
      errorRows: new Set(plan.errors.map((e) => e.row)).size,
    },
    columns: parsed.table.columns.map((c) => FIELD_LABELS[c]),
    unknownColumns: parsed.table.unknownColumns,
    unitsToCreate: plan.unitsToCreate,
    notes: plan.notes,
    add: plan.add.slice(0, PREVIEW_LIST_MAX).map((a) => ({
      row: a.row,
      username: a.username,
      name: a.name,
      title: a.title,
      unitPath: a.unitPath ?? '',
      role: ROLE_NAMES[a.role],
      phone: a.phone ?? '',
      course: enrollmentText(a.enroll),
    })),
    change: plan.change.slice(0, PREVIEW_LIST_MAX).map((c) => ({ row: c.row, username: c.username, name: c.name, changes: c.changes })),
    unchanged: plan.unchanged.slice(0, PREVIEW_LIST_MAX),
    errors: plan.errors.slice(0, PREVIEW_ERRORS_MAX),
  };
}

/**
 * Reads an upload and says what importing it would do; nothing is written to the database. The
 * file is kept (for an hour, readable only by this process) so that the commit reads the same
 * bytes again instead of trusting anything the browser sends back.
 */
export async function previewRosterImport(
  viewer: Viewer,
  input: { fileName: string; bytes: Uint8Array; allowCreateUnits: boolean },
): Promise<PreviewResult> {
  assertRole(viewer, 'admin');
  const fileName = input.fileName.replace(/[\\/]/gu, '_').slice(-120);
  const parsed = await parseRosterFile(fileName, input.bytes);
  if (!parsed.ok) return fail('bad_file', parsed.message);
  const result = planAgainst(getDb(), viewer, parsed.table, input.allowCreateUnits);
  const importId = saveUpload(input.bytes, { ownerId: viewer.id, fileName, allowCreateUnits: input.allowCreateUnits });
  return { ok: true, preview: toPreview(importId, { fileName, allowCreateUnits: input.allowCreateUnits }, parsed, result) };
}

/** The preview of an upload already stored, against the database as it is now. */
export async function previewStoredImport(viewer: Viewer, { importId }: { importId: string }): Promise<PreviewResult> {
  assertRole(viewer, 'admin');
  const upload = loadUpload(importId, viewer.id);
  if (!upload) return fail('not_found', '这次上传已过期或已处理,请重新上传文件');
  const parsed = await parseRosterFile(upload.meta.fileName, upload.bytes);
  if (!parsed.ok) return fail('bad_file', parsed.message);
  const result = planAgainst(getDb(), viewer, parsed.table, upload.meta.allowCreateUnits);
  return { ok: true, preview: toPreview(importId, upload.meta, parsed, result) };
}

export function cancelRosterImport(viewer: Viewer, { importId }: { importId: string }): { ok: true } {
  assertRole(viewer, 'admin');
  discardUpload(importId, viewer.id);
  return { ok: true };
}
