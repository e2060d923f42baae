import type { Metadata } from 'next';
import { listQueueFilterOptions, listReviewQueue } from '@/db/queries/review/queue';
import { AppShell, PageTitle } from '@/components/app-shell';
import { QueueFilters, StateChips } from '@/components/review/queue-filters';
import { EXCELLENT, LATE, SIMILAR, type QueueRow, type TagGroup } from '@/components/review/queue-row';
import css from '@/components/review/queue-filters.module.css';
import { QueueTable } from '@/components/review/queue-table';
import { Alert } from '@/components/ui/alert';
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

// Plain links (server HTML, no client component, nothing prefetched: issue 15).
const TITLE_LINKS = [
  ['/review/courses', '我负责的读书班'],
  ['/review/tags', '标签'],
  ['/review/comments', '评语库'],
] as const;

/** The organizer's home: the queue of handed-in reflections of the courses they run. */
export default async function ReviewPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const viewer = await requireRole('organizer', 'admin');
  const params = await searchParams;
  const queue = await listReviewQueue(viewer, params, { after: params.after, before: params.before });
  const f = queue.filter;
  const counts = queue.counts;
  const options = await listQueueFilterOptions(viewer, { courseId: f.course, tagsOfCourses: queue.items.map((r) => r.courseId) });
  const q = filterQuery(f);
  // The rows as short tuples (components/review/queue-row.ts), each place (读书班 / 集中学习) once.
  const places: string[] = [];
  const placeIndex = new Map<string, number>();
  const rows = queue.items.map((r): QueueRow => {
    const place = `${r.courseName} / ${r.meetingTitle}`;
    let at = placeIndex.get(place);
    if (at === undefined) {
      at = places.push(place) - 1;
      placeIndex.set(place, at);
    }
    const similar = r.similarity !== null && r.similarity >= r.similarityThreshold * 10;
    return [
      r.id,
      r.authorName,
      r.authorTitle,
      r.unitName ?? '',
      at,
      r.title,
      r.charCount,
      r.submittedAt ? formatDateTime(r.submittedAt) : '—',
      r.status as QueueRow[8],
      (r.late ? LATE : 0) | (r.excellent ? EXCELLENT : 0) | (similar ? SIMILAR : 0),
      r.similarity,
      r.tags.map((t) => t.name),
    ];
  });
  const tagGroups = options.tagsByCourse.map((g): TagGroup => [g.courseName, g.tags.map((t): [number, string] => [t.id, t.name])]);
  return (
    <AppShell viewer={viewer}>
      <PageTitle
        actions={
          <div className={css.links}>
            {TITLE_LINKS.map(([href, label]) => (
              <a key={href} href={href}>
                {label}
              </a>
            ))}
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
        <QueueFilters filter={f} options={options} />
        {rows.length === 0 ? (
          <p className="rounded-lg border border-dashed border-stone-300 bg-white p-6 text-stone-700">
            {EMPTY[f.state]}
            {Object.keys(filterToParams({ ...f, state: 'submitted' })).length > 0 ? '可以放宽筛选条件再看看。' : ''}
          </p>
        ) : (
          <QueueTable rows={rows} places={places} query={q} tagGroups={tagGroups} />
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
