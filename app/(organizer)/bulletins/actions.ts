'use server';

import { redirect } from 'next/navigation';
import { createBulletin, saveBulletin } from '@/db/queries/bulletins/compose';
import { commitBulletinImport, previewBulletinImport, type ImportPreviewDto } from '@/db/queries/bulletins/import';
import { listBulletinCandidates } from '@/db/queries/bulletins/list';
import { deleteBulletin, publishBulletin, startBulletinCorrection, unpublishBulletin } from '@/db/queries/bulletins/publish';
import { fail, type Failure } from '@/lib/action-result';
import { currentViewer } from '@/lib/auth/viewer';
import { importReflectionFile } from '@/lib/reflection/import';
import { callAction, formAction } from '@/lib/server-action';

// The 简报 pages' actions, each one change through the kernel (db/queries/bulletins/*), which
// checks the role, parses with zod and authorizes by course inside one transaction.

function paths(id?: number): string[] {
  return ['/bulletins', '/my/bulletins', ...(id ? [`/bulletins/${id}`] : [])];
}

export const createBulletinAction = formAction(createBulletin, {
  revalidate: paths(),
  message: '已新建简报',
  then: (result) => redirect(`/bulletins/${result.id}`),
});

/** The compose screen's 保存: the whole draft as JSON. A stale save returns the server's copy. */
export const saveBulletinAction = callAction(saveBulletin, {
  revalidate: (input) => paths(input.id),
  message: '已保存',
  success: (result) => ({ revision: result.revision, bulletin: result.bulletin }),
});

export const searchCandidatesAction = callAction(listBulletinCandidates, {
  message: '',
  success: (result) => ({ items: result.items, total: result.total }),
});

export const publishBulletinAction = formAction(publishBulletin, {
  revalidate: (_input, result) => paths(result.id),
  message: (result) => (result.revisionNo > 1 ? `已发布更正（第 ${result.revisionNo} 版），学员已收到通知` : '已发布，学员已收到通知'),
});

export const startCorrectionAction = formAction(startBulletinCorrection, {
  revalidate: (_input, result) => paths(result.id),
  message: '可以修改了。改好后点“发布更正”；学员在此期间仍看到已发布的版本。',
});

export const unpublishBulletinAction = formAction(unpublishBulletin, {
  revalidate: (_input, result) => paths(result.id),
  message: '已撤回发布，学员不再能看到这期简报',
});

export const deleteBulletinAction = formAction(deleteBulletin, {
  revalidate: paths(),
  message: '已删除',
  then: (result) => redirect(`/bulletins?courseId=${result.courseId}&deleted=1`),
});

export type ImportPreviewState = ({ ok: true; message: string; preview: ImportPreviewDto } | Failure) & { text?: string };

const parseImport = formAction(previewBulletinImport, {
  message: (result) => `识别出 ${result.preview.parsed.items.length} 条发言`,
  success: (result) => ({ preview: result.preview }),
});

/**
 * 解析: pasted text or an uploaded .docx/.txt → the parsed bulletin with roster matches. Reading
 * the upload changes nothing, so it happens here and its text goes to the kernel like pasted
 * text; only for a viewer the kernel would let through, so that nobody else makes us unzip.
 */
export async function previewImportAction(prev: ImportPreviewState | null, form: FormData): Promise<ImportPreviewState> {
  let text = typeof form.get('text') === 'string' ? (form.get('text') as string) : '';
  const file = form.get('file');
  const viewer = await currentViewer();
  const mayImport = !!viewer && !viewer.mustChangePassword && previewBulletinImport.roles.includes(viewer.role);
  if (mayImport && file instanceof File && file.size > 0) {
    const outcome = await importReflectionFile({ name: file.name, bytes: Buffer.from(await file.arrayBuffer()) });
    if (!outcome.ok) return { ...fail(outcome.code, outcome.message), text };
    text = outcome.body;
  }
  const fields = new FormData();
  fields.set('courseId', typeof form.get('courseId') === 'string' ? (form.get('courseId') as string) : '');
  fields.set('text', text);
  return { ...(await parseImport(prev, fields)), text };
}

/** 生成草稿 */
export const commitImportAction = callAction(commitBulletinImport, {
  revalidate: paths(),
  message: '已生成草稿',
  then: (result) => redirect(`/bulletins/${result.id}?imported=1`),
});
