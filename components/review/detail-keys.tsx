'use client';

import { ReviewKeyboard, useGo } from './review-keyboard';

/** Ids the keys reach on the detail page (the decision form and the tag box carry them). */
export const DETAIL_IDS = {
  approve: 'decision-approve',
  return: 'decision-return',
  comment: 'decision-comment',
  save: 'decision-save',
  tag: 'tag-input',
} as const;

function byId<T extends HTMLElement>(id: string): T | null {
  return document.getElementById(id) as T | null;
}

/** Chooses a decision and moves focus where the organizer continues: 保存 for 通过, the 评语 box for 退回. */
export function chooseDecision(decision: 'approve' | 'return'): boolean {
  const radio = byId<HTMLInputElement>(decision === 'approve' ? DETAIL_IDS.approve : DETAIL_IDS.return);
  if (!radio) return false;
  if (!radio.checked) radio.click();
  const target = decision === 'approve' ? byId(DETAIL_IDS.save) : byId(DETAIL_IDS.comment);
  target?.focus();
  return true;
}

export function DetailKeys({ prevHref, nextHref }: { prevHref: string | null; nextHref: string | null }) {
  const go = useGo();
  return (
    <ReviewKeyboard
      where="detail"
      handlers={{
        next: () => go(nextHref),
        prev: () => go(prevHref),
        approve: () => chooseDecision('approve'),
        return: () => chooseDecision('return'),
        tag: () => byId(DETAIL_IDS.tag)?.focus(),
      }}
    />
  );
}
