import type { Metadata } from 'next';
import Link from 'next/link';
import { AppShell, PageTitle } from '@/components/app-shell';
import { Breadcrumbs } from '@/components/course/breadcrumbs';
import { buttonClass } from '@/components/ui/button-class';
import { inputClass } from '@/components/ui/field';
import { READING_SEARCH_CAP, searchReadingTexts } from '@/db/queries/reading-texts';
import { requireRole } from '@/lib/auth/viewer';

export const metadata: Metadata = { title: '搜索原文' };

/** 搜索原文: the texts of the readings of the viewer's courses (an admin's: all), with the words marked. */
export default async function ReadingTextSearchPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const viewer = await requireRole('organizer', 'admin');
  const sp = await searchParams;
  const { q, hits, total } = await searchReadingTexts(viewer, { q: sp.q });
  return (
    <AppShell viewer={viewer}>
      <Breadcrumbs items={[{ href: '/courses', label: '读书班' }, { href: '/courses/readings', label: '学习篇目' }, { label: '搜索原文' }]} />
      <PageTitle>搜索原文</PageTitle>
      <p className="mb-4 text-stone-700">
        {viewer.role === 'admin' ? '在所有篇目的原文中查找。' : '在你负责的读书班所用篇目（以及你录入的篇目）的原文中查找。'}多个词用空格隔开，须同时出现在同一章节。
      </p>
      <form method="get" role="search" aria-label="搜索原文" className="mb-5 flex flex-wrap items-end gap-3">
        <div className="min-w-0 flex-1 basis-56 space-y-1">
          <label htmlFor="reading-text-q" className="block text-sm font-medium text-stone-800">
            原文关键词
          </label>
          <input id="reading-text-q" name="q" type="search" defaultValue={q ?? ''} maxLength={50} placeholder="如：自我革命" className={inputClass} />
        </div>
        <button type="submit" className={buttonClass('primary')}>
          搜索
        </button>
      </form>
      {q ? (
        <section aria-labelledby="hits-heading">
          <h2 id="hits-heading" className="mb-3 text-lg font-semibold">
            {total === 0 ? `原文中没有“${q}”。` : `找到 ${total} 个章节${total > READING_SEARCH_CAP ? `，显示前 ${READING_SEARCH_CAP} 个` : ''}`}
          </h2>
          <ol className="space-y-3">
            {hits.map((h) => (
              <li key={h.sectionId} className="rounded-lg border border-stone-200 bg-white p-4">
                <p className="font-medium break-words">
                  <Link href={`/courses/readings/${h.readingId}/text`} className="text-brand-700 underline underline-offset-2">
                    {h.title}
                  </Link>
                  {h.heading ? <span className="ml-2 text-stone-600">{h.heading}</span> : null}
                </p>
                <p className="mt-1 leading-relaxed break-words text-stone-800">
                  {h.excerpt.before ? '…' : ''}
                  {h.excerpt.segments.map((s, i) =>
                    s.hit ? (
                      <mark key={i} className="rounded bg-amber-200 px-0.5 font-medium text-stone-900">
                        {s.text}
                      </mark>
                    ) : (
                      <span key={i}>{s.text}</span>
                    ),
                  )}
                  {h.excerpt.after ? '…' : ''}
                </p>
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </AppShell>
  );
}
