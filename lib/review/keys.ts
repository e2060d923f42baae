// The review desk's keyboard: one map, shown by ? and used by the key handler, so the help
// never drifts from what the keys do.

export type ReviewKeyAction = 'next' | 'prev' | 'approve' | 'return' | 'tag' | 'help' | 'open';

export interface ReviewKey {
  key: string;
  action: ReviewKeyAction;
  label: string;
  /** Where the key works. */
  where: 'both' | 'detail' | 'queue';
}

export const REVIEW_KEYS: readonly ReviewKey[] = [
  { key: 'j', action: 'next', label: '下一篇', where: 'both' },
  { key: 'k', action: 'prev', label: '上一篇', where: 'both' },
  { key: 'a', action: 'approve', label: '通过（选中“通过”，按回车确认）', where: 'both' },
  { key: 'r', action: 'return', label: '退回修改（光标移到评语框）', where: 'both' },
  { key: 't', action: 'tag', label: '加标签（光标移到标签框）', where: 'detail' },
  { key: 'Enter', action: 'open', label: '打开选中的心得', where: 'queue' },
  { key: '?', action: 'help', label: '显示快捷键', where: 'both' },
];

/** The action for a key press, or null; modified keys (Ctrl, Alt, Meta) are the browser's. */
export function reviewKeyAction(
  e: { key: string; ctrlKey?: boolean; altKey?: boolean; metaKey?: boolean },
  where: 'detail' | 'queue',
): ReviewKeyAction | null {
  if (e.ctrlKey || e.altKey || e.metaKey) return null;
  const hit = REVIEW_KEYS.find((k) => k.key === e.key && (k.where === 'both' || k.where === where));
  return hit?.action ?? null;
}

/** True when the key was typed into a field, where letters are text, not commands. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as HTMLElement).tagName !== 'string') return false;
  const el = target as HTMLElement;
  const tag = el.tagName.toLowerCase();
  if (tag === 'textarea' || tag === 'select') return true;
  if (tag === 'input') {
    const type = ((el as HTMLInputElement).type || 'text').toLowerCase();
    return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(type);
  }
  return el.isContentEditable;
}
