'use client';

import Link from 'next/link';
import { useActionState, useEffect, useRef, useState } from 'react';
import { decideAction, type ReviewActionResult } from '@/app/(organizer)/review/actions';
import { FormStatus } from '@/components/course/form-bits';
import { STATUS_LABELS } from '@/lib/reflection/state';
import { formatDateTime } from '@/lib/time';
import { DETAIL_IDS } from './detail-keys';
import { DetailSubmit } from './detail-submit';
import s from './detail.module.css';

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
      <div role="alert" className={s.stale}>
        <p>这篇心得刚被其他人处理过</p>
        <p>
          现在的状态：<strong>{STATUS_LABELS[stale.status]}</strong>
          {stale.excellent ? '（优秀）' : ''}
        </p>
        {stale.lastDecision ? (
          <p className={s.small}>
            {stale.lastDecision.authorName ?? '组织者'}于 {formatDateTime(new Date(stale.lastDecision.createdAt))}
            {stale.lastDecision.decision === 'approve' ? '通过' : '退回修改'}
            {stale.lastDecision.body ? `：${stale.lastDecision.body}` : ''}
          </p>
        ) : null}
        <p className={s.small}>你刚才写的内容没有保存，下面留着，可以复制后再看一遍。</p>
        {values?.comment ? <p className={s.kept}>{values.comment}</p> : null}
        <Link href={reloadHref} className={s.p}>
          重新查看这篇心得
        </Link>
      </div>
    );
  }

  return (
    <form ref={formRef} action={formAction} className={s.form} aria-labelledby="decision-heading">
      <h2 id="decision-heading" className={s.h2}>
        审阅意见
      </h2>
      <input type="hidden" name="reflectionId" value={reflectionId} />
      <input type="hidden" name="expectedRevision" value={revision} />
      <input type="hidden" name="filter" value={filter} />
      <fieldset aria-describedby={errors?.decision ? 'decision-error' : undefined}>
        <legend className={s.label}>结论</legend>
        <div className={s.choices}>
          {(
            [
              ['approve', '通过', DETAIL_IDS.approve],
              ['return', '退回修改', DETAIL_IDS.return],
            ] as const
          ).map(([value, label, id]) => (
            <label
              key={value}
              htmlFor={id}
              className={decision === value ? `${s.choice} ${s[value]}` : s.choice}
            >
              <input
                id={id}
                type="radio"
                name="decision"
                value={value}
                checked={decision === value}
                onChange={() => setDecision(value)}
                className={s.box}
              />
              {label}
            </label>
          ))}
        </div>
        {errors?.decision ? (
          <p id="decision-error" className={s.error}>
            {errors.decision.join('；')}
          </p>
        ) : null}
      </fieldset>

      <div className={s.field}>
        <label htmlFor={DETAIL_IDS.comment} className={s.label}>
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
          className={s.input}
        />
        <p id="comment-hint" className={s.hint}>
          学员能看到评语。退回修改时必须写明要改什么。
        </p>
        {errors?.comment ? (
          <p id="comment-error" className={s.error}>
            {errors.comment.join('；')}
          </p>
        ) : null}
      </div>

      {bank.length > 0 ? (
        <div className={s.bank}>
          <div>
            <label htmlFor="bank-pick" className={s.label}>
              评语库
            </label>
            <select id="bank-pick" value={bankPick} onChange={(e) => setBankPick(e.target.value)} className={s.input}>
              <option value="">选择一条常用评语</option>
              {bank.map((b) => (
                <option key={b.id} value={b.id}>
                  {b.scope}:{b.body.length > 40 ? `${b.body.slice(0, 40)}…` : b.body}
                </option>
              ))}
            </select>
          </div>
          <button type="button" className={s.b} onClick={insertFromBank} disabled={!bankPick}>
            插入评语
          </button>
        </div>
      ) : (
        <p className={`${s.hint} ${s.bankEmpty}`}>
          <Link href="/review/comments">
            评语库
          </Link>
          还是空的，可以把常用评语存进去。
        </p>
      )}

      <div className={s.field}>
        <label htmlFor="decision-note" className={s.label}>
          内部备注（学员看不到）
        </label>
        <textarea
          id="decision-note"
          name="internalNote"
          rows={2}
          maxLength={2000}
          defaultValue={values?.internalNote ?? ''}
          className={s.input}
        />
      </div>

      <div className={s.excellentRow}>
        <input
          id="decision-excellent"
          type="checkbox"
          name="excellent"
          defaultChecked={values?.excellent === 'on'}
          disabled={decision === 'return'}
          aria-describedby="excellent-hint"
          className={s.box}
        />
        <label htmlFor="decision-excellent">
          优秀
        </label>
        <span id="excellent-hint" className={s.hint}>
          通过时可同时标为优秀，供编简报选用
        </span>
      </div>

      <FormStatus state={state} />
      <div className={s.buttons}>
        <DetailSubmit id={DETAIL_IDS.save} name="intent" value="save" pendingText="正在保存…" primary>
          保存
        </DetailSubmit>
        <DetailSubmit name="intent" value="next" pendingText="正在保存…">
          保存并下一篇
        </DetailSubmit>
      </div>
    </form>
  );
}
