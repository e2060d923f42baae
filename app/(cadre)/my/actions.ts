'use server';

import { revalidatePath } from 'next/cache';
import { submitReflection, type SubmitResult } from '@/db/queries/reflections';
import { fail, invalid, type Failure } from '@/lib/action-result';
import { currentViewer, type Viewer } from '@/lib/auth/viewer';
import { importReflectionFile, type ImportOutcome } from '@/lib/reflection/import';
import { MAX_IMPORT_BYTES } from '@/lib/reflection/limits';
import { SIGNED_OUT_MESSAGE } from '@/lib/reflection/messages';
import { requestInfo } from '@/lib/request';
import { submitReflectionSchema } from '@/lib/validation/reflections';

// The editor calls these with structured input rather than a form post: the text lives in the
// editor's state (and the browser's storage), never in a form that React would reset.
// A signed-out caller gets a value, not a redirect, so that the editor can keep the text and say so.

type WriterCheck = { viewer: Viewer } | { failure: Failure };

async function cadreOrFailure(): Promise<WriterCheck> {
  const viewer = await currentViewer();
  if (!viewer) return { failure: fail('unauthenticated', SIGNED_OUT_MESSAGE) };
  if (viewer.role !== 'cadre' || viewer.mustChangePassword) return { failure: fail('forbidden', '只有学员可以提交心得') };
  return { viewer };
}

export async function submitReflectionAction(input: unknown): Promise<SubmitResult> {
  const who = await cadreOrFailure();
  if ('failure' in who) return who.failure;
  const parsed = submitReflectionSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  const result = submitReflection(who.viewer, parsed.data, await requestInfo());
  if (result.ok) revalidatePath('/my', 'layout');
  return result;
}

export type ImportResult = ImportOutcome | Failure;

/** Reads an uploaded .docx or .txt into text for the editor; stores nothing. */
export async function importReflectionFileAction(form: FormData): Promise<ImportResult> {
  const who = await cadreOrFailure();
  if ('failure' in who) return who.failure;
  const file = form.get('file');
  if (!(file instanceof File)) return fail('invalid', '请选择要导入的文件');
  if (file.size > MAX_IMPORT_BYTES) {
    return fail('too_large', `文件“${file.name}”超过 5 MB,请只保留心得正文后再导入`);
  }
  return importReflectionFile({ name: file.name, bytes: Buffer.from(await file.arrayBuffer()) });
}
