import 'server-only';
import { fail, type Failure } from '@/lib/action-result';
import { assertRole } from '@/lib/auth/guard';
import type { Viewer } from '@/lib/auth/viewer-type';
import { attachment, XLSX_TYPE } from '@/lib/roster/export';
import { listPasswordSheets, takePasswordSheet } from '@/lib/roster/store';

// The one-time password sheet of an import: one download, for the admin who imported. It lives
// as a file beside the database, never in it.

export type DownloadResult = { ok: true; bytes: Buffer; fileName: string; contentType: string; disposition: string } | Failure;

/** The password sheet, once; only for the admin who imported. */
export function takeRosterPasswordSheet(viewer: Viewer, { token }: { token: string }): DownloadResult {
  assertRole(viewer, 'admin');
  const sheet = takePasswordSheet(token, viewer.id);
  if (!sheet) return fail('not_found', '初始密码表已下载过或已过期（只能下载一次，保留 1 小时）');
  return {
    ok: true,
    bytes: sheet.bytes,
    fileName: sheet.meta.fileName,
    contentType: XLSX_TYPE,
    disposition: attachment(sheet.meta.fileName, 'passwords.xlsx'),
  };
}

/** Sheets from this admin's imports of the last hour that were never downloaded. */
export function listPendingPasswordSheets(viewer: Viewer): { token: string; count: number; createdAt: Date }[] {
  assertRole(viewer, 'admin');
  return listPasswordSheets(viewer.id).map((s) => ({ token: s.token, count: s.count, createdAt: new Date(s.createdAt) }));
}
