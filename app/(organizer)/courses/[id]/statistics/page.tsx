import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { AppShell, PageTitle } from '@/components/app-shell';
import { Breadcrumbs } from '@/components/course/breadcrumbs';
import { CopyButton } from '@/components/statistics/copy-button';
import { PrintButton } from '@/components/statistics/print-button';
import { Chart, COLUMNS, FigureLink, StatTable } from '@/components/statistics/stat-table';
import { buttonClass } from '@/components/ui/button-class';
import { getCourseStatistics, type StatRow } from '@/db/queries/statistics/course';
import { requireRole } from '@/lib/auth/viewer';
import { barChartSvg, lineChartSvg } from '@/lib/statistics/chart';
import { figureHref, tagHref, type FigureKey } from '@/lib/statistics/links';
import { summaryParagraph } from '@/lib/statistics/summary';
import { formatDateTime } from '@/lib/time';
import { idSchema } from '@/lib/validation/common';

export const metadata: Metadata = { title: '统计' };

const GREEN = '#15803d';
const AMBER = '#d97706';
const RED = '#b91c1c';
const BLUE = '#1d4ed8';

function submissionChart(rows: StatRow[]): string {
  return barChartSvg({
    categories: rows.map((r) => `${'　'.repeat(r.depth)}${r.label}`),
    series: [
      { name: '按时', data: rows.map((r) => r.figures.onTime), color: GREEN },
      { name: '逾期', data: rows.map((r) => r.figures.late), color: AMBER },
      { name: '未交', data: rows.map((r) => r.figures.missing), color: RED },
    ],
  });
}

const WEEK_COLUMNS = COLUMNS.filter((c) => !['members', 'expected', 'missing'].includes(c.key));

export default async function CourseStatisticsPage({ params }: { params: Promise<{ id: string }> }) {
  const viewer = await requireRole('organizer', 'admin');
  const id = idSchema.safeParse((await params).id);
  if (!id.success) notFound();
  const s = await getCourseStatistics(viewer, { courseId: id.data });
  const c = s.course.id;
  const t = s.totals;
  const paragraph = summaryParagraph({ courseName: s.course.name, meetingsHeld: s.meetingsHeld, bulletinsPublished: s.bulletinsPublished, ...t });
  const headline: { key: FigureKey; label: string }[] = [
    { key: 'members', label: '学员' },
    { key: 'expected', label: '应交心得' },
    { key: 'submitted', label: '已交心得' },
    { key: 'missing', label: '未交' },
    { key: 'approved', label: '通过' },
    { key: 'excellent', label: '优秀心得' },
    { key: 'inBulletins', label: '编入简报' },
    { key: 'similar', label: '疑似雷同' },
    { key: 'words', label: '字数合计' },
  ];
  return (
    <AppShell viewer={viewer}>
      <div className="print-report">
      <Breadcrumbs items={[{ href: '/courses', label: '读书班' }, { href: `/courses/${c}`, label: s.course.name }, { label: '统计' }]} />
      <PageTitle
        actions={
          <div className="flex flex-wrap gap-2 print:hidden">
            <a href={`/api/courses/${c}/statistics/export`} className={buttonClass('secondary')} download>
              导出Excel
            </a>
            <PrintButton />
          </div>
        }
      >
        统计：{s.course.name}
      </PageTitle>
      <p className="-mt-3 mb-4 text-sm text-stone-600">
        统计时间：{formatDateTime(s.generatedAt)}。集中学习 {s.meetingsHeld} 次（共安排 {s.meetingsTotal} 次），心得任务 {s.assignmentCount} 项，已发布简报 {s.bulletinsPublished} 期。
        每个数字都可以点开，查看对应的名单或心得；疑似雷同按本班的查重阈值计。
      </p>

      <section aria-labelledby="summary-heading" className="mb-6 rounded-lg border border-stone-200 bg-white p-4 print:border-0 print:p-0">
        <h2 id="summary-heading" className="mb-2 text-lg font-semibold">工作总结</h2>
        <p id="summary-text" className="mb-3 leading-relaxed text-stone-900">{paragraph}</p>
        <CopyButton text={paragraph} label="复制工作总结" />
      </section>

      <section aria-labelledby="totals-heading" className="mb-6">
        <h2 id="totals-heading" className="sr-only">汇总</h2>
        <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
          {headline.map((h) => (
            <div key={h.key} className="rounded-lg border border-stone-200 bg-white p-3">
              <dt className="text-sm text-stone-600">{h.label}</dt>
              <dd className="text-2xl font-bold">
                <FigureLink href={figureHref(c, h.key, {})} value={t[h.key]} label={h.label} />
              </dd>
            </div>
          ))}
        </dl>
      </section>

      {[
        { id: 'meeting', title: '按集中学习', head: '集中学习', rows: s.byMeeting },
        { id: 'unit', title: '按单位（含下级单位）', head: '单位', rows: s.byUnit },
        { id: 'group', title: '按讨论小组', head: '讨论小组', rows: s.byGroup },
      ].map((b) => (
        <section key={b.id} aria-labelledby={`${b.id}-heading`} className="mb-8 print:break-inside-avoid">
          <h2 id={`${b.id}-heading`} className="mb-2 text-lg font-semibold">{b.title}</h2>
          {b.rows.length === 0 ? (
            <p className="text-stone-700">暂无数据。</p>
          ) : (
            <>
              <Chart svg={submissionChart(b.rows)} title={`${b.title}：按时、逾期、未交`} />
              <StatTable courseId={c} caption={b.title} head={b.head} rows={b.rows} totals={b.id === 'meeting' ? undefined : t} />
            </>
          )}
        </section>
      ))}

      <section aria-labelledby="week-heading" className="mb-8 print:break-inside-avoid">
        <h2 id="week-heading" className="mb-2 text-lg font-semibold">按周（提交时间）</h2>
        {s.byWeek.length === 0 ? (
          <p className="text-stone-700">还没有学员提交心得。</p>
        ) : (
          <>
            <Chart
              svg={lineChartSvg({
                categories: s.byWeek.map((w) => w.label),
                series: [
                  { name: '提交', data: s.byWeek.map((w) => w.figures.submitted), color: BLUE },
                  { name: '逾期', data: s.byWeek.map((w) => w.figures.late), color: AMBER },
                ],
              })}
              title="按周提交的心得数"
            />
            <StatTable courseId={c} caption="按周（提交时间）" head="周" rows={s.byWeek} columns={WEEK_COLUMNS} />
          </>
        )}
      </section>

      <section aria-labelledby="tags-heading" className="mb-8 print:break-inside-avoid">
        <h2 id="tags-heading" className="mb-2 text-lg font-semibold">标签</h2>
        {s.tags.length === 0 ? (
          <p className="text-stone-700">还没有给心得打标签。</p>
        ) : (
          <>
            <Chart svg={barChartSvg({ categories: s.tags.map((g) => g.name), series: [{ name: '心得篇数', data: s.tags.map((g) => g.count), color: BLUE }] })} title="各标签的心得篇数" />
            <div className="overflow-x-auto rounded-lg border border-stone-200 bg-white">
              <table className="w-full text-left text-sm tabular-nums">
                <caption className="px-3 py-2 text-left text-base font-semibold">标签</caption>
                <thead className="bg-stone-50 text-stone-700">
                  <tr>
                    <th scope="col" className="px-3 py-2">标签</th>
                    <th scope="col" className="px-3 py-2 text-right">心得篇数</th>
                  </tr>
                </thead>
                <tbody>
                  {s.tags.map((g) => (
                    <tr key={g.id} className="border-t border-stone-100">
                      <th scope="row" className="px-3 py-2 font-normal">{g.name}</th>
                      <td className="px-3 py-2 text-right">
                        <FigureLink href={tagHref(c, g.id)} value={g.count} label={`标签${g.name}`} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>
      <p className="print:hidden">
        <Link href={`/courses/${c}`} className="text-brand-700 underline-offset-2 hover:underline">返回读书班</Link>
      </p>
      </div>
    </AppShell>
  );
}
