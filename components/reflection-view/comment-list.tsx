import type { CommentDto } from '@/db/queries/reflections/reads';
import { formatDateTime } from '@/lib/time';

const DECISION_LABELS = { approve: '通过', return: '退回修改' } as const;

/** The organizer's comments the cadre may read (internal notes never reach this component). */
export function CommentList({ comments }: { comments: CommentDto[] }) {
  return (
    <ol className="space-y-3">
      {comments.map((c) => (
        <li key={c.id} className="rounded-md border border-stone-200 bg-stone-50 p-3">
          <p className="flex flex-wrap gap-x-2 text-sm text-stone-600">
            <span>{c.authorName ?? '组织者'}</span>
            <span>{formatDateTime(c.createdAt)}</span>
            {c.version ? <span>关于第 {c.version} 版</span> : null}
            {c.decision ? <span className="font-medium text-stone-800">{DECISION_LABELS[c.decision]}</span> : null}
          </p>
          {c.body ? <p className="mt-1 whitespace-pre-line break-words text-base text-stone-900">{c.body}</p> : null}
        </li>
      ))}
    </ol>
  );
}
