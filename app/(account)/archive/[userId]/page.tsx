import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { AppShell, PageTitle } from '@/components/app-shell';
import { PrintButton } from '@/components/statistics/print-button';
import { getLearningArchive } from '@/db/queries/statistics/archive';
import { requireUser } from '@/lib/auth/viewer';
import { formatDate, formatDateTime } from '@/lib/time';
import { idSchema } from '@/lib/validation/common';

export const metadata: Metadata = { title: '学习档案' };

const STATUS: Record<string, string> = { submitted: '待审阅', returned: '退回修改', approved: '已通过', draft: '草稿' };

/** 学习档案: one cadre's record on one page, to print or save as PDF from the browser. */
export default async function ArchivePage({ params }: { params: Promise<{ userId: string }> }) {
  const viewer = await requireUser();
  const id = idSchema.safeParse((await params).userId);
  if (!id.success) notFound();
  const a = await getLearningArchive(viewer, { userId: id.data });
  const c = a.counts;
  return (
    <AppShell viewer={viewer}>
      <div className="print-report mx-auto max-w-3xl">
        <PageTitle actions={<PrintButton label="打印或存为PDF" />}>学习档案：{a.person.name}</PageTitle>
        <p className="-mt-3 mb-4 text-stone-700 [overflow-wrap:anywhere]">
          {[a.person.title, a.person.unitPath].filter(Boolean).join(' · ')}
          <span className="ml-2 text-sm text-stone-600">（{formatDate(new Date())}生成）</span>
        </p>
        <dl className="mb-6 grid grid-cols-3 gap-2 sm:grid-cols-6 print:grid-cols-6">
          {[
            ['提交心得', c.submitted],
            ['逾期', c.late],
            ['通过', c.approved],
            ['优秀', c.excellent],
            ['编入简报', c.inBulletins],
            ['字数合计', c.words],
          ].map(([label, n]) => (
            <div key={label} className="rounded border border-stone-200 bg-white p-2 text-center">
              <dt className="text-xs text-stone-600">{label}</dt>
              <dd className="text-xl font-bold tabular-nums">{n}</dd>
            </div>
          ))}
        </dl>
        {a.reflections.length === 0 ? (
          <p className="rounded-lg border border-dashed border-stone-300 bg-white p-5 text-stone-700">还没有提交过学习心得。</p>
        ) : (
          <ol className="space-y-4">
            {a.reflections.map((r) => (
              <li key={r.id} className="rounded-lg border border-stone-200 bg-white p-4 print:break-inside-avoid print:border-stone-400">
                <p className="text-sm text-stone-600 [overflow-wrap:anywhere]">
                  {r.courseName} · {r.meetingTitle} · {r.assignmentTitle}
                </p>
                <h2 className="text-lg font-semibold [overflow-wrap:anywhere]">
                  {r.title || '（无标题）'}
                  {r.excellent ? <span className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-sm text-amber-900">优秀</span> : null}
                </h2>
                <p className="text-sm text-stone-700">
                  {STATUS[r.status]} · {r.submittedAt ? `${formatDateTime(r.submittedAt)}提交` : ''}
                  {r.late ? '（逾期）' : ''} · {r.charCount}字 · 第{r.versionCount}版
                </p>
                {r.bulletins.length ? (
                  <p className="mt-1 text-sm text-stone-800">
                    编入简报：{r.bulletins.map((b) => `第${b.number}期（${formatDate(new Date(`${b.issuedOn}T00:00:00+08:00`))}）`).join('、')}
                  </p>
                ) : null}
                {r.comments.length ? (
                  <ul className="mt-2 space-y-1 border-t border-stone-100 pt-2 text-sm">
                    {r.comments.map((m, i) => (
                      <li key={i} className="[overflow-wrap:anywhere]">
                        <span className="font-medium">
                          {m.decision === 'approve' ? '通过' : m.decision === 'return' ? '退回修改' : m.internal ? '内部备注' : '评语'}
                        </span>
                        {m.version ? `（第${m.version}版）` : ''}
                        {m.body ? `：${m.body}` : ''}
                        <span className="ml-1 text-stone-500">
                          {m.authorName ? `${m.authorName}，` : ''}
                          {formatDate(m.createdAt)}
                        </span>
                      </li>
                    ))}
                  </ul>
                ) : null}
              </li>
            ))}
          </ol>
        )}
      </div>
    </AppShell>
  );
}
