'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import {
  commitBulletinImport,
  createBulletin,
  deleteBulletin,
  listBulletinCandidates,
  previewBulletinImport,
  publishBulletin,
  saveBulletin,
  startBulletinCorrection,
  unpublishBulletin,
  type CandidateDto,
  type ImportPreviewDto,
  type SaveResult,
} from '@/db/queries/bulletins';
import { fail, formFields, formValues, invalid, withValues, type ActionResult, type Failure } from '@/lib/action-result';
import { requireRole } from '@/lib/auth/viewer';
import { importReflectionFile } from '@/lib/reflection/import';
import { requestInfo } from '@/lib/request';
import {
  bulletinIdSchema,
  candidateFilterSchema,
  commitImportSchema,
  courseIdSchema,
  importTextSchema,
  publishBulletinSchema,
  saveBulletinSchema,
  unpublishBulletinSchema,
} from '@/lib/validation/bulletins';

// The 简报 pages' actions: who (requireRole) → what (strict zod) → one transaction in
// db/queries/bulletins (which authorizes again by course) → revalidate → a message.

const fieldsOf = (form: FormData) => formFields(form);

function refresh(id?: number): void {
  revalidatePath('/bulletins');
  revalidatePath('/my/bulletins');
  if (id) revalidatePath(`/bulletins/${id}`);
}

export async function createBulletinAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  const viewer = await requireRole('organizer', 'admin');
  const parsed = courseIdSchema.safeParse(fieldsOf(form));
  if (!parsed.success) return invalid(parsed.error);
  const result = createBulletin(viewer, parsed.data, await requestInfo());
  if (!result.ok) return result;
  refresh();
  redirect(`/bulletins/${result.id}`);
}

/** The compose screen's 保存: the whole draft as JSON. A stale save returns the server's copy. */
export async function saveBulletinAction(payload: unknown): Promise<SaveResult> {
  const viewer = await requireRole('organizer', 'admin');
  const parsed = saveBulletinSchema.safeParse(payload);
  if (!parsed.success) return invalid(parsed.error);
  const result = saveBulletin(viewer, parsed.data, await requestInfo());
  if (result.ok) refresh(parsed.data.id);
  return result;
}

export async function searchCandidatesAction(filter: unknown): Promise<{ ok: true; items: CandidateDto[]; total: number } | Failure> {
  const viewer = await requireRole('organizer', 'admin');
  const parsed = candidateFilterSchema.safeParse(filter);
  if (!parsed.success) return invalid(parsed.error);
  return { ok: true, ...listBulletinCandidates(viewer, parsed.data) };
}

export async function publishBulletinAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  const viewer = await requireRole('organizer', 'admin');
  const parsed = publishBulletinSchema.safeParse(fieldsOf(form));
  if (!parsed.success) return invalid(parsed.error);
  const result = publishBulletin(viewer, parsed.data, await requestInfo());
  if (!result.ok) return result;
  refresh(result.id);
  return { ok: true, message: result.revisionNo && result.revisionNo > 1 ? `已发布更正(第 ${result.revisionNo} 版),学员已收到通知` : '已发布,学员已收到通知' };
}

export async function startCorrectionAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  const viewer = await requireRole('organizer', 'admin');
  const parsed = bulletinIdSchema.safeParse(fieldsOf(form));
  if (!parsed.success) return invalid(parsed.error);
  const result = startBulletinCorrection(viewer, parsed.data, await requestInfo());
  if (!result.ok) return result;
  refresh(result.id);
  return { ok: true, message: '可以修改了。改好后点“发布更正”;学员在此期间仍看到已发布的版本。' };
}

export async function unpublishBulletinAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  const viewer = await requireRole('organizer', 'admin');
  const fields = fieldsOf(form);
  const parsed = unpublishBulletinSchema.safeParse(fields);
  if (!parsed.success) return withValues(invalid(parsed.error), formValues(form));
  const result = unpublishBulletin(viewer, parsed.data, await requestInfo());
  if (!result.ok) return withValues(result, formValues(form));
  refresh(result.id);
  return { ok: true, message: '已撤回发布,学员不再能看到这期简报' };
}

export async function deleteBulletinAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  const viewer = await requireRole('organizer', 'admin');
  const parsed = bulletinIdSchema.safeParse(fieldsOf(form));
  if (!parsed.success) return invalid(parsed.error);
  const result = deleteBulletin(viewer, parsed.data, await requestInfo());
  if (!result.ok) return result;
  refresh();
  redirect(`/bulletins?courseId=${result.courseId ?? ''}&deleted=1`);
}

export type ImportPreviewState = ({ ok: true; message: string; preview: ImportPreviewDto } | Failure) & { text?: string };

/** 解析: pasted text or an uploaded .docx/.txt → the parsed bulletin with roster matches. */
export async function previewImportAction(_: ImportPreviewState | null, form: FormData): Promise<ImportPreviewState> {
  const viewer = await requireRole('organizer', 'admin');
  let text = typeof form.get('text') === 'string' ? (form.get('text') as string) : '';
  const file = form.get('file');
  if (file instanceof File && file.size > 0) {
    const outcome = await importReflectionFile({ name: file.name, bytes: Buffer.from(await file.arrayBuffer()) });
    if (!outcome.ok) return { ...fail(outcome.code, outcome.message), text };
    text = outcome.body;
  }
  if (!text.trim()) return { ...fail('invalid', '请粘贴简报全文,或上传 .docx / .txt 文件', { text: ['请粘贴简报全文'] }), text };
  const parsed = importTextSchema.safeParse({ courseId: form.get('courseId'), text });
  if (!parsed.success) return { ...invalid(parsed.error), text };
  const preview = previewBulletinImport(viewer, parsed.data);
  if (preview.parsed.items.length === 0) {
    return { ...fail('no_items', '没有识别出发言。请确认每条发言以“职务 姓名”单独成行,或写成“职务  姓名:内容”。'), text };
  }
  return { ok: true, message: `识别出 ${preview.parsed.items.length} 条发言`, preview, text };
}

/** 生成草稿 */
export async function commitImportAction(payload: unknown): Promise<Failure> {
  const viewer = await requireRole('organizer', 'admin');
  const parsed = commitImportSchema.safeParse(payload);
  if (!parsed.success) return invalid(parsed.error);
  const result = commitBulletinImport(viewer, parsed.data, await requestInfo());
  if (!result.ok) return result;
  refresh();
  redirect(`/bulletins/${result.id}?imported=1`);
}
