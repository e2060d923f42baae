import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { AppShell, PageTitle } from '@/components/app-shell';
import { Breadcrumbs } from '@/components/course/breadcrumbs';
import { listStatisticsPeople, PEOPLE_KIND_LABELS, type PeopleKind } from '@/db/queries/statistics/people';
import { requireRole } from '@/lib/auth/viewer';
import { idSchema } from '@/lib/validation/common';

export const metadata: Metadata = { title: '统计名单' };

/** The people behind a statistics figure: 学员, 应交 or 未交, with the row's filters. */
export default async function StatisticsPeoplePage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const viewer = await requireRole('organizer', 'admin');
  const id = idSchema.safeParse((await params).id);
  if (!id.success) notFound();
  const sp = await searchParams;
  const d = await listStatisticsPeople(viewer, { courseId: id.data, kind: sp.kind as PeopleKind, meeting: sp.meeting, unit: sp.unit, group: sp.group });
  const label = PEOPLE_KIND_LABELS[d.kind];
  const pairs = d.kind !== 'members';
  return (
    <AppShell viewer={viewer}>
      <Breadcrumbs
        items={[
          { href: '/courses', label: '读书班' },
          { href: `/courses/${d.course.id}`, label: d.course.name },
          { href: `/courses/${d.course.id}/statistics`, label: '统计' },
          { label },
        ]}
      />
      <PageTitle>
        {label}名单（{d.rows.length}{pairs ? ' 篇' : ' 人'}）
      </PageTitle>
      {d.filterLabels.length ? <p className="-mt-3 mb-4 text-stone-700">{d.filterLabels.join('；')}</p> : null}
      {d.rows.length === 0 ? (
        <p className="rounded-lg border border-dashed border-stone-300 bg-white p-5 text-stone-700">名单为空。</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-stone-200 bg-white">
          <table className="w-full min-w-[32rem] text-left text-sm">
            <thead className="bg-stone-50 text-stone-700">
              <tr>
                <th scope="col" className="px-3 py-2">姓名</th>
                <th scope="col" className="px-3 py-2">单位</th>
                <th scope="col" className="px-3 py-2">讨论小组</th>
                {pairs ? <th scope="col" className="px-3 py-2">心得任务</th> : null}
                {d.kind === 'expected' ? <th scope="col" className="px-3 py-2">状态</th> : null}
              </tr>
            </thead>
            <tbody>
              {d.rows.map((r, i) => (
                <tr key={`${r.userId}-${i}`} className="border-t border-stone-100">
                  <th scope="row" className="px-3 py-2 font-medium">
                    <Link href={`/archive/${r.userId}`} className="text-brand-700 underline-offset-2 hover:underline">{r.name}</Link>
                    {r.title ? <span className="block text-xs font-normal text-stone-600 [overflow-wrap:anywhere]">{r.title}</span> : null}
                  </th>
                  <td className="px-3 py-2 [overflow-wrap:anywhere]">{r.unitName || '（未填单位）'}</td>
                  <td className="px-3 py-2">{r.groupName || '（未分组）'}</td>
                  {pairs ? (
                    <td className="px-3 py-2 [overflow-wrap:anywhere]">
                      {r.meetingTitle} · {r.assignmentTitle}
                    </td>
                  ) : null}
                  {d.kind === 'expected' ? <td className="px-3 py-2">{r.handedIn ? '已交' : '未交'}</td> : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </AppShell>
  );
}
