'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useActionState, useRef, useState } from 'react';
import { bulkTagAction } from '@/app/(organizer)/review/actions';
import { FormStatus } from '@/components/course/form-bits';
import { SimilarityCell } from '@/components/originality/similarity-cell';
import { StatusBadge } from '@/components/reflection-view/status-badge';
import { inputClass } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';
import type { ActionResult } from '@/lib/action-result';
import { ReviewKeyboard } from './review-keyboard';

export interface QueueRow {
  id: number;
  href: string;
  authorName: string;
  authorTitle: string;
  unitName: string | null;
  place: string;
  title: string;
  charCount: number;
  submitted: string;
  late: boolean;
  status: 'submitted' | 'returned' | 'approved';
  excellent: boolean;
  tags: string[];
  /** 查重: per mille, null before a check */
  similarity: number | null;
  similarityThreshold: number;
}

/**
 * The queue as a table on wide screens and as cards on a phone (the same markup, restyled), with
 * a checkbox per row for 加标签 / 去标签 on a selection, and j/k to move between rows.
 */
// Every cell's look is set once here, by column, rather than on each of 25 rows × 12 cells (issue
// 15: the page's HTML). On a phone each row is a card: the box floats right, 姓名 · 职务 on a line,
// then 单位, the place, the title, and 字数, time, state, 查重, tags and 优秀 run on.
const TABLE =
  'w-full border-collapse text-left text-base max-md:block [&_th]:p-2 [&_input]:size-5 [&_input]:accent-brand-600 ' +
  '[&_td]:p-2 max-md:[&_td]:p-0 max-md:[&_td]:inline [&_tbody_tr]:border-b [&_tbody_tr]:border-stone-200 [&_tbody_tr]:align-top ' +
  'max-md:[&_tbody_tr]:block max-md:[&_tbody_tr]:rounded-lg max-md:[&_tbody_tr]:border max-md:[&_tbody_tr]:bg-white max-md:[&_tbody_tr]:p-3 ' +
  '[&_tbody_tr:not([data-current])]:hover:bg-stone-50 [&_tr[data-current]]:bg-amber-50 [&_tr[data-current]]:outline-2 [&_tr[data-current]]:outline-amber-400 ' +
  'max-md:[&_td:nth-child(1)]:float-right ' +
  '[&_td:nth-child(2)]:font-medium [&_td:nth-child(2)]:whitespace-nowrap ' +
  "[&_td:nth-child(3)]:text-sm [&_td:nth-child(3)]:break-words [&_td:nth-child(3)]:text-stone-700 max-md:[&_td:nth-child(3)]:before:content-['_·_'] " +
  '[&_td:nth-child(4)]:text-sm [&_td:nth-child(4)]:whitespace-nowrap [&_td:nth-child(4)]:text-stone-700 max-md:[&_td:nth-child(4)]:block ' +
  '[&_td:nth-child(5)]:text-sm [&_td:nth-child(5)]:break-words [&_td:nth-child(5)]:text-stone-700 max-md:[&_td:nth-child(5)]:block ' +
  '[&_td:nth-child(6)]:break-words max-md:[&_td:nth-child(6)]:block max-md:[&_td:nth-child(6)]:pt-1 ' +
  '[&_td:nth-child(6)_a]:font-medium [&_td:nth-child(6)_a]:text-brand-700 [&_td:nth-child(6)_a]:underline-offset-2 [&_td:nth-child(6)_a]:hover:underline ' +
  "[&_td:nth-child(7)]:text-right [&_td:nth-child(7)]:tabular-nums max-md:[&_td:nth-child(7)]:after:content-['字_'] " +
  '[&_td:nth-child(8)]:text-sm [&_td:nth-child(8)]:whitespace-nowrap ' +
  '[&_td:nth-child(8)_b]:ml-1 [&_td:nth-child(8)_b]:rounded [&_td:nth-child(8)_b]:bg-orange-50 [&_td:nth-child(8)_b]:px-1.5 [&_td:nth-child(8)_b]:py-0.5 [&_td:nth-child(8)_b]:text-xs [&_td:nth-child(8)_b]:font-medium [&_td:nth-child(8)_b]:text-orange-900 [&_td:nth-child(8)_b]:ring-1 [&_td:nth-child(8)_b]:ring-orange-300 ' +
  '[&_td:nth-child(9)]:whitespace-nowrap max-md:[&_td:nth-child(9)]:mt-1 max-md:[&_td:nth-child(9)]:block ' +
  '[&_td:nth-child(10)]:text-sm max-md:[&_td:nth-child(10)]:pl-2 ' +
  '[&_td:nth-child(11)]:text-sm [&_td:nth-child(11)_ul]:flex [&_td:nth-child(11)_ul]:flex-wrap [&_td:nth-child(11)_ul]:gap-1 ' +
  '[&_td:nth-child(11)_li]:rounded [&_td:nth-child(11)_li]:bg-brand-50 [&_td:nth-child(11)_li]:px-1.5 [&_td:nth-child(11)_li]:py-0.5 [&_td:nth-child(11)_li]:text-brand-800 ' +
  'max-md:[&_td:nth-child(12)]:pl-2 [&_td:nth-child(12)_b]:rounded [&_td:nth-child(12)_b]:bg-yellow-50 [&_td:nth-child(12)_b]:px-1.5 [&_td:nth-child(12)_b]:py-0.5 ' +
  '[&_td:nth-child(12)_b]:text-sm [&_td:nth-child(12)_b]:font-medium [&_td:nth-child(12)_b]:text-yellow-900 [&_td:nth-child(12)_b]:ring-1 [&_td:nth-child(12)_b]:ring-yellow-400';

export function QueueTable({
  rows,
  tagsByCourse,
}: {
  rows: QueueRow[];
  tagsByCourse: { courseId: number; courseName: string; tags: { id: number; name: string }[] }[];
}) {
  const [state, formAction] = useActionState<ActionResult | null, FormData>(bulkTagAction, null);
  const [current, setCurrent] = useState(-1);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const links = useRef<(HTMLAnchorElement | null)[]>([]);
  const router = useRouter();
  const values = state && !state.ok ? state.values : undefined;

  function move(delta: number) {
    const next = Math.min(Math.max(current + delta, 0), rows.length - 1);
    setCurrent(next);
    links.current[next]?.focus();
  }
  function openCurrent(decide?: 'approve' | 'return') {
    const row = rows[current < 0 ? 0 : current];
    if (!row) return;
    router.push(decide ? `${row.href}${row.href.includes('?') ? '&' : '?'}decide=${decide}` : row.href);
  }
  function toggle(id: number, on: boolean) {
    setSelected((prev) => {
      const next = new Set(prev);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }
  const allOn = rows.length > 0 && rows.every((r) => selected.has(r.id));

  return (
    <form action={formAction} className="space-y-3">
      <div className="flex flex-wrap items-end gap-2 rounded-lg border border-stone-200 bg-stone-50 p-3">
        <div className="min-w-0 flex-1 basis-48 space-y-1">
          <label htmlFor="bulk-tag" className="block text-sm font-medium text-stone-800">
            给勾选的心得
          </label>
          <select id="bulk-tag" name="tagId" defaultValue={values?.tagId ?? ''} className={inputClass}>
            <option value="">选择标签</option>
            {tagsByCourse.map((g) => (
              <optgroup key={g.courseId} label={g.courseName}>
                {g.tags.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </div>
        <SubmitButton name="op" value="apply" variant="secondary" pendingText="正在处理…" disabled={selected.size === 0}>
          加标签
        </SubmitButton>
        <SubmitButton name="op" value="remove" variant="secondary" pendingText="正在处理…" disabled={selected.size === 0}>
          去标签
        </SubmitButton>
        <span className="text-sm text-stone-700" aria-live="polite">
          已勾选 {selected.size} 篇
        </span>
        <span className="ml-auto">
          <ReviewKeyboard
            where="queue"
            handlers={{
              next: () => move(1),
              prev: () => move(-1),
              open: () => openCurrent(),
              approve: () => openCurrent('approve'),
              return: () => openCurrent('return'),
            }}
          />
        </span>
      </div>
      <FormStatus state={state} />
      <table className={TABLE}>
        <caption className="sr-only">心得列表</caption>
        <thead className="max-md:hidden">
          <tr className="border-b-2 border-stone-300 text-sm text-stone-700">
            <th scope="col">
              <input
                type="checkbox"
                aria-label="全选本页"
                checked={allOn}
                onChange={(e) => setSelected(e.target.checked ? new Set(rows.map((r) => r.id)) : new Set())}
              />
            </th>
            <th scope="col">姓名</th>
            <th scope="col">职务</th>
            <th scope="col">单位</th>
            <th scope="col">读书班/集中学习</th>
            <th scope="col">标题</th>
            <th scope="col" className="text-right">
              字数
            </th>
            <th scope="col">提交时间</th>
            <th scope="col">状态</th>
            <th scope="col">查重</th>
            <th scope="col">标签</th>
            <th scope="col">优秀</th>
          </tr>
        </thead>
        <tbody className="max-md:block max-md:space-y-3">
          {rows.map((r, i) => (
            <tr key={r.id} data-current={i === current ? '' : undefined}>
              <td>
                <input
                  type="checkbox"
                  name="reflectionIds"
                  value={r.id}
                  checked={selected.has(r.id)}
                  onChange={(e) => toggle(r.id, e.target.checked)}
                  aria-label={`选择 ${r.authorName} ${r.title}`}
                />
              </td>
              <td>{r.authorName}</td>
              <td>{r.authorTitle}</td>
              <td>{r.unitName ?? '—'}</td>
              <td>{r.place}</td>
              <td>
                <Link
                  ref={(el) => {
                    links.current[i] = el;
                  }}
                  href={r.href}
                  onFocus={() => setCurrent(i)}
                >
                  {r.title || '（无标题）'}
                </Link>
              </td>
              <td>{r.charCount}</td>
              <td>
                {r.submitted}
                {r.late ? <b>逾期</b> : null}
              </td>
              <td>
                <StatusBadge status={r.status} />
              </td>
              <td>
                <SimilarityCell share={r.similarity} threshold={r.similarityThreshold} />
              </td>
              <td>
                {r.tags.length ? (
                  <ul aria-label="标签">
                    {r.tags.map((t) => (
                      <li key={t}>{t}</li>
                    ))}
                  </ul>
                ) : (
                  <span className="max-md:hidden">—</span>
                )}
              </td>
              <td>{r.excellent ? <b>优秀</b> : null}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </form>
  );
}
