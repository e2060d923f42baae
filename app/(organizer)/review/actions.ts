'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { addCommentBankEntry, deleteCommentBankEntry } from '@/db/queries/comment-bank';
import { addInternalNote, decideReflection, nextPendingReflection, setReflectionExcellent, type CurrentState } from '@/db/queries/review';
import {
  applyTagByName,
  createTag,
  deleteTag,
  mergeTags,
  renameTag,
  setTagOnReflections,
} from '@/db/queries/tags';
import { echoFields, formFields, invalid, withValues, type ActionResult, type Failure } from '@/lib/action-result';
import { requireRole } from '@/lib/auth/viewer';
import { requestInfo } from '@/lib/request';
import {
  applyTagByNameSchema,
  bulkTagSchema,
  commentBankAddSchema,
  commentBankIdSchema,
  createTagSchema,
  decideSchema,
  filterQuery,
  internalNoteSchema,
  mergeTagsSchema,
  renameTagSchema,
  reviewFilterSchema,
  setExcellentSchema,
  tagIdSchema,
} from '@/lib/validation/review';

// The review desk's actions: who (requireRole) → what (zod) → one transaction in db/queries,
// which authorizes again and scopes by course → revalidate → a message. A refused form gets back
// what was typed. A decision on a reflection that moved on comes back as 'stale' with its current
// state, for the page to show.

export type ReviewActionResult = ActionResult | (Failure & { current: CurrentState });

const LIST_FIELDS = ['reflectionIds'];
const fieldsOf = (form: FormData) => formFields(form, LIST_FIELDS);
const echo = echoFields;



function refresh(reflectionId?: number): void {
  revalidatePath('/review');
  if (reflectionId) revalidatePath(`/review/${reflectionId}`);
}

/** The queue's filter as the detail page carried it (a query string), parsed leniently. */
function filterFrom(raw: string | string[] | undefined) {
  const params = new URLSearchParams(typeof raw === 'string' ? raw : '');
  return reviewFilterSchema.parse(Object.fromEntries(params.entries()));
}

// ---------------------------------------------------------------------------------------------
// Decisions

export async function decideAction(_: ReviewActionResult | null, form: FormData): Promise<ReviewActionResult> {
  const viewer = await requireRole('organizer', 'admin');
  const fields = fieldsOf(form);
  const parsed = decideSchema.safeParse(fields);
  if (!parsed.success) return withValues(invalid(parsed.error), echo(fields));
  const result = decideReflection(viewer, parsed.data, await requestInfo());
  if (!result.ok) return { ...result, values: echo(fields) };
  refresh(parsed.data.reflectionId);
  const filter = filterFrom(fields.filter);
  const q = filterQuery(filter);
  const amp = q ? '&' : '';
  if (fields.intent === 'next') {
    const next = nextPendingReflection(viewer, { filter, afterId: parsed.data.reflectionId });
    redirect(next ? `/review/${next}?${q}${amp}decided=${parsed.data.decision}` : `/review?${q}${amp}done=all`);
  }
  // The page shows the decision that now stands; the form it was made in is gone.
  redirect(`/review/${parsed.data.reflectionId}?${q}${amp}done=${parsed.data.decision}`);
}

export async function setExcellentAction(_: ReviewActionResult | null, form: FormData): Promise<ReviewActionResult> {
  const viewer = await requireRole('organizer', 'admin');
  const parsed = setExcellentSchema.safeParse(fieldsOf(form));
  if (!parsed.success) return invalid(parsed.error);
  const result = setReflectionExcellent(viewer, parsed.data, await requestInfo());
  if (!result.ok) return result;
  refresh(parsed.data.reflectionId);
  return { ok: true, message: result.excellent ? '已标为优秀' : '已取消优秀' };
}

export async function addNoteAction(_: ReviewActionResult | null, form: FormData): Promise<ReviewActionResult> {
  const viewer = await requireRole('organizer', 'admin');
  const fields = fieldsOf(form);
  const parsed = internalNoteSchema.safeParse(fields);
  if (!parsed.success) return withValues(invalid(parsed.error), echo(fields));
  const result = addInternalNote(viewer, parsed.data, await requestInfo());
  if (!result.ok) return { ...result, values: echo(fields) };
  refresh(parsed.data.reflectionId);
  return { ok: true, message: '内部备注已保存(学员看不到)' };
}

// ---------------------------------------------------------------------------------------------
// Tags

export async function createTagAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  const viewer = await requireRole('organizer', 'admin');
  const fields = fieldsOf(form);
  const parsed = createTagSchema.safeParse(fields);
  if (!parsed.success) return withValues(invalid(parsed.error), echo(fields));
  const result = createTag(viewer, parsed.data, await requestInfo());
  if (!result.ok) return withValues(result, echo(fields));
  revalidatePath('/review/tags');
  refresh();
  return { ok: true, message: `已新建标签“${parsed.data.name}”` };
}

export async function renameTagAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  const viewer = await requireRole('organizer', 'admin');
  const fields = fieldsOf(form);
  const parsed = renameTagSchema.safeParse(fields);
  if (!parsed.success) return withValues(invalid(parsed.error), echo(fields));
  const result = renameTag(viewer, parsed.data, await requestInfo());
  if (!result.ok) return withValues(result, echo(fields));
  revalidatePath('/review/tags');
  refresh();
  return { ok: true, message: `已改名为“${parsed.data.name}”` };
}

export async function mergeTagsAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  const viewer = await requireRole('organizer', 'admin');
  const fields = fieldsOf(form);
  const parsed = mergeTagsSchema.safeParse(fields);
  if (!parsed.success) return withValues(invalid(parsed.error), echo(fields));
  const result = mergeTags(viewer, parsed.data, await requestInfo());
  if (!result.ok) return withValues(result, echo(fields));
  revalidatePath('/review/tags');
  refresh();
  return { ok: true, message: '标签已合并' };
}

export async function deleteTagAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  const viewer = await requireRole('organizer', 'admin');
  const parsed = tagIdSchema.safeParse(fieldsOf(form));
  if (!parsed.success) return invalid(parsed.error);
  const result = deleteTag(viewer, parsed.data, await requestInfo());
  if (!result.ok) return result;
  revalidatePath('/review/tags');
  refresh();
  return { ok: true, message: '标签已删除' };
}

export async function bulkTagAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  const viewer = await requireRole('organizer', 'admin');
  const fields = fieldsOf(form);
  const parsed = bulkTagSchema.safeParse(fields);
  if (!parsed.success) return withValues(invalid(parsed.error), echo(fields));
  const result = setTagOnReflections(viewer, parsed.data, await requestInfo());
  if (!result.ok) return withValues(result, echo(fields));
  refresh();
  const verb = parsed.data.op === 'apply' ? '加上' : '去掉';
  const skipped = result.skipped ? `;${result.skipped} 篇不属于这个标签的读书班,已跳过` : '';
  return { ok: true, message: `已为 ${result.changed} 篇心得${verb}标签${skipped}` };
}

export async function applyTagByNameAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  const viewer = await requireRole('organizer', 'admin');
  const fields = fieldsOf(form);
  const parsed = applyTagByNameSchema.safeParse(fields);
  if (!parsed.success) return withValues(invalid(parsed.error), echo(fields));
  const result = applyTagByName(viewer, parsed.data, await requestInfo());
  if (!result.ok) return withValues(result, echo(fields));
  refresh(parsed.data.reflectionId);
  revalidatePath('/review/tags');
  return { ok: true, message: `已加标签“${parsed.data.name}”` };
}

export async function removeTagAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  const viewer = await requireRole('organizer', 'admin');
  const fields = fieldsOf(form);
  const parsed = bulkTagSchema.safeParse({ ...fields, op: 'remove' });
  if (!parsed.success) return invalid(parsed.error);
  const result = setTagOnReflections(viewer, parsed.data, await requestInfo());
  if (!result.ok) return result;
  for (const id of parsed.data.reflectionIds) refresh(id);
  return { ok: true, message: '标签已去掉' };
}

// ---------------------------------------------------------------------------------------------
// 评语库

export async function addCommentBankAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  const viewer = await requireRole('organizer', 'admin');
  const fields = fieldsOf(form);
  const parsed = commentBankAddSchema.safeParse(fields);
  if (!parsed.success) return withValues(invalid(parsed.error), echo(fields));
  addCommentBankEntry(viewer, parsed.data, await requestInfo());
  revalidatePath('/review/comments');
  return { ok: true, message: '已加入评语库' };
}

export async function deleteCommentBankAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  const viewer = await requireRole('organizer', 'admin');
  const parsed = commentBankIdSchema.safeParse(fieldsOf(form));
  if (!parsed.success) return invalid(parsed.error);
  deleteCommentBankEntry(viewer, parsed.data, await requestInfo());
  revalidatePath('/review/comments');
  return { ok: true, message: '已从评语库删除' };
}
