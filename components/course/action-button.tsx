'use client';

import { useActionState, useEffect, useRef, useState } from 'react';
import { buttonClass, SubmitButton } from '@/components/ui/button';
import type { ActionResult } from '@/lib/action-result';

type Action = (state: ActionResult | null, form: FormData) => Promise<ActionResult>;

/**
 * A one-button form (移出, 删除, 归档, 指派 …). With `confirm`, the first press asks in the page
 * itself (a browser dialog is easy to dismiss by accident and invisible to some tools), and
 * only 确认 sends.
 */
export function ActionButton({
  action,
  fields,
  children,
  confirm,
  confirmLabel = '确认',
  variant = 'secondary',
  pendingText = '正在处理…',
}: {
  action: Action;
  fields: Record<string, string | number>;
  children: React.ReactNode;
  confirm?: string;
  confirmLabel?: string;
  variant?: 'primary' | 'secondary' | 'danger';
  pendingText?: string;
}) {
  const [state, formAction] = useActionState(action, null);
  // The question stays open until it is answered or a result comes back (a new state object).
  const [askedWith, setAskedWith] = useState<{ state: ActionResult | null } | null>(null);
  const asking = askedWith !== null && askedWith.state === state;
  const setAsking = (on: boolean) => setAskedWith(on ? { state } : null);
  const askRef = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);

  useEffect(() => {
    // Back from the question: focus returns to the button that asked it.
    if (wasAsking.current && !asking) askRef.current?.focus();
    wasAsking.current = asking;
  }, [asking]);

  return (
    <form action={formAction} className="inline-flex flex-wrap items-center gap-2">
      {Object.entries(fields).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      {confirm && asking ? (
        <span role="group" aria-label="请确认" className="inline-flex flex-wrap items-center gap-2 rounded-md bg-red-50 p-2">
          <span className="text-sm text-red-900">{confirm}</span>
          <SubmitButton variant="danger" pendingText={pendingText} autoFocus>
            {confirmLabel}
          </SubmitButton>
          <button type="button" className={buttonClass('secondary')} onClick={() => setAsking(false)}>
            取消
          </button>
        </span>
      ) : confirm ? (
        <button ref={askRef} type="button" className={buttonClass(variant)} onClick={() => setAsking(true)}>
          {children}
        </button>
      ) : (
        <SubmitButton variant={variant} pendingText={pendingText}>
          {children}
        </SubmitButton>
      )}
      {state ? (
        <span role={state.ok ? 'status' : 'alert'} className={`text-sm ${state.ok ? 'text-green-800' : 'text-red-700'}`}>
          {state.message}
        </span>
      ) : null}
    </form>
  );
}
