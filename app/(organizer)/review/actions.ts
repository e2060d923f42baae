'use server';

import { redirect } from 'next/navigation';
import { addCommentBankEntry, deleteCommentBankEntry } from '@/db/queries/comment-bank';
import { addInternalNote, decideReflection, setReflectionExcellent, type StaleFailure } from '@/db/queries/review/decisions';
import { nextPendingReflection } from '@/db/queries/review/queue';
import { applyTagByName, createTag, deleteTag, mergeTags, renameTag, setTagOnReflections } from '@/db/queries/tags';
import type { ActionResult } from '@/lib/action-result';
import { formAction } from '@/lib/server-action';
import { filterQuery, reviewFilterSchema } from '@/lib/validation/review';

// The review desk's actions over the mutation kernel. A decision on a reflection that moved on
// comes back as 'stale' with its current state (the `current` field passes through unchanged),
// for the page to show instead of overwriting it.

export type ReviewActionResult = ActionResult | StaleFailure;

const TAGS = ['/review/tags', '/review'];
const reviewOf = (reflectionId: number) => ['/review', `/review/${reflectionId}`];

// ---------------------------------------------------------------------------------------------
// Decisions

/** 保存 goes back to the decision that now stands; 保存并下一篇 to the next one still to review. */
export const decideAction = formAction(decideReflection, {
  revalidate: (input) => reviewOf(input.reflectionId),
  message: '已保存',
  async then(_result, input, viewer) {
    const params = Object.fromEntries(new URLSearchParams(input.filter ?? ''));
    const q = filterQuery(reviewFilterSchema.parse(params));
    const amp = q ? '&' : '';
    if (input.intent === 'next') {
      const next = await nextPendingReflection(viewer, { filter: params, afterId: input.reflectionId });
      redirect(next ? `/review/${next}?${q}${amp}decided=${input.decision}` : `/review?${q}${amp}done=all`);
    }
    redirect(`/review/${input.reflectionId}?${q}${amp}done=${input.decision}`);
  },
});

export const setExcellentAction = formAction(setReflectionExcellent, {
  revalidate: (input) => reviewOf(input.reflectionId),
  message: (result) => (result.excellent ? '已标为优秀' : '已取消优秀'),
});

export const addNoteAction = formAction(addInternalNote, {
  revalidate: (input) => reviewOf(input.reflectionId),
  message: '内部备注已保存（学员看不到）',
});

// ---------------------------------------------------------------------------------------------
// Tags

export const createTagAction = formAction(createTag, {
  revalidate: TAGS,
  message: (_result, input) => `已新建标签“${input.name}”`,
});

export const renameTagAction = formAction(renameTag, {
  revalidate: TAGS,
  message: (_result, input) => `已改名为“${input.name}”`,
});

export const mergeTagsAction = formAction(mergeTags, { revalidate: TAGS, message: '标签已合并' });

export const deleteTagAction = formAction(deleteTag, { revalidate: TAGS, message: '标签已删除' });

export const bulkTagAction = formAction(setTagOnReflections, {
  lists: ['reflectionIds'],
  revalidate: ['/review'],
  message: (result, input) => {
    const verb = input.op === 'apply' ? '加上' : '去掉';
    const skipped = result.skipped ? `；${result.skipped} 篇不属于这个标签的读书班，已跳过` : '';
    return `已为 ${result.changed} 篇心得${verb}标签${skipped}`;
  },
});

export const applyTagByNameAction = formAction(applyTagByName, {
  revalidate: (input) => [...reviewOf(input.reflectionId), '/review/tags'],
  message: (_result, input) => `已加标签“${input.name}”`,
});

/** The × on a tag of the detail page: the bulk change, always taking off. */
export const removeTagAction = formAction(setTagOnReflections, {
  lists: ['reflectionIds'],
  input: (fields) => ({ ...fields, op: 'remove' }),
  revalidate: (input) => ['/review', ...input.reflectionIds.map((id) => `/review/${id}`)],
  message: '标签已去掉',
});

// ---------------------------------------------------------------------------------------------
// 评语库

export const addCommentBankAction = formAction(addCommentBankEntry, {
  revalidate: ['/review/comments'],
  message: '已加入评语库',
});

export const deleteCommentBankAction = formAction(deleteCommentBankEntry, {
  revalidate: ['/review/comments'],
  message: '已从评语库删除',
});
