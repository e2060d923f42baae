import type { MyAssignmentItem } from '@/db/queries/reflections/reads';
import { deadlineLabel } from '@/lib/reflection/deadline';
import { limitsText } from '@/lib/reflection/limits';
import { formatDateTime } from '@/lib/time';
import s from './assignment-card.module.css';
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

/**
 * One assignment in the /my list: its state, its deadline, the organizer's latest comment.
 * Server HTML with plain links; the look is in assignment-card.module.css.
 */
export function AssignmentCard({ item }: { item: MyAssignmentItem }) {
  const r = item.reflection;
  const done = item.status === 'submitted' || item.status === 'approved';
  const label = actionLabel(item);
  const href = assignmentHref(item.assignmentId);
  return (
    <article className={s.card}>
      <div>
        <p>
          <a href={href}>{item.title}</a>
        </p>
        <StatusBadge status={item.status} />
      </div>
      <p className={s.meta}>
        <span>{`截止 ${formatDateTime(item.dueAt)}`}</span>
        {done || !item.writable || item.status === 'returned' ? null : (
          <span className={item.deadline.kind === 'open' ? undefined : s.urgent}>{deadlineLabel(item.deadline)}</span>
        )}
        {!done && !item.writable && item.status !== 'returned' && item.status !== 'not_required' ? (
          <span className={s.strong}>{item.course.archived ? '读书班已结束' : '已截止'}</span>
        ) : null}
        {item.minChars > 0 || item.maxChars > 0 ? <span>{`字数 ${limitsText(item.minChars, item.maxChars)}`}</span> : null}
      </p>
      {item.status === 'not_required' ? <p>你加入读书班时已截止，无需提交。</p> : null}
      {r && r.submittedAt ? (
        <p className={s.meta}>
          <span>{`${formatDateTime(r.submittedAt)} 提交第 ${r.versionCount} 版`}</span>
          <span>{`字数 ${r.charCount}`}</span>
          {r.late ? <span className={s.urgent}>逾期提交</span> : null}
        </p>
      ) : r ? (
        <p className={s.draft}>{`草稿保存于 ${formatDateTime(r.updatedAt)} · 字数 ${r.charCount}`}</p>
      ) : null}
      {item.latestComment ? (
        <figure>
          <figcaption>{`${item.latestComment.authorName ?? '组织者'}的评语 · ${formatDateTime(item.latestComment.createdAt)}`}</figcaption>
          <blockquote>{item.latestComment.body}</blockquote>
        </figure>
      ) : null}
      <div>
        <a href={href} className={label === '查看' ? s.secondary : undefined}>
          {label}
          <span className="sr-only">{`:${item.title}`}</span>
        </a>
      </div>
    </article>
  );
}
