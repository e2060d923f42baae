'use client';

import { useRouter } from 'next/navigation';
import { useActionState, useCallback, useEffect, useRef, useState } from 'react';
import { bulkTagAction } from '@/app/(organizer)/review/actions';
import { FormStatus } from '@/components/course/form-bits';
import { StatusBadge } from '@/components/reflection-view/status-badge';
import { SubmitButton } from '@/components/ui/submit-button';
import type { ActionResult } from '@/lib/action-result';
import { EXCELLENT, LATE, SIMILAR, type QueueRow, type TagGroup } from './queue-row';
import css from './queue-table.module.css';
import { ReviewKeyboard } from './review-keyboard';

function ticked(form: HTMLFormElement): HTMLInputElement[] {
  return [...form.querySelectorAll<HTMLInputElement>('input[type="checkbox"][name="reflectionIds"]')];
}

/**
 * The queue as a table on wide screens and as cards on a phone (the same markup, restyled by
 * queue-table.module.css), with a checkbox per row for 加标签 / 去标签 on a selection, and j/k to
 * move between rows. The boxes are the browser's own (uncontrolled): what was ticked before the
 * scripts ran is kept and counted once they run.
 */
export function QueueTable({ rows, places, query, tagGroups }: { rows: QueueRow[]; places: string[]; query: string; tagGroups: TagGroup[] }) {
  const [state, formAction] = useActionState<ActionResult | null, FormData>(bulkTagAction, null);
  const [current, setCurrent] = useState(-1);
  const [count, setCount] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  const allRef = useRef<HTMLInputElement>(null);
  const router = useRouter();
  const values = state && !state.ok ? state.values : undefined;
  const hrefOf = (id: number) => `/review/${id}${query ? `?${query}` : ''}`;

  const sync = useCallback(() => {
    const form = formRef.current;
    if (!form) return;
    const boxes = ticked(form);
    const n = boxes.filter((b) => b.checked).length;
    setCount(n);
    if (allRef.current) {
      allRef.current.checked = n > 0 && n === boxes.length;
      allRef.current.indeterminate = n > 0 && n < boxes.length;
    }
  }, []);
  // On arrival (boxes ticked before the scripts ran) and after an action (React resets the form).
  useEffect(() => {
    sync();
  }, [state, sync]);

  function onChange(e: React.FormEvent<HTMLFormElement>) {
    const target = e.target as HTMLInputElement;
    if (target.type !== 'checkbox') return;
    if (target === allRef.current) for (const box of ticked(e.currentTarget)) box.checked = target.checked;
    sync();
  }

  function linkAt(i: number): HTMLAnchorElement | null {
    return formRef.current?.querySelectorAll<HTMLAnchorElement>('tbody a')[i] ?? null;
  }
  function move(delta: number) {
    const next = Math.min(Math.max(current + delta, 0), rows.length - 1);
    setCurrent(next);
    linkAt(next)?.focus();
  }
  function openCurrent(decide?: 'approve' | 'return') {
    const row = rows[current < 0 ? 0 : current];
    if (!row) return;
    const href = hrefOf(row[0]);
    router.push(decide ? `${href}${href.includes('?') ? '&' : '?'}decide=${decide}` : href);
  }
  function onFocus(e: React.FocusEvent<HTMLFormElement>) {
    const tr = (e.target as HTMLElement).closest('tbody tr');
    if (tr && e.target instanceof HTMLAnchorElement) setCurrent([...tr.parentElement!.children].indexOf(tr));
  }

  return (
    <form ref={formRef} action={formAction} onChange={onChange} onFocus={onFocus} className="space-y-3">
      <div className={css.bar}>
        <div>
          <label htmlFor="bulk-tag">给勾选的心得</label>
          <select id="bulk-tag" name="tagId" defaultValue={values?.tagId ?? ''}>
            <option value="">选择标签</option>
            {tagGroups.map(([courseName, tags]) => (
              <optgroup key={courseName} label={courseName}>
                {tags.map(([id, name]) => (
                  <option key={id} value={id}>
                    {name}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </div>
        <SubmitButton name="op" value="apply" variant="secondary" pendingText="正在处理…" disabled={count === 0}>
          加标签
        </SubmitButton>
        <SubmitButton name="op" value="remove" variant="secondary" pendingText="正在处理…" disabled={count === 0}>
          去标签
        </SubmitButton>
        <span className={css.count} aria-live="polite">
          已勾选 {count} 篇
        </span>
        <span className={css.keys}>
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
      <table className={css.table}>
        <caption className="sr-only">心得列表</caption>
        <thead>
          <tr>
            <th scope="col">
              <input ref={allRef} type="checkbox" aria-label="全选本页" />
            </th>
            <th scope="col">姓名</th>
            <th scope="col">职务</th>
            <th scope="col">单位</th>
            <th scope="col">读书班/集中学习</th>
            <th scope="col">标题</th>
            <th scope="col">字数</th>
            <th scope="col">提交时间</th>
            <th scope="col">状态</th>
            <th scope="col">查重</th>
            <th scope="col">标签</th>
            <th scope="col">优秀</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([id, author, post, unit, place, title, chars, submitted, status, flags, similarity, tags], i) => (
            <tr key={id} data-current={i === current ? '' : undefined}>
              <td>
                <input type="checkbox" name="reflectionIds" value={id} aria-label={`选择 ${author} ${title}`} />
              </td>
              <td>{author}</td>
              <td>{post}</td>
              <td>{unit || '—'}</td>
              <td>{places[place]}</td>
              <td>
                <a href={hrefOf(id)}>{title || '（无标题）'}</a>
              </td>
              <td>{chars}</td>
              <td>
                {submitted}
                {flags & LATE ? <b>逾期</b> : null}
              </td>
              <td>
                <StatusBadge status={status} />
              </td>
              <td>
                {similarity === null ? (
                  <i>—</i>
                ) : (
                  <>
                    <span>{`${Math.round(similarity / 10)}%`}</span>
                    {flags & SIMILAR ? <b>疑似雷同</b> : null}
                  </>
                )}
              </td>
              <td>
                {tags.length ? (
                  <ul aria-label="标签">
                    {tags.map((t) => (
                      <li key={t}>{t}</li>
                    ))}
                  </ul>
                ) : (
                  <i>—</i>
                )}
              </td>
              <td>{flags & EXCELLENT ? <b>优秀</b> : null}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </form>
  );
}
