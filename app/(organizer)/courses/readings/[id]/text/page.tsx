import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { AppShell, PageTitle } from '@/components/app-shell';
import { Breadcrumbs } from '@/components/course/breadcrumbs';
import { ReadingTextForm } from '@/components/readings/reading-text-form';
import { buttonClass } from '@/components/ui/button-class';
import { getReadingText } from '@/db/queries/reading-texts';
import { requireRole } from '@/lib/auth/viewer';
import { idSchema } from '@/lib/validation/common';

export const metadata: Metadata = { title: '篇目原文' };

/** A reading's text: what the cadres read in the reader, entered by pasting or from a file. */
export default async function ReadingTextPage({ params }: { params: Promise<{ id: string }> }) {
  const viewer = await requireRole('organizer', 'admin');
  const id = idSchema.safeParse((await params).id);
  if (!id.success) notFound();
  const r = await getReadingText(viewer, { id: id.data });
  const text = r.sections.map((s) => [s.heading, ...s.paragraphs].filter(Boolean).join('\n')).join('\n');
  return (
    <AppShell viewer={viewer}>
      <Breadcrumbs items={[{ href: '/courses', label: '读书班' }, { href: '/courses/readings', label: '学习篇目' }, { label: '原文' }]} />
      <PageTitle>{r.title}</PageTitle>
      <p className="mb-5 text-stone-700">
        {r.sections.length > 0 ? `已录入原文：${r.sections.length} 个章节，${r.charCount} 字。` : '还没有录入原文。'}
        学员在心得任务页面打开原文阅读，并可引用到心得中。
        <Link href="/courses/readings/search" className="ml-1 text-brand-700 underline underline-offset-2">
          搜索原文
        </Link>
      </p>
      <div className="grid gap-6 lg:grid-cols-[3fr_2fr]">
        <section aria-labelledby="text-form-heading" className="min-w-0 rounded-lg border border-stone-200 bg-white p-5">
          <h2 id="text-form-heading" className="mb-4 text-lg font-semibold">
            {r.sections.length > 0 ? '替换原文' : '录入原文'}
          </h2>
          {r.editable ? (
            <ReadingTextForm id={r.id} source={r.source} text={text} />
          ) : (
            <p className="text-stone-700">这个篇目也用在你不负责的读书班中，不能修改；可以另建一个篇目。</p>
          )}
        </section>
        <section aria-labelledby="chapters-heading" className="min-w-0 self-start rounded-lg border border-stone-200 bg-white p-5">
          <h2 id="chapters-heading" className="mb-3 text-lg font-semibold">
            章节
          </h2>
          {r.source ? <p className="mb-2 text-sm text-stone-600">出处：{r.source}</p> : null}
          {r.sections.length === 0 ? (
            <p className="text-stone-700">保存原文后在这里列出章节。</p>
          ) : (
            <ol className="space-y-1">
              {r.sections.map((s) => (
                <li key={s.id} className="break-words">
                  {s.heading || '（正文）'}
                  <span className="ml-2 text-sm text-stone-500">{s.paragraphs.length} 段</span>
                </li>
              ))}
            </ol>
          )}
          <Link href="/courses/readings" className={`${buttonClass('secondary')} mt-4`}>
            返回篇目库
          </Link>
        </section>
      </div>
    </AppShell>
  );
}
