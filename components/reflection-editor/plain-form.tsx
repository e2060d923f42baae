'use client';

import { useActionState, type RefObject } from 'react';
import { saveDraftFormAction, submitReflectionFormAction } from '@/app/(cadre)/my/actions';
import { Alert } from '@/components/ui/alert';
import { buttonClass } from '@/components/ui/button-class';
import { inputClass } from '@/components/ui/field';
import type { ActionResult } from '@/lib/action-result';
import { limitsText } from '@/lib/reflection/limits';
import { DECLARATION_LABEL } from '@/lib/reflection/messages';
import type { ReflectionEditorProps } from './reflection-editor';

type State = ActionResult | null;

/**
 * The editor as a plain HTML form, for the moments before scripts run and for browsers where
 * they never do (a weak connection in WeChat's browser). 保存草稿 and 提交 post to server
 * actions; a refusal comes back with what was typed, so nothing is lost. Once scripts run the
 * full editor (autosave, import, the browser's copy) takes its place.
 */
export function PlainEditorForm({ formRef, ...props }: ReflectionEditorProps & { formRef?: RefObject<HTMLFormElement | null> }) {
  const [saved, save] = useActionState<State, FormData>(saveDraftFormAction, null);
  const [submitted, submit] = useActionState<State, FormData>(submitReflectionFormAction, null);
  const last = submitted ?? saved;
  const values = last && !last.ok ? last.values : undefined;
  const errors = last && !last.ok ? last.fieldErrors : undefined;
  const s = props.server;
  const checked = (id: number) => (values?.readingIds !== undefined ? values.readingIds.split(',').includes(String(id)) : (s?.readingIds.includes(id) ?? false));
  const base = `plain-${props.assignmentId}`;
  return (
    <form ref={formRef} action={save} className="space-y-5">
      {/* Shown until scripts run, and for good where they do not: React drops <noscript> content. */}
      <p className="rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-base text-amber-900">
        完整编辑器（自动保存、导入文件）需要浏览器运行脚本，现在还没有运行。可以直接在这里写，写完请点“保存草稿”或“提交”；这种方式不会自动保存。
      </p>
      <input type="hidden" name="assignmentId" value={props.assignmentId} />
      <input type="hidden" name="baseRevision" value={s?.revision ?? 0} />
      <input type="hidden" name="submitKey" value={props.plainSubmitKey} />
      <div className="space-y-1">
        <label htmlFor={`${base}-title`} className="block text-base font-medium text-stone-900">
          标题<span className="ml-2 text-sm font-normal text-stone-600">可不填，不填时用“{props.assignmentTitle}”</span>
        </label>
        <input id={`${base}-title`} name="title" className={inputClass} defaultValue={values?.title ?? s?.title ?? ''} autoComplete="off" />
        {errors?.title?.length ? <p className="text-sm text-red-700">{errors.title.join('；')}</p> : null}
      </div>
      {props.readings.length > 0 ? (
        <fieldset className="space-y-2">
          <legend className="text-base font-medium text-stone-900">学习篇目（选择心得涉及的篇目）</legend>
          {props.readings.map((r) => (
            <label key={r.id} className="flex min-h-11 items-center gap-3 px-1 text-base">
              <input type="checkbox" name="readingIds" value={r.id} defaultChecked={checked(r.id)} className="size-5 shrink-0 accent-brand-600" />
              <span className="break-words">{r.title}</span>
            </label>
          ))}
        </fieldset>
      ) : null}
      <div className="space-y-1">
        <label htmlFor={`${base}-body`} className="block text-base font-medium text-stone-900">
          正文
        </label>
        <p className="text-sm text-stone-600">字数要求：{limitsText(props.minChars, props.maxChars)}</p>
        <textarea
          id={`${base}-body`}
          name="body"
          rows={14}
          className={`${inputClass} min-h-[50vh] leading-8 md:min-h-80`}
          defaultValue={values?.body ?? s?.body ?? ''}
        />
        {errors?.body?.length ? <p className="text-sm text-red-700">{errors.body.join('；')}</p> : null}
      </div>
      <label className="flex min-h-11 items-center gap-3 text-base">
        <input type="checkbox" name="declaration" defaultChecked={values?.declaration === 'on'} className="size-5 shrink-0 accent-brand-600" />
        {DECLARATION_LABEL}
      </label>
      {last ? <Alert kind={last.ok ? 'success' : 'error'}>{last.message}</Alert> : null}
      {props.submitNote ? <p className="text-sm text-amber-800">{props.submitNote}</p> : null}
      <div className="flex flex-wrap gap-2">
        <button type="submit" className={buttonClass('secondary')}>
          保存草稿
        </button>
        <button type="submit" formAction={submit} className={buttonClass('primary')}>
          提交
        </button>
      </div>
    </form>
  );
}
