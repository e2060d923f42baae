'use server';

import { revalidatePath } from 'next/cache';
import { authorOf } from '@/db/queries/reading-texts';
import { submitReflection } from '@/db/queries/reflections/submit';
import { fail, type Failure } from '@/lib/action-result';
import { currentViewer } from '@/lib/auth/viewer';
import { importReflectionFile, type ImportOutcome } from '@/lib/reflection/import';
import { MAX_IMPORT_BYTES } from '@/lib/reflection/limits';
import { SIGNED_OUT_MESSAGE } from '@/lib/reflection/messages';
import { callAction } from '@/lib/server-action';

// The editor calls these with structured input rather than a form post: the text lives in the
// editor's state (and the browser's storage), never in a form that React would reset.
// A signed-out caller gets a value, not a redirect, so that the editor can keep the text and say so.

/** Hands the reflection in as a new version; a retry with the same submitKey hands in nothing more. */
export const submitReflectionAction = callAction(submitReflection, {
  message: (r) => (r.repeated ? `这篇心得已经提交过（第 ${r.version} 版）` : `已提交（第 ${r.version} 版）`),
  success: (r) => r,
  // The list, the assignment page and its versions all show the new state.
  then: () => revalidatePath('/my', 'layout'),
});

export type ImportResult = ImportOutcome | Failure;

/** Reads an uploaded .docx or .txt into text for the editor; stores nothing, so it needs no transaction. */
export async function importReflectionFileAction(form: FormData): Promise<ImportResult> {
  const viewer = await currentViewer();
  if (!viewer) return fail('unauthenticated', SIGNED_OUT_MESSAGE);
  if (viewer.mustChangePassword) return fail('must_change_password', '请先修改初始密码');
  if (viewer.role !== 'cadre') return fail('forbidden', '只有学员可以导入心得');
  const file = form.get('file');
  if (!(file instanceof File)) return fail('invalid', '请选择要导入的文件');
  if (file.size > MAX_IMPORT_BYTES) {
    return fail('too_large', `文件“${file.name}”超过 5 MB，请只保留心得正文后再导入`);
  }
  return importReflectionFile({ name: file.name, bytes: Buffer.from(await file.arrayBuffer()) }, authorOf(viewer));
}
