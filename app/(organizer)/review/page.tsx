import type { Metadata } from 'next';
import Link from 'next/link';
import { listQueueFilterOptions, listReviewQueue } from '@/db/queries/review/queue';
import { AppShell, PageTitle } from '@/components/app-shell';
import { QueueFilters, StateChips } from '@/components/review/queue-filters';
import { QueueTable, type QueueRow } from '@/components/review/queue-table';
import { Alert } from '@/components/ui/alert';
import { buttonClass } from '@/components/ui/button-class';
import { Pager } from '@/components/ui/pager';
import { requireRole } from '@/lib/auth/viewer';
import { formatDateTime } from '@/lib/time';
import { filterQuery, filterToParams } from '@/lib/validation/review';

export const metadata: Metadata = { title: '审阅' };

const EMPTY: Record<string, string> = {
  submitted: '没有待审阅的心得。',
  returned: '没有退回修改、等待学员重交的心得。',
  approved: '还没有通过的心得。',
  all: '还没有学员提交心得。',
};

/** The organizer's home: the queue of handed-in reflections of the courses they run. */
export default async function ReviewPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const viewer = await requireRole('organizer', 'admin');
  const params = await searchParams;
  const queue = listReviewQueue(viewer, params, { after: params.after, before: params.before });
  const f = queue.filter;
  const counts = queue.counts;
  const options = listQueueFilterOptions(viewer, { courseId: f.course, tagsOfCourses: queue.items.map((r) => r.courseId) });
  const q = filterQuery(f);
  const rows: QueueRow[] = queue.items.map((r) => ({
    id: r.id,
    href: `/review/${r.id}${q ? `?${q}` : ''}`,
    authorName: r.authorName,
    authorTitle: r.authorTitle,
    unitName: r.unitName,
    place: `${r.courseName} / ${r.meetingTitle}`,
    title: r.title,
    charCount: r.charCount,
    submitted: r.submittedAt ? formatDateTime(r.submittedAt) : '—',
    late: r.late,
    status: r.status as QueueRow['status'],
    excellent: r.excellent,
    tags: r.tags.map((t) => t.name),
    similarity: r.similarity,
    similarityThreshold: r.similarityThreshold,
  }));
  return (
    <AppShell viewer={viewer}>
      <PageTitle
        actions={
          <div className="flex flex-wrap gap-2">
            <Link href="/review/courses" className={buttonClass('secondary')}>
              我负责的读书班
            </Link>
            <Link href="/review/tags" className={buttonClass('secondary')}>
              标签
            </Link>
            <Link href="/review/comments" className={buttonClass('secondary')}>
              评语库
            </Link>
          </div>
        }
      >
        审阅
      </PageTitle>
      {params.passwordChanged ? (
        <div className="mb-4">
          <Alert kind="success">密码已修改。</Alert>
        </div>
      ) : null}
      {params.done === 'all' ? (
        <div className="mb-4">
          <Alert kind="success">已保存。这个筛选条件下的待审阅心得都处理完了。</Alert>
        </div>
      ) : null}
      <div className="space-y-4">
        <StateChips filter={f} counts={counts} />
        <details className="group" open={Object.keys(filterToParams({ ...f, state: 'submitted' })).length > 0}>
          <summary className="cursor-pointer py-2 text-base font-medium text-stone-800">筛选和排序</summary>
          <QueueFilters filter={f} options={options} />
        </details>
        {rows.length === 0 ? (
          <p className="rounded-lg border border-dashed border-stone-300 bg-white p-6 text-stone-700">
            {EMPTY[f.state]}
            {Object.keys(filterToParams({ ...f, state: 'submitted' })).length > 0 ? '可以放宽筛选条件再看看。' : ''}
          </p>
        ) : (
          <QueueTable rows={rows} tagsByCourse={options.tagsByCourse} />
        )}
        <Pager
          page={queue.page}
          pageCount={queue.pageCount}
          total={queue.total}
          basePath="/review"
          params={filterToParams(f)}
          cursors={{ prev: queue.prevCursor, next: queue.nextCursor }}
        />
      </div>
    </AppShell>
  );
}
