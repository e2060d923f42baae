'use client';

import { useActionState } from 'react';
import {
  addNoteAction,
  applyTagByNameAction,
  removeTagAction,
  setExcellentAction,
  type ReviewActionResult,
} from '@/app/(organizer)/review/actions';
import { FormStatus } from '@/components/course/form-bits';
import { buttonClass } from '@/components/ui/button-class';
import { inputClass } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';
import type { ActionResult } from '@/lib/action-result';
import { DETAIL_IDS } from './detail-keys';

// The small actions beside a decision: 优秀 on an approved reflection, an internal note, and tags.

function StaleNote({ state, reloadHref }: { state: ReviewActionResult | null; reloadHref: string }) {
  if (!state || state.ok || !('current' in state)) return <FormStatus state={state} />;
  return (
    <div role="alert" className="rounded-md border border-amber-400 bg-amber-50 px-4 py-3 text-stone-900">
      这篇心得刚被其他人处理过，没有保存。
      <a href={reloadHref} className="ml-1 underline underline-offset-2">
        重新查看
      </a>
    </div>
  );
}

export function ExcellentToggle({
  reflectionId,
  revision,
  excellent,
  reloadHref,
}: {
  reflectionId: number;
  revision: number;
  excellent: boolean;
  reloadHref: string;
}) {
  const [state, formAction] = useActionState<ReviewActionResult | null, FormData>(setExcellentAction, null);
  return (
    <form action={formAction} className="space-y-2">
      <input type="hidden" name="reflectionId" value={reflectionId} />
      <input type="hidden" name="expectedRevision" value={revision} />
      {excellent ? null : <input type="hidden" name="excellent" value="on" />}
      <SubmitButton variant="secondary" pendingText="正在保存…">
        {excellent ? '取消优秀' : '标为优秀'}
      </SubmitButton>
      <StaleNote state={state} reloadHref={reloadHref} />
    </form>
  );
}

export function NoteForm({ reflectionId, reloadHref }: { reflectionId: number; reloadHref: string }) {
  const [state, formAction] = useActionState<ReviewActionResult | null, FormData>(addNoteAction, null);
  const values = state && !state.ok ? state.values : undefined;
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form action={formAction} className="space-y-2">
      <input type="hidden" name="reflectionId" value={reflectionId} />
      <div className="space-y-1">
        <label htmlFor="extra-note" className="block text-sm font-medium text-stone-800">
          补充内部备注（学员看不到）
        </label>
        <textarea
          id="extra-note"
          name="body"
          rows={2}
          maxLength={2000}
          defaultValue={values?.body ?? ''}
          aria-invalid={errors?.body ? true : undefined}
          className={`${inputClass} leading-relaxed`}
        />
      </div>
      <SubmitButton variant="secondary" pendingText="正在保存…">
        保存备注
      </SubmitButton>
      <StaleNote state={state} reloadHref={reloadHref} />
    </form>
  );
}

export function TagPanel({
  reflectionId,
  applied,
  courseTags,
  suggestions,
}: {
  reflectionId: number;
  applied: { id: number; name: string }[];
  courseTags: { id: number; name: string }[];
  suggestions: { existing: { id: number; name: string }[]; candidates: string[] };
}) {
  const [state, formAction] = useActionState<ActionResult | null, FormData>(applyTagByNameAction, null);
  const [removeState, removeAction] = useActionState<ActionResult | null, FormData>(removeTagAction, null);
  const [acceptState, acceptAction] = useActionState<ActionResult | null, FormData>(applyTagByNameAction, null);
  const values = state && !state.ok ? state.values : undefined;
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  const appliedIds = new Set(applied.map((t) => t.id));
  const offered = [...suggestions.existing.map((t) => t.name), ...suggestions.candidates];
  return (
    <section aria-labelledby="tags-heading" className="space-y-3">
      <h2 id="tags-heading" className="text-lg font-semibold">
        标签
      </h2>
      {applied.length === 0 ? (
        <p className="text-sm text-stone-600">还没有标签。</p>
      ) : (
        <ul className="flex flex-wrap gap-2" aria-label="已加的标签">
          {applied.map((t) => (
            <li key={t.id}>
              <form action={removeAction} className="inline-flex items-center gap-1 rounded-full bg-brand-50 py-0.5 pr-1 pl-3 text-brand-800 ring-1 ring-brand-100">
                <input type="hidden" name="tagId" value={t.id} />
                <input type="hidden" name="reflectionIds" value={reflectionId} />
                {t.name}
                <button type="submit" aria-label={`去掉标签 ${t.name}`} className="inline-flex size-8 items-center justify-center rounded-full hover:bg-brand-100">
                  ×
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
      <FormStatus state={removeState} />
      <form action={formAction} className="flex flex-wrap items-end gap-2">
        <input type="hidden" name="reflectionId" value={reflectionId} />
        <div className="min-w-0 flex-1 basis-40 space-y-1">
          <label htmlFor={DETAIL_IDS.tag} className="block text-sm font-medium text-stone-800">
            加标签
          </label>
          <input
            id={DETAIL_IDS.tag}
            name="name"
            list="course-tags"
            maxLength={20}
            autoComplete="off"
            defaultValue={values?.name ?? ''}
            aria-invalid={errors?.name ? true : undefined}
            aria-describedby="tag-hint"
            className={inputClass}
          />
          <datalist id="course-tags">
            {courseTags
              .filter((t) => !appliedIds.has(t.id))
              .map((t) => (
                <option key={t.id} value={t.name} />
              ))}
          </datalist>
        </div>
        <SubmitButton variant="secondary" pendingText="正在添加…">
          添加
        </SubmitButton>
        <p id="tag-hint" className="w-full text-sm text-stone-600">
          选已有标签或输入新标签名（最多 20 个字），新标签会加到本读书班。
        </p>
      </form>
      <FormStatus state={state} />
      {offered.length > 0 ? (
        <div className="space-y-2">
          <h3 className="text-sm font-medium text-stone-800">建议标签（根据正文关键词）</h3>
          <ul className="flex flex-wrap gap-2">
            {offered.map((name) => (
              <li key={name}>
                <form action={acceptAction}>
                  <input type="hidden" name="reflectionId" value={reflectionId} />
                  <input type="hidden" name="name" value={name} />
                  <button type="submit" className={`${buttonClass('secondary')} !min-h-9 !px-3 !py-1 text-sm`} aria-label={`采用建议标签 ${name}`}>
                    + {name}
                  </button>
                </form>
              </li>
            ))}
          </ul>
          <FormStatus state={acceptState} />
        </div>
      ) : null}
    </section>
  );
}
