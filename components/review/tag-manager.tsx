'use client';

import { useActionState } from 'react';
import { createTagAction, deleteTagAction, mergeTagsAction, renameTagAction } from '@/app/(organizer)/review/actions';
import { ActionButton } from '@/components/course/action-button';
import { FormStatus } from '@/components/course/form-bits';
import { inputClass } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';
import type { ActionResult } from '@/lib/action-result';

export function CreateTagForm({ courses }: { courses: { id: number; name: string }[] }) {
  const [state, formAction] = useActionState<ActionResult | null, FormData>(createTagAction, null);
  const values = state && !state.ok ? state.values : undefined;
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form action={formAction} className="space-y-3 rounded-lg border border-stone-200 bg-white p-4">
      <h2 className="text-lg font-semibold">新建标签</h2>
      <div className="grid gap-3 sm:grid-cols-[2fr_1fr_auto] sm:items-end">
        <div className="min-w-0 space-y-1">
          <label htmlFor="tag-course" className="block text-sm font-medium text-stone-800">
            读书班
          </label>
          <select id="tag-course" name="courseId" defaultValue={values?.courseId ?? String(courses[0]?.id ?? '')} className={inputClass}>
            {courses.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <div className="min-w-0 space-y-1">
          <label htmlFor="tag-name" className="block text-sm font-medium text-stone-800">
            标签名
          </label>
          <input
            id="tag-name"
            name="name"
            maxLength={20}
            defaultValue={values?.name ?? ''}
            placeholder="如 基层治理"
            aria-invalid={errors?.name ? true : undefined}
            aria-describedby={errors?.name ? 'tag-name-error' : undefined}
            className={inputClass}
          />
        </div>
        <SubmitButton pendingText="正在新建…">新建标签</SubmitButton>
      </div>
      {errors?.name ? (
        <p id="tag-name-error" className="text-sm text-red-700">
          {errors.name.join('；')}
        </p>
      ) : null}
      <FormStatus state={state} />
    </form>
  );
}

export function TagRow({ tag, siblings }: { tag: { id: number; name: string; uses: number }; siblings: { id: number; name: string }[] }) {
  const [renameState, renameAction] = useActionState<ActionResult | null, FormData>(renameTagAction, null);
  const [mergeState, mergeAction] = useActionState<ActionResult | null, FormData>(mergeTagsAction, null);
  const renameValues = renameState && !renameState.ok ? renameState.values : undefined;
  return (
    <li className="space-y-2 rounded-md border border-stone-200 bg-white p-3">
      <p className="flex flex-wrap items-baseline gap-2">
        <span className="text-base font-semibold">{tag.name}</span>
        <span className="text-sm text-stone-600">{tag.uses} 篇心得</span>
      </p>
      <div className="flex flex-wrap items-start gap-3">
        <form action={renameAction} className="flex flex-wrap items-center gap-2">
          <input type="hidden" name="tagId" value={tag.id} />
          <input
            name="name"
            aria-label={`${tag.name} 的新名称`}
            maxLength={20}
            defaultValue={renameValues?.name ?? tag.name}
            className={`${inputClass} !w-40`}
          />
          <SubmitButton variant="secondary" pendingText="正在保存…">
            改名
          </SubmitButton>
        </form>
        {siblings.length > 0 ? (
          <form action={mergeAction} className="flex flex-wrap items-center gap-2">
            <input type="hidden" name="fromId" value={tag.id} />
            <select name="intoId" aria-label={`把 ${tag.name} 合并到`} className={`${inputClass} !w-40`} defaultValue="">
              <option value="">合并到…</option>
              {siblings.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
            <SubmitButton variant="secondary" pendingText="正在合并…">
              合并
            </SubmitButton>
          </form>
        ) : null}
        <ActionButton action={deleteTagAction} fields={{ tagId: tag.id }} variant="danger" confirm={`删除“${tag.name}”并从 ${tag.uses} 篇心得上去掉？`} confirmLabel="确认删除">
          删除
        </ActionButton>
      </div>
      <FormStatus state={renameState} />
      <FormStatus state={mergeState} />
    </li>
  );
}
