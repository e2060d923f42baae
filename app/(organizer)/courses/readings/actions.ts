'use server';

import { setReadingText } from '@/db/queries/reading-texts';
import { fail, type Failure } from '@/lib/action-result';
import { currentViewer } from '@/lib/auth/viewer';
import { MAX_READING_CHARS } from '@/lib/readings/split';
import { importReflectionFile, type ImportOutcome } from '@/lib/reflection/import';
import { MAX_IMPORT_BYTES } from '@/lib/reflection/limits';
import { SIGNED_OUT_MESSAGE } from '@/lib/reflection/messages';
import { formAction } from '@/lib/server-action';

// 篇目原文: saving a reading's text, and reading a .docx/.doc/.wps/.txt into the form first.

export const setReadingTextAction = formAction(setReadingText, {
  revalidate: (input) => ['/courses/readings', `/courses/readings/${input.id}/text`, '/my'],
  message: (r) => `原文已保存，共 ${r.sections} 个章节`,
});

export type ReadingFileResult = ImportOutcome | Failure;

/** Reads an uploaded file into the text box of the reading's text form; stores nothing. */
export async function readReadingFileAction(form: FormData): Promise<ReadingFileResult> {
  const viewer = await currentViewer();
  if (!viewer) return fail('unauthenticated', SIGNED_OUT_MESSAGE);
  if (viewer.mustChangePassword) return fail('must_change_password', '请先修改初始密码');
  if (viewer.role !== 'organizer' && viewer.role !== 'admin') return fail('forbidden', '只有组织者可以导入篇目原文');
  const file = form.get('file');
  if (!(file instanceof File)) return fail('invalid', '请选择要导入的文件');
  if (file.size > MAX_IMPORT_BYTES) return fail('too_large', `文件“${file.name}”超过 5 MB`);
  return importReflectionFile({ name: file.name, bytes: Buffer.from(await file.arrayBuffer()) }, undefined, MAX_READING_CHARS);
}
