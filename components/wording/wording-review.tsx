import { createHash } from 'node:crypto';
import { checkWording } from '@/lib/wording/engine';
import type { WordingRule } from '@/lib/wording/rules';
import { FindingExcerpt, WordingMarks } from './wording-marks';

// 规范提法与标点 in the review detail: the reflection's text with the findings highlighted and
// the list beside it. Advisory: the organizer decides.

// The review detail checks the same text on every load: the findings of a text under the rules in
// force (the same array while they are unchanged) are kept, keyed by a digest of the text.
const MEMO_SIZE = 500;
const memo = new WeakMap<readonly WordingRule[], Map<string, ReturnType<typeof checkWording>>>();

function findingsOf(body: string, rules: readonly WordingRule[]) {
  let byText = memo.get(rules);
  if (!byText) memo.set(rules, (byText = new Map()));
  const key = createHash('sha256').update(body).digest('base64url');
  const known = byText.get(key);
  if (known) return known;
  const found = checkWording(body, rules);
  if (byText.size >= MEMO_SIZE) byText.delete(byText.keys().next().value as string);
  byText.set(key, found);
  return found;
}

export function WordingReview({ body, rules }: { body: string; rules: readonly WordingRule[] }) {
  const findings = findingsOf(body, rules);
  return (
    <section aria-labelledby="wording-heading" className="rounded-lg border border-stone-200 bg-white p-4 sm:p-6">
      <h2 id="wording-heading" className="mb-2 text-lg font-semibold">
        规范提法与标点（{findings.length} 处）
      </h2>
      {findings.length === 0 ? (
        <p className="text-stone-600">没有发现不规范的提法或标点。</p>
      ) : (
        <>
          <ul className="mb-3 space-y-1 text-base">
            {findings.map((f, i) => (
              <li key={i}>
                <FindingExcerpt text={body} finding={f} /> <span className="text-stone-700">{f.message}</span>
              </li>
            ))}
          </ul>
          <details>
            <summary className="cursor-pointer text-base text-brand-700">在正文中标出</summary>
            <div className="mt-2">
              <WordingMarks text={body} findings={findings} />
            </div>
          </details>
        </>
      )}
    </section>
  );
}
