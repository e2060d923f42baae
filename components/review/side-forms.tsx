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
import type { ActionResult } from '@/lib/action-result';
import { DETAIL_IDS } from './detail-keys';
import { DetailSubmit } from './detail-submit';
import s from './detail.module.css';

// The small actions beside a decision: 优秀 on an approved reflection, an internal note, and tags.

function StaleNote({ state, reloadHref }: { state: ReviewActionResult | null; reloadHref: string }) {
  if (!state || state.ok || !('current' in state)) return <FormStatus state={state} />;
  return (
    <div role="alert" className={s.staleNote}>
      这篇心得刚被其他人处理过，没有保存。
      <a href={reloadHref}>
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
    <form action={formAction} className={s.side}>
      <input type="hidden" name="reflectionId" value={reflectionId} />
      <input type="hidden" name="expectedRevision" value={revision} />
      {excellent ? null : <input type="hidden" name="excellent" value="on" />}
      <DetailSubmit pendingText="正在保存…">{excellent ? '取消优秀' : '标为优秀'}</DetailSubmit>
      <StaleNote state={state} reloadHref={reloadHref} />
    </form>
  );
}

export function NoteForm({ reflectionId, reloadHref }: { reflectionId: number; reloadHref: string }) {
  const [state, formAction] = useActionState<ReviewActionResult | null, FormData>(addNoteAction, null);
  const values = state && !state.ok ? state.values : undefined;
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form action={formAction} className={s.side}>
      <input type="hidden" name="reflectionId" value={reflectionId} />
      <div className={s.field}>
        <label htmlFor="extra-note" className={s.label}>
          补充内部备注（学员看不到）
        </label>
        <textarea
          id="extra-note"
          name="body"
          rows={2}
          maxLength={2000}
          defaultValue={values?.body ?? ''}
          aria-invalid={errors?.body ? true : undefined}
          className={s.input}
        />
      </div>
      <DetailSubmit pendingText="正在保存…">保存备注</DetailSubmit>
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
    <section aria-labelledby="tags-heading" className={s.stack}>
      <h2 id="tags-heading" className={s.h2}>
        标签
      </h2>
      {applied.length === 0 ? (
        <p className={s.hint}>还没有标签。</p>
      ) : (
        // One form for every chip: the × pressed sends its own tag (the submitter's name and value).
        <form action={removeAction}>
          <input type="hidden" name="reflectionIds" value={reflectionId} />
          <ul className={s.chips} aria-label="已加的标签">
            {applied.map((t) => (
              <li key={t.id} className={s.chip}>
                {t.name}
                <button type="submit" name="tagId" value={t.id} aria-label={`去掉标签 ${t.name}`}>
                  ×
                </button>
              </li>
            ))}
          </ul>
        </form>
      )}
      <FormStatus state={removeState} />
      <form action={formAction} className={s.tagForm}>
        <input type="hidden" name="reflectionId" value={reflectionId} />
        <div>
          <label htmlFor={DETAIL_IDS.tag} className={s.label}>
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
            className={s.input}
          />
          <datalist id="course-tags">
            {courseTags
              .filter((t) => !appliedIds.has(t.id))
              .map((t) => (
                <option key={t.id} value={t.name} />
              ))}
          </datalist>
        </div>
        <DetailSubmit pendingText="正在添加…">添加</DetailSubmit>
        <p id="tag-hint">
          选已有标签或输入新标签名（最多 20 个字），新标签会加到本读书班。
        </p>
      </form>
      <FormStatus state={state} />
      {offered.length > 0 ? (
        <div className={s.suggest}>
          <h3>建议标签（根据正文关键词）</h3>
          {/* One form for every suggestion: the button pressed sends its own name. */}
          <form action={acceptAction}>
            <input type="hidden" name="reflectionId" value={reflectionId} />
            <ul className={s.chips}>
              {offered.map((name) => (
                <li key={name}>
                  <button type="submit" name="name" value={name} className={s.chipAdd} aria-label={`采用建议标签 ${name}`}>
                    + {name}
                  </button>
                </li>
              ))}
            </ul>
          </form>
          <FormStatus state={acceptState} />
        </div>
      ) : null}
    </section>
  );
}
