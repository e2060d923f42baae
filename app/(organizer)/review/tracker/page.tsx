import type { Metadata } from 'next';
import Link from 'next/link';
import { AppShell, PageTitle } from '@/components/app-shell';
import { buttonClass } from '@/components/ui/button-class';
import { Pager } from '@/components/ui/pager';
import { listTrackerAssignments } from '@/db/queries/tracker';
import { requireRole } from '@/lib/auth/viewer';
import { formatDateTime } from '@/lib/time';
import { pageSchema } from '@/lib/validation/common';

export const metadata: Metadata = { title: '交稿情况' };

export default async function TrackerIndexPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const viewer = await requireRole('organizer', 'admin');
  const params = await searchParams;
  const list = await listTrackerAssignments(viewer, { page: pageSchema.parse(params.page) });
  return (
    <AppShell viewer={viewer}>
      <PageTitle
        actions={
          <Link href="/review/search" className={buttonClass('secondary')}>
            搜索心得
          </Link>
        }
      >
        交稿情况
      </PageTitle>
      <p className="mb-4 text-stone-700">
        {viewer.role === 'admin' ? '全部读书班' : '你负责的读书班'}的心得任务，截止时间近的在前。点任务名称查看谁已提交、谁逾期、谁未交。
      </p>
      {list.items.length === 0 ? (
        <p className="rounded-lg border border-dashed border-stone-300 bg-white p-6 text-stone-700">还没有心得任务。在读书班的集中学习里布置任务后，交稿情况会列在这里。</p>
      ) : (
        <ul className="space-y-3">
          {list.items.map((a) => {
            const rate = a.memberCount === 0 ? 0 : a.submittedCount / a.memberCount;
            return (
              <li key={a.id} className="rounded-lg border border-stone-200 bg-white p-4">
                <h2 className="text-lg font-semibold [overflow-wrap:anywhere]">
                  <Link href={`/review/tracker/${a.id}`} className="text-brand-700 underline-offset-2 hover:underline">
                    {a.title}
                  </Link>
                </h2>
                <p className="mt-1 text-sm text-stone-600 [overflow-wrap:anywhere]">
                  {a.course.name}
                  {a.course.archived ? '（已归档）' : ''} · {a.meetingTitle} · 截止 {formatDateTime(a.dueAt)}
                </p>
                <p className="mt-2 text-base text-stone-800">
                  已交 <strong>{a.submittedCount}</strong> / {a.memberCount} 人
                  <span className="ml-2 text-stone-600">({(rate * 100).toFixed(0)}%)</span>
                </p>
                <div
                  className="mt-2 h-2 w-full overflow-hidden rounded bg-stone-200"
                  role="progressbar"
                  aria-label={`${a.title} 提交率`}
                  aria-valuemin={0}
                  aria-valuemax={100}
                  aria-valuenow={Math.round(rate * 100)}
                >
                  <div className="h-full bg-brand-600" style={{ width: `${Math.round(rate * 100)}%` }} />
                </div>
              </li>
            );
          })}
        </ul>
      )}
      <Pager page={list.page} pageCount={list.pageCount} total={list.total} basePath="/review/tracker" params={{}} />
    </AppShell>
  );
}
