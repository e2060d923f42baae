'use client';

import { useEffect, useState, type RefObject } from 'react';

// The sticky bar at the foot of the editor must never cover the line being typed. On a phone
// the on-screen keyboard shrinks the visual viewport (window.visualViewport) but not always the
// layout viewport that `position: sticky` follows, so the bar is lifted to sit on the keyboard,
// and the page scrolls whenever the caret's line would fall under the bar.

// The measuring (caret-measure.ts) is fetched when the editor is up, not with its first scripts.
const loadMeasure = () => import('./caret-measure');

/** How far to lift the bar (CSS px) so that it sits on the on-screen keyboard; 0 without one. */
export function useCaretGuard(bar: RefObject<HTMLElement | null>, field: RefObject<HTMLTextAreaElement | null>): number {
  const [lift, setLift] = useState(0);
  useEffect(() => {
    const vv = window.visualViewport;
    const placeBar = () => {
      if (!vv) return;
      // How much of the layout viewport's foot the keyboard hides.
      const hidden = Math.max(0, window.innerHeight - (vv.offsetTop + vv.height));
      setLift(hidden > 1 ? Math.round(hidden) : 0);
    };
    let caretBottom: ((el: HTMLTextAreaElement) => number) | null = null;
    void loadMeasure()
      .then((m) => {
        caretBottom = m.caretBottom;
      })
      .catch(() => undefined);
    const keepCaretVisible = () => {
      const ta = field.current;
      const el = bar.current;
      if (!ta || !el || !caretBottom || document.activeElement !== ta) return;
      const visibleBottom = (vv ? vv.offsetTop + vv.height : window.innerHeight) - el.getBoundingClientRect().height;
      const over = caretBottom(ta) + 8 - visibleBottom;
      if (over > 0) window.scrollBy({ top: over });
    };
    // After the browser's own scrolling of the caret into view, which ignores the bar.
    const later = () => requestAnimationFrame(keepCaretVisible);
    const onViewport = () => {
      placeBar();
      later();
    };
    vv?.addEventListener('resize', onViewport);
    vv?.addEventListener('scroll', placeBar);
    const ta = field.current;
    ta?.addEventListener('input', later);
    ta?.addEventListener('focus', later);
    ta?.addEventListener('click', later);
    ta?.addEventListener('keyup', later);
    placeBar();
    return () => {
      vv?.removeEventListener('resize', onViewport);
      vv?.removeEventListener('scroll', placeBar);
      ta?.removeEventListener('input', later);
      ta?.removeEventListener('focus', later);
      ta?.removeEventListener('click', later);
      ta?.removeEventListener('keyup', later);
    };
  }, [bar, field]);
  return lift;
}
