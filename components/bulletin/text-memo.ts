// 字数 and 要点 of the composer's texts, remembered by the text itself. Both are pure functions of
// a text and slow on a long one (countChars tests every character against Unicode classes,
// outlineExcerpt parses the points), and the compose page runs them for every item on every
// render: on the server each request renders every item afresh (issue 15: 0.6 ms of a request).
// Bounded to the last 500 texts each. A text maps only to its own count or excerpt, so an entry
// gives nothing to anyone who does not already hold that text.
import { outlineExcerpt } from '@/lib/bulletin/outline';
import type { BulletinContent } from '@/lib/bulletin/format';
import { countChars } from '@/lib/text/char-count';

const SIZE = 500;

function remembered<T>(f: (text: string) => T): (text: string) => T {
  const known = new Map<string, T>();
  return (text) => {
    if (known.has(text)) return known.get(text) as T;
    const value = f(text);
    if (known.size >= SIZE) known.delete(known.keys().next().value as string);
    known.set(text, value);
    return value;
  };
}

export const charsOf = remembered(countChars);
export const outlineOf = remembered(outlineExcerpt);

/** bulletinCharCounts (lib/bulletin/format.ts), each text counted once. */
export function composerCharCounts(content: Pick<BulletinContent, 'lead' | 'summary' | 'transition'> & { items: readonly { heading: string; body: string }[] }): {
  items: number[];
  itemsTotal: number;
  total: number;
} {
  const items = content.items.map((i) => charsOf(i.body));
  const itemsTotal = items.reduce((a, b) => a + b, 0);
  const headings = content.items.reduce((a, i) => a + charsOf(i.heading), 0);
  return { items, itemsTotal, total: itemsTotal + headings + charsOf(content.lead) + charsOf(content.summary) + charsOf(content.transition) };
}
