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
      <table className="w-full border-collapse text-left text-base max-md:block">
        <caption className="sr-only">心得列表</caption>
        <thead className="max-md:hidden">
          <tr className="border-b-2 border-stone-300 text-sm text-stone-700">
            <th scope="col" className="p-2">
              <input
                type="checkbox"
                aria-label="全选本页"
                checked={allOn}
                onChange={(e) => setSelected(e.target.checked ? new Set(rows.map((r) => r.id)) : new Set())}
                className="size-5 accent-brand-600"
              />
            </th>
            <th scope="col" className="p-2">姓名</th>
            <th scope="col" className="p-2">职务</th>
            <th scope="col" className="p-2">单位</th>
            <th scope="col" className="p-2">读书班/集中学习</th>
            <th scope="col" className="p-2">标题</th>
            <th scope="col" className="p-2 text-right">字数</th>
            <th scope="col" className="p-2">提交时间</th>
            <th scope="col" className="p-2">状态</th>
            <th scope="col" className="p-2">查重</th>
            <th scope="col" className="p-2">标签</th>
            <th scope="col" className="p-2">优秀</th>
          </tr>
        </thead>
        <tbody className="max-md:block max-md:space-y-3">
          {rows.map((r, i) => (
            <tr
              key={r.id}
              className={`border-b border-stone-200 align-top max-md:block max-md:rounded-lg max-md:border max-md:bg-white max-md:p-3 ${
                i === current ? 'bg-amber-50 outline-2 outline-amber-400' : 'hover:bg-stone-50'
              }`}
            >
              <td className="p-2 max-md:float-right max-md:p-0">
                <input
                  type="checkbox"
                  name="reflectionIds"
                  value={r.id}
                  checked={selected.has(r.id)}
                  onChange={(e) => toggle(r.id, e.target.checked)}
                  aria-label={`选择 ${r.authorName} ${r.title}`}
                  className="size-5 accent-brand-600"
                />
              </td>
              <td className="p-2 font-medium whitespace-nowrap max-md:inline max-md:p-0">{r.authorName}</td>
              <td className="p-2 text-sm break-words text-stone-700 max-md:inline max-md:p-0 max-md:before:content-['_·_']">{r.authorTitle}</td>
              <td className="p-2 text-sm whitespace-nowrap text-stone-700 max-md:block max-md:p-0">{r.unitName ?? '—'}</td>
              <td className="p-2 text-sm break-words text-stone-700 max-md:block max-md:p-0">{r.place}</td>
              <td className="p-2 break-words max-md:block max-md:p-0 max-md:pt-1">
                <Link
                  ref={(el) => {
                    links.current[i] = el;
                  }}
                  href={r.href}
                  onFocus={() => setCurrent(i)}
                  className="font-medium text-brand-700 underline-offset-2 hover:underline"
                >
                  {r.title || '（无标题）'}
                </Link>
              </td>
              <td className="p-2 text-right tabular-nums max-md:inline max-md:p-0 max-md:after:content-['字_']">{r.charCount}</td>
              <td className="p-2 text-sm whitespace-nowrap max-md:inline max-md:p-0">
                {r.submitted}
                {r.late ? (
                  <span className="ml-1 rounded bg-orange-50 px-1.5 py-0.5 text-xs font-medium text-orange-900 ring-1 ring-orange-300">逾期</span>
                ) : null}
              </td>
              <td className="p-2 whitespace-nowrap max-md:mt-1 max-md:block max-md:p-0">
                <StatusBadge status={r.status} />
              </td>
              <td className="p-2 text-sm max-md:inline max-md:p-0 max-md:pl-2">
                <SimilarityCell share={r.similarity} threshold={r.similarityThreshold} />
              </td>
              <td className="p-2 text-sm max-md:inline max-md:p-0">
                {r.tags.length ? (
                  <ul className="flex flex-wrap gap-1" aria-label="标签">
                    {r.tags.map((t) => (
                      <li key={t} className="rounded bg-brand-50 px-1.5 py-0.5 text-brand-800">
                        {t}
                      </li>
                    ))}
                  </ul>
                ) : (
                  <span className="max-md:hidden">—</span>
                )}
              </td>
              <td className="p-2 max-md:inline max-md:p-0 max-md:pl-2">
                {r.excellent ? <span className="rounded bg-yellow-50 px-1.5 py-0.5 text-sm font-medium text-yellow-900 ring-1 ring-yellow-400">优秀</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </form>
  );
}
