'use client';

import Link from 'next/link';
import { useActionState, useEffect, useRef, useState } from 'react';
import { decideAction, type ReviewActionResult } from '@/app/(organizer)/review/actions';
import { FormStatus } from '@/components/course/form-bits';
import { buttonClass } from '@/components/ui/button-class';
import { inputClass } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';
import { STATUS_LABELS } from '@/lib/reflection/state';
import { formatDateTime } from '@/lib/time';
import { DETAIL_IDS } from './detail-keys';

export interface BankChoice {
  id: number;
  body: string;
  scope: string;
}

/**
 * 通过 / 退回修改 with the public 评语, an internal note and 优秀. The revision the page was
 * rendered with goes along; if someone else decided in between, the server says so and the
 * current state is shown here instead of overwriting it.
 */
export function DecisionForm({
  reflectionId,
  revision,
  filter,
  initialDecision,
  bank,
  reloadHref,
}: {
  reflectionId: number;
  revision: number;
  /** The queue's filter as a query string, for 保存并下一篇. */
  filter: string;
  initialDecision: 'approve' | 'return' | null;
  bank: BankChoice[];
  reloadHref: string;
}) {
  const [state, formAction] = useActionState<ReviewActionResult | null, FormData>(decideAction, null);
  const values = state && !state.ok ? state.values : undefined;
  const [decision, setDecision] = useState<'approve' | 'return' | null>(
    (values?.decision as 'approve' | 'return' | undefined) ?? initialDecision,
  );
  const commentRef = useRef<HTMLTextAreaElement>(null);
  const [bankPick, setBankPick] = useState('');
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  const stale = state && !state.ok && 'current' in state ? state.current : null;

  // A decision chosen before the scripts ran (the page opened by a plain link on a slow
  // connection) shows in the radio but not in the state, and the next render would clear it.
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    const picked = formRef.current?.querySelector<HTMLInputElement>('input[name="decision"]:checked')?.value;
    if ((picked === 'approve' || picked === 'return') && picked !== decision) setDecision(picked);
    // Once, when the form starts.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    if (initialDecision === 'return') commentRef.current?.focus();
    else if (initialDecision === 'approve') document.getElementById(DETAIL_IDS.save)?.focus();
  }, [initialDecision]);

  function insertFromBank() {
    const entry = bank.find((b) => String(b.id) === bankPick);
    const box = commentRef.current;
    if (!entry || !box) return;
    const start = box.selectionStart ?? box.value.length;
    const end = box.selectionEnd ?? box.value.length;
    box.value = `${box.value.slice(0, start)}${entry.body}${box.value.slice(end)}`;
    box.focus();
    const caret = start + entry.body.length;
    box.setSelectionRange(caret, caret);
  }

  if (stale) {
    return (
      <div role="alert" className="space-y-3 rounded-lg border-2 border-amber-400 bg-amber-50 p-4 text-stone-900">
        <p className="text-lg font-semibold">这篇心得刚被其他人处理过</p>
        <p>
          现在的状态：<strong>{STATUS_LABELS[stale.status]}</strong>
          {stale.excellent ? '（优秀）' : ''}
        </p>
        {stale.lastDecision ? (
          <p className="text-sm">
            {stale.lastDecision.authorName ?? '组织者'}于 {formatDateTime(new Date(stale.lastDecision.createdAt))}
            {stale.lastDecision.decision === 'approve' ? '通过' : '退回修改'}
            {stale.lastDecision.body ? `：${stale.lastDecision.body}` : ''}
          </p>
        ) : null}
        <p className="text-sm">你刚才写的内容没有保存，下面留着，可以复制后再看一遍。</p>
        {values?.comment ? <p className="rounded border border-stone-300 bg-white p-2 text-sm whitespace-pre-line">{values.comment}</p> : null}
        <Link href={reloadHref} className={buttonClass()}>
          重新查看这篇心得
        </Link>
      </div>
    );
  }

  return (
    <form ref={formRef} action={formAction} className="space-y-4" aria-labelledby="decision-heading">
      <h2 id="decision-heading" className="text-lg font-semibold">
        审阅意见
      </h2>
      <input type="hidden" name="reflectionId" value={reflectionId} />
      <input type="hidden" name="expectedRevision" value={revision} />
      <input type="hidden" name="filter" value={filter} />
      <fieldset className="space-y-2" aria-describedby={errors?.decision ? 'decision-error' : undefined}>
        <legend className="text-sm font-medium text-stone-800">结论</legend>
        <div className="flex flex-wrap gap-3">
          {(
            [
              ['approve', '通过', DETAIL_IDS.approve],
              ['return', '退回修改', DETAIL_IDS.return],
            ] as const
          ).map(([value, label, id]) => (
            <label
              key={value}
              htmlFor={id}
              className={`flex min-h-11 cursor-pointer items-center gap-2 rounded-md border px-4 py-2 ${
                decision === value ? (value === 'approve' ? 'border-green-600 bg-green-50' : 'border-red-600 bg-red-50') : 'border-stone-300 bg-white'
              }`}
            >
              <input
                id={id}
                type="radio"
                name="decision"
                value={value}
                checked={decision === value}
                onChange={() => setDecision(value)}
                className="size-5 accent-brand-600"
              />
              {label}
            </label>
          ))}
        </div>
        {errors?.decision ? (
          <p id="decision-error" className="text-sm text-red-700">
            {errors.decision.join('；')}
          </p>
        ) : null}
      </fieldset>

      <div className="space-y-1">
        <label htmlFor={DETAIL_IDS.comment} className="block text-sm font-medium text-stone-800">
          评语
        </label>
        <textarea
          ref={commentRef}
          id={DETAIL_IDS.comment}
          name="comment"
          rows={4}
          defaultValue={values?.comment ?? ''}
          required={decision === 'return'}
          maxLength={2000}
          aria-invalid={errors?.comment ? true : undefined}
          aria-describedby={`comment-hint${errors?.comment ? ' comment-error' : ''}`}
          className={`${inputClass} leading-relaxed`}
        />
        <p id="comment-hint" className="text-sm text-stone-600">
          学员能看到评语。退回修改时必须写明要改什么。
        </p>
        {errors?.comment ? (
          <p id="comment-error" className="text-sm text-red-700">
            {errors.comment.join('；')}
          </p>
        ) : null}
      </div>

      {bank.length > 0 ? (
        <div className="flex flex-wrap items-end gap-2">
          <div className="min-w-0 flex-1 basis-48 space-y-1">
            <label htmlFor="bank-pick" className="block text-sm font-medium text-stone-800">
              评语库
            </label>
            <select id="bank-pick" value={bankPick} onChange={(e) => setBankPick(e.target.value)} className={inputClass}>
              <option value="">选择一条常用评语</option>
              {bank.map((b) => (
                <option key={b.id} value={b.id}>
                  {b.scope}:{b.body.length > 40 ? `${b.body.slice(0, 40)}…` : b.body}
                </option>
              ))}
            </select>
          </div>
          <button type="button" className={buttonClass('secondary')} onClick={insertFromBank} disabled={!bankPick}>
            插入评语
          </button>
        </div>
      ) : (
        <p className="text-sm text-stone-600">
          <Link href="/review/comments" className="underline underline-offset-2">
            评语库
          </Link>
          还是空的，可以把常用评语存进去。
        </p>
      )}

      <div className="space-y-1">
        <label htmlFor="decision-note" className="block text-sm font-medium text-stone-800">
          内部备注（学员看不到）
        </label>
        <textarea
          id="decision-note"
          name="internalNote"
          rows={2}
          maxLength={2000}
          defaultValue={values?.internalNote ?? ''}
          className={`${inputClass} leading-relaxed`}
        />
      </div>

      <div className="flex items-center gap-3">
        <input
          id="decision-excellent"
          type="checkbox"
          name="excellent"
          defaultChecked={values?.excellent === 'on'}
          disabled={decision === 'return'}
          aria-describedby="excellent-hint"
          className="size-5 accent-brand-600"
        />
        <label htmlFor="decision-excellent" className="text-base font-medium">
          优秀
        </label>
        <span id="excellent-hint" className="text-sm text-stone-600">
          通过时可同时标为优秀，供编简报选用
        </span>
      </div>

      <FormStatus state={state} />
      <div className="flex flex-wrap gap-2">
        <SubmitButton id={DETAIL_IDS.save} name="intent" value="save" pendingText="正在保存…">
          保存
        </SubmitButton>
        <SubmitButton name="intent" value="next" variant="secondary" pendingText="正在保存…">
          保存并下一篇
        </SubmitButton>
      </div>
    </form>
  );
}
