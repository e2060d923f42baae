'use client';

import { useActionState, useEffect, useRef } from 'react';
import { withdrawReflectionAction } from '@/app/(cadre)/my/actions';
import { Alert } from '@/components/ui/alert';
import { buttonClass } from '@/components/ui/button-class';
import type { ActionResult } from '@/lib/action-result';

/**
 * What a cadre sees once a reflection is handed in: 已提交 with the version and the time, near
 * the top of the page. Right after 提交 it is scrolled to and focused, so a phone shows the
 * outcome instead of the place the button was; a sticky bar at the foot repeats it. While
 * nobody has decided on it, 撤回 takes it back for changes.
 */
export function SubmittedOutcome({
  assignmentId,
  version,
  when,
  late,
  canWithdraw,
  justSubmitted,
}: {
  assignmentId: number;
  version: number;
  /** e.g. 5月9日 14:05, already in Asia/Shanghai */
  when: string;
  late: boolean;
  canWithdraw: boolean;
  justSubmitted: boolean;
}) {
  const ref = useRef<HTMLElement>(null);
  const [state, withdraw, pending] = useActionState<ActionResult | null, FormData>(withdrawReflectionAction, null);
  useEffect(() => {
    if (!justSubmitted || !ref.current) return;
    ref.current.scrollIntoView({ block: 'start' });
    ref.current.focus({ preventScroll: true });
  }, [justSubmitted]);
  return (
    <section
        ref={ref}
        id="outcome"
        tabIndex={-1}
        aria-labelledby="outcome-heading"
        className="mb-5 scroll-mt-2 rounded-lg border-2 border-amber-300 bg-amber-50 p-4 outline-none focus-visible:ring-2 focus-visible:ring-brand-600"
      >
        <h2 id="outcome-heading" className="text-lg font-semibold text-amber-950">
          {justSubmitted ? '提交成功：' : ''}已提交（第 {version} 版）
        </h2>
        <p className="mt-1 text-base text-stone-800">
          {when} 提交{late ? '，逾期提交' : ''}。等待组织者审阅{canWithdraw ? '；审阅前如需修改，可以撤回' : ''}。
        </p>
        {canWithdraw ? (
          <form action={withdraw} className="mt-3">
            <input type="hidden" name="assignmentId" value={assignmentId} />
            <button type="submit" className={buttonClass('secondary')} disabled={pending}>
              {pending ? '正在撤回…' : '撤回修改'}
            </button>
          </form>
        ) : null}
        {state && !state.ok ? (
          <div className="mt-3">
            <Alert kind="error">{state.message}</Alert>
          </div>
        ) : null}
    </section>
  );
}

/** The foot of the page after 提交: the state and its time stay in view while scrolling. */
export function SubmittedBar({ version, when }: { version: number; when: string }) {
  return (
    <div className="sticky bottom-0 z-10 -mx-4 mt-5 border-t border-stone-200 bg-white/95 px-4 py-2 backdrop-blur md:mx-0 md:rounded-lg md:border">
      <p className="text-base text-stone-800">
        <span className="font-semibold">已提交</span>（第 {version} 版）· {when}
      </p>
    </div>
  );
}
