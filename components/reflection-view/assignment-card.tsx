import Link from 'next/link';
import type { MyAssignmentItem } from '@/db/queries/reflections/reads';
import { buttonClass } from '@/components/ui/button-class';
import { deadlineLabel } from '@/lib/reflection/deadline';
import { limitsText } from '@/lib/reflection/limits';
import { formatDateTime } from '@/lib/time';
import { StatusBadge } from './status-badge';

export function assignmentHref(assignmentId: number): string {
  return `/my/assignments/${assignmentId}`;
}

/** What the cadre can do next, as the link says it. */
export function actionLabel(item: Pick<MyAssignmentItem, 'status' | 'writable'>): string {
  if (!item.writable) return '查看';
  if (item.status === 'returned') return '修改后重新提交';
  if (item.status === 'draft') return '继续写';
  return '写心得';
}

/** One assignment in the /my list: its state, its deadline, the organizer's latest comment. */
export function AssignmentCard({ item }: { item: MyAssignmentItem }) {
  const r = item.reflection;
  const done = item.status === 'submitted' || item.status === 'approved';
  const label = actionLabel(item);
  return (
    <article className="rounded-md border border-stone-200 p-4">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <p className="min-w-0 flex-1 text-base font-semibold break-words">
          <Link href={assignmentHref(item.assignmentId)} className="inline-flex min-h-11 items-center text-stone-900 underline-offset-2 hover:underline">
            {item.title}
          </Link>
        </p>
        <StatusBadge status={item.status} />
      </div>
      <p className="mt-1 flex flex-wrap gap-x-3 gap-y-1 text-sm text-stone-700">
        <span>截止 {formatDateTime(item.dueAt)}</span>
        {done || !item.writable || item.status === 'returned' ? null : (
          <span className={item.deadline.kind === 'open' ? 'text-stone-700' : 'font-medium text-red-700'}>
            {deadlineLabel(item.deadline)}
          </span>
        )}
        {!done && !item.writable && item.status !== 'returned' && item.status !== 'not_required' ? (
          <span className="font-medium text-stone-700">{item.course.archived ? '读书班已结束' : '已截止'}</span>
        ) : null}
        {item.minChars > 0 || item.maxChars > 0 ? <span>字数 {limitsText(item.minChars, item.maxChars)}</span> : null}
      </p>
      {item.status === 'not_required' ? <p className="mt-1 text-sm text-stone-700">你加入读书班时已截止，无需提交。</p> : null}
      {r && r.submittedAt ? (
        <p className="mt-1 flex flex-wrap gap-x-3 text-sm text-stone-700">
          <span>
            {formatDateTime(r.submittedAt)} 提交第 {r.versionCount} 版
          </span>
          <span>字数 {r.charCount}</span>
          {r.late ? <span className="font-medium text-red-700">逾期提交</span> : null}
        </p>
      ) : r ? (
        <p className="mt-1 text-sm text-stone-600">
          草稿保存于 {formatDateTime(r.updatedAt)} · 字数 {r.charCount}
        </p>
      ) : null}
      {item.latestComment ? (
        <figure className="mt-2 rounded border-l-4 border-amber-400 bg-amber-50 px-3 py-2">
          <figcaption className="text-sm text-stone-600">
            {item.latestComment.authorName ?? '组织者'}的评语 · {formatDateTime(item.latestComment.createdAt)}
          </figcaption>
          <blockquote className="mt-0.5 line-clamp-3 text-base break-words whitespace-pre-line text-stone-900">{item.latestComment.body}</blockquote>
        </figure>
      ) : null}
      <div className="mt-3">
        <Link href={assignmentHref(item.assignmentId)} className={buttonClass(label === '查看' ? 'secondary' : 'primary')}>
          {label}
          <span className="sr-only">:{item.title}</span>
        </Link>
      </div>
    </article>
  );
}
