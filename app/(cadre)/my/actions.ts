'use server';

import { revalidatePath } from 'next/cache';
import { authorOf } from '@/db/queries/reading-texts';
import { redirect } from 'next/navigation';
import { saveDraft } from '@/db/queries/reflections/drafts';
import { submitReflection } from '@/db/queries/reflections/submit';
import { withdrawReflection } from '@/db/queries/reflections/withdraw';
import { fail, type Failure } from '@/lib/action-result';
import { currentViewer } from '@/lib/auth/viewer';
import { importReflectionFile, type ImportOutcome } from '@/lib/reflection/import';
import { MAX_IMPORT_BYTES } from '@/lib/reflection/limits';
import { SIGNED_OUT_MESSAGE } from '@/lib/reflection/messages';
import { formatDateTime } from '@/lib/time';
import { callAction, formAction } from '@/lib/server-action';

// The editor calls these with structured input rather than a form post: the text lives in the
// editor's state (and the browser's storage), never in a form that React would reset.
// A signed-out caller gets a value, not a redirect, so that the editor can keep the text and say so.

/**
 * Hands the reflection in as a new version; a retry with the same submitKey hands in nothing more.
 * It revalidates nothing: the pages under /my are rendered per request, so the next visit shows
 * the new state, and a revalidation would send a render of the whole editor page back with every
 * submission (seconds each when a deadline brings a hundred at once). The editor shows 已提交
 * from this small result instead.
 */
export const submitReflectionAction = callAction(submitReflection, {
  message: (r) => (r.repeated ? `这篇心得已经提交过（第 ${r.version} 版）` : `已提交（第 ${r.version} 版）`),
  success: (r) => ({
    version: r.version,
    revision: r.revision,
    status: r.status,
    late: r.late,
    repeated: r.repeated,
    when: formatDateTime(new Date(r.submittedAt)),
  }),
});

/** The pages that show one assignment's state to its author: the list and the assignment page. */
function changedPaths(assignmentId: number) {
  revalidatePath('/my');
  revalidatePath(`/my/assignments/${assignmentId}`);
}

/** 撤回: back to editing while nobody has decided on it; the versions stay. */
export const withdrawReflectionAction = formAction(withdrawReflection, {
  message: (r) => `已撤回第 ${r.version} 版，可以修改后重新提交`,
  then: (_r, input) => {
    changedPaths(input.assignmentId);
    redirect(`/my/assignments/${input.assignmentId}?withdrawn=1`);
  },
});

// The editor without scripts (a weak connection in WeChat's browser): a plain form posted to
// these two. The fields are what the scripted editor sends; a ticked 承诺 box sends "on".
function plainEditorInput(f: Record<string, string | string[]>) {
  return {
    assignmentId: f.assignmentId,
    title: f.title ?? '',
    body: f.body ?? '',
    readingIds: f.readingIds ?? [],
    baseRevision: f.baseRevision,
    ...(f.submitKey !== undefined ? { submitKey: f.submitKey, declaration: f.declaration === 'on' } : {}),
  };
}

/** Saves the plain form's text as the draft. */
export const saveDraftFormAction = formAction(saveDraft, {
  lists: ['readingIds'],
  input: (f) => {
    const { assignmentId, title, body, readingIds, baseRevision } = plainEditorInput(f);
    return { assignmentId, title, body, readingIds, baseRevision };
  },
  message: '草稿已保存',
  then: (_r, input) => changedPaths(input.assignmentId),
});

/** Hands the plain form's text in; the page then shows it as submitted. */
export const submitReflectionFormAction = formAction(submitReflection, {
  lists: ['readingIds'],
  input: plainEditorInput,
  message: (r) => (r.repeated ? `这篇心得已经提交过（第 ${r.version} 版）` : `已提交（第 ${r.version} 版）`),
  then: (r, input) => {
    changedPaths(input.assignmentId);
    redirect(`/my/assignments/${input.assignmentId}?submitted=${r.version}`);
  },
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
  return importReflectionFile({ name: file.name, bytes: Buffer.from(await file.arrayBuffer()) }, await authorOf(viewer));
}
