'use client';

import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { buttonClass } from '@/components/ui/button-class';
import { isTypingTarget, REVIEW_KEYS, reviewKeyAction, type ReviewKeyAction } from '@/lib/review/keys';

// The review desk's keys. What each key does lives in the page (handlers); this component turns
// key presses into those calls, ignores keys typed into fields, and owns the ? dialog.

export function ReviewKeyboard({
  where,
  handlers,
}: {
  where: 'detail' | 'queue';
  handlers: Partial<Record<Exclude<ReviewKeyAction, 'help'>, () => void>>;
}) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const handlersRef = useRef(handlers);
  useEffect(() => {
    handlersRef.current = handlers;
  });

  // The dialog's list is rendered when first asked for, not into every page's HTML (issue 15):
  // each ? counts, and the dialog opens once its list is there.
  const [asked, setAsked] = useState(0);
  const openHelp = useCallback(() => setAsked((n) => n + 1), []);
  useEffect(() => {
    const d = dialogRef.current;
    if (asked && d && !d.open) d.showModal();
  }, [asked]);

  // A layout effect, so that the keys work from the moment the page is drawn: after 回车 opens a
  // reflection, a plain effect could run a little after the new page showed, and a j pressed in
  // between was lost (seen under load in e2e/review.spec.ts).
  useLayoutEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.defaultPrevented || isTypingTarget(e.target)) return;
      if (dialogRef.current?.open) return; // the dialog has the keyboard; Escape closes it natively
      const action = reviewKeyAction(e, where);
      if (!action) return;
      if (action === 'open' && (e.target as HTMLElement | null)?.closest?.('a, button')) return;
      if (action === 'help') {
        e.preventDefault();
        openHelp();
        return;
      }
      const h = handlersRef.current[action];
      if (h) {
        e.preventDefault();
        h();
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [where, openHelp]);

  const keys = REVIEW_KEYS.filter((k) => k.where === 'both' || k.where === where);
  return (
    <>
      <button type="button" className={buttonClass('secondary')} onClick={openHelp} aria-haspopup="dialog">
        快捷键 <kbd className="ml-1 rounded border border-stone-300 px-1 text-sm">?</kbd>
      </button>
      <dialog
        ref={dialogRef}
        aria-labelledby={asked ? 'review-keys-title' : undefined}
        className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-lg border border-stone-300 bg-white p-5 text-stone-900 shadow-xl backdrop:bg-black/40"
      >
        {asked ? (
          <>
            <h2 id="review-keys-title" className="mb-3 text-lg font-semibold">
              快捷键
            </h2>
            <dl className="space-y-2">
              {keys.map((k) => (
                <div key={k.key} className="flex items-baseline gap-3">
                  <dt className="w-16 shrink-0">
                    <kbd className="rounded border border-stone-300 bg-stone-50 px-2 py-0.5 font-mono">{k.key}</kbd>
                  </dt>
                  <dd>{k.label}</dd>
                </div>
              ))}
            </dl>
            <p className="mt-3 text-sm text-stone-600">在输入框里打字时快捷键不起作用。按 Esc 关闭。</p>
            {/* Not a method="dialog" form: on the queue this dialog sits inside the selection form. */}
            <div className="mt-4 text-right">
              <button type="button" className={buttonClass('secondary')} autoFocus onClick={() => dialogRef.current?.close()}>
                关闭
              </button>
            </div>
          </>
        ) : null}
      </dialog>
    </>
  );
}

/** j/k on the detail page go to the neighbours in the queue's order. */
export function useGo() {
  const router = useRouter();
  return useCallback((href: string | null) => {
    if (href) router.push(href);
  }, [router]);
}
