import type { CommentDto, DisplayStatus } from '@/db/queries/reflections/reads';
import { formatDateTime } from '@/lib/time';
import { CommentList } from './comment-list';

/**
 * The decision in force, and what came before it. An approved reflection shows the approval and
 * its comment; a returned one the return that asks for changes. Every other comment — an earlier
 * return that has since been answered — is history, so that 已通过 never sits beside a stale
 * "结合实际不够紧密".
 */
export function splitDecision(status: DisplayStatus, comments: CommentDto[]): { current: CommentDto | null; history: CommentDto[] } {
  const want = status === 'approved' ? 'approve' : status === 'returned' ? 'return' : null;
  const current = want ? ([...comments].reverse().find((c) => c.decision === want) ?? null) : null;
  return { current, history: comments.filter((c) => c !== current) };
}

export function CurrentDecision({ status, comment }: { status: DisplayStatus; comment: CommentDto | null }) {
  if (status !== 'approved' && status !== 'returned') return null;
  const approved = status === 'approved';
  return (
    <section
      aria-labelledby="decision-heading"
      className={`mb-5 rounded-lg border-2 p-4 ${approved ? 'border-green-300 bg-green-50' : 'border-red-300 bg-red-50'}`}
    >
      <h2 id="decision-heading" className={`text-lg font-semibold ${approved ? 'text-green-900' : 'text-red-900'}`}>
        {approved ? '已通过' : '组织者退回修改'}
      </h2>
      {comment ? (
        <p className="mt-1 text-sm text-stone-700">
          {comment.authorName ?? '组织者'} · {formatDateTime(comment.createdAt)}
          {comment.version ? ` · 关于第 ${comment.version} 版` : ''}
        </p>
      ) : null}
      <p className="mt-2 text-base break-words whitespace-pre-line text-stone-900">
        {comment?.body || (approved ? '这篇心得已通过审阅。' : '请根据要求修改后重新提交。')}
      </p>
    </section>
  );
}

export function DecisionHistory({ comments }: { comments: CommentDto[] }) {
  if (comments.length === 0) return null;
  return (
    <section aria-labelledby="comments-heading" className="rounded-lg border border-stone-200 bg-white p-5">
      <h2 id="comments-heading" className="text-lg font-semibold">
        审阅记录
      </h2>
      <p className="mt-1 text-sm text-stone-600">以往的评语和决定，按时间先后。</p>
      <div className="mt-3">
        <CommentList comments={comments} />
      </div>
    </section>
  );
}
