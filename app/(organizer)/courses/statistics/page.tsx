import type { Metadata } from 'next';
import Link from 'next/link';
import { AppShell, PageTitle } from '@/components/app-shell';
import { Breadcrumbs } from '@/components/course/breadcrumbs';
import { Chart } from '@/components/statistics/stat-table';
import { listCourseOverview } from '@/db/queries/statistics/overview';
import { requireRole } from '@/lib/auth/viewer';
import { barChartSvg } from '@/lib/statistics/chart';

export const metadata: Metadata = { title: '统计总览' };

/** 统计总览: every course the viewer manages (an admin: all), one line each, each leading to its 统计. */
export default async function StatisticsOverviewPage() {
  const viewer = await requireRole('organizer', 'admin');
  const rows = await listCourseOverview(viewer);
  const shown = rows.filter((r) => !r.archived).slice(0, 20);
  return (
    <AppShell viewer={viewer}>
      <Breadcrumbs items={[{ href: '/courses', label: '读书班' }, { label: '统计总览' }]} />
      <PageTitle>统计总览</PageTitle>
      {rows.length === 0 ? (
        <p className="rounded-lg border border-dashed border-stone-300 bg-white p-5 text-stone-700">还没有读书班。</p>
      ) : (
        <>
          {shown.length ? (
            <Chart
              title="各读书班心得提交情况"
              svg={barChartSvg({
                categories: shown.map((r) => r.name),
                series: [
                  { name: '已交', data: shown.map((r) => r.submitted), color: '#15803d' },
                  { name: '未交', data: shown.map((r) => r.missing), color: '#b91c1c' },
                ],
              })}
            />
          ) : null}
          <div className="overflow-x-auto rounded-lg border border-stone-200 bg-white">
            <table className="w-full min-w-[40rem] text-left text-sm tabular-nums">
              <caption className="px-3 py-2 text-left text-base font-semibold">各读书班</caption>
              <thead className="bg-stone-50 text-stone-700">
                <tr>
                  {['读书班', '学员', '应交', '已交', '逾期', '未交', '通过', '优秀', '字数合计'].map((h, i) => (
                    <th key={h} scope="col" className={`px-3 py-2 ${i ? 'text-right' : ''}`}>{h}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.id} className="border-t border-stone-100">
                    <th scope="row" className="px-3 py-2 font-normal [overflow-wrap:anywhere]">
                      <Link href={`/courses/${r.id}/statistics`} className="text-brand-700 underline-offset-2 hover:underline">{r.name}</Link>
                      {r.archived ? <span className="ml-2 text-xs text-stone-600">已归档</span> : null}
                    </th>
                    {[r.members, r.expected, r.submitted, r.late, r.missing, r.approved, r.excellent, r.words].map((n, i) => (
                      <td key={i} className="px-3 py-2 text-right">{n}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </AppShell>
  );
}
