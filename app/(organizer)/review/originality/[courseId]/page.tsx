import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { AppShell, PageTitle } from '@/components/app-shell';
import { RecheckControl, ThresholdForm } from '@/components/originality/report-controls';
import { buttonClass } from '@/components/ui/button-class';
import { listSimilarPairs } from '@/db/queries/originality/reads';
import { requireRole } from '@/lib/auth/viewer';
import { idSchema } from '@/lib/validation/common';

export const metadata: Metadata = { title: '查重报告' };

const pct = (perMille: number) => `${Math.round(perMille / 10)}%`;

export default async function OriginalityReportPage({ params }: { params: Promise<{ courseId: string }> }) {
  const viewer = await requireRole('organizer', 'admin');
  const parsed = idSchema.safeParse((await params).courseId);
  if (!parsed.success) notFound();
  const courseId = parsed.data;
  const report = await listSimilarPairs(viewer, { courseId });
  return (
    <AppShell viewer={viewer}>
      <PageTitle
        actions={
          <Link href={`/review?course=${courseId}&state=all&similar=1`} className={buttonClass('secondary')}>
            在审阅列表中查看疑似雷同
          </Link>
        }
      >
        查重报告
      </PageTitle>
      <p className="mb-4 text-base text-stone-700">
        {report.courseName}：已查重 {report.checked} 篇{report.pending ? `，${report.pending} 篇排队中` : ''}；与他人文字重合达到 {report.threshold}% 的心得列在下面（引用指定篇目原文不计入）。
      </p>
      <section aria-label="查重设置" className="mb-5 space-y-4 rounded-lg border border-stone-200 bg-white p-4">
        <ThresholdForm courseId={courseId} threshold={report.threshold} />
        {viewer.role === 'admin' ? <RecheckControl courseId={courseId} pending={report.pending} /> : null}
      </section>
      {report.pairs.length === 0 ? (
        <p className="text-stone-600">没有达到阈值的心得。</p>
      ) : (
        <table className="w-full border-collapse text-left text-base">
          <caption className="sr-only">疑似雷同的心得</caption>
          <thead className="max-md:hidden">
            <tr className="border-b border-stone-300">
              <th scope="col" className="p-2">心得</th>
              <th scope="col" className="p-2 text-right">重合</th>
              <th scope="col" className="p-2">主要来源</th>
            </tr>
          </thead>
          <tbody>
            {report.pairs.map((p) => (
              <tr key={p.reflectionId} className="border-b border-stone-200 max-md:block max-md:py-2">
                <td className="p-2 max-md:block max-md:p-0">
                  <Link href={`/review/${p.reflectionId}`} className="text-brand-700 underline underline-offset-2">
                    {p.authorName}《{p.title || '无标题'}》
                  </Link>
                </td>
                <td className="p-2 text-right tabular-nums max-md:inline max-md:p-0">{pct(p.share)}</td>
                <td className="p-2 max-md:block max-md:p-0">
                  {p.source ? (
                    p.source.href ? (
                      <Link href={p.source.href} className="text-brand-700 underline underline-offset-2">
                        {p.source.label}
                      </Link>
                    ) : (
                      p.source.label
                    )
                  ) : (
                    '—'
                  )}
                  {p.source ? <span className="text-stone-600">（{pct(p.source.share)}）</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </AppShell>
  );
}
