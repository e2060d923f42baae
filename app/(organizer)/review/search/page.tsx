import type { Metadata } from 'next';
import Link from 'next/link';
import { Fragment } from 'react';
import { AppShell, PageTitle } from '@/components/app-shell';
import { Alert } from '@/components/ui/alert';
import { buttonClass } from '@/components/ui/button-class';
import { inputClass } from '@/components/ui/field';
import { Pager } from '@/components/ui/pager';
import { listSearchCourses, searchReflections, type SearchPageDto } from '@/db/queries/search';
import { requireRole } from '@/lib/auth/viewer';
import type { ExcerptSegment } from '@/lib/search/excerpt';
import { SEARCH_MAX_CHARS, searchReflectionsSchema } from '@/lib/search/validation';
import { formatDateTime } from '@/lib/time';

export const metadata: Metadata = { title: '搜索心得' };

const STATUS_LABELS = { draft: '草稿', submitted: '已提交', returned: '退回修改', approved: '已通过' } as const;

/** Text with the query's words in <mark> (styled by RESULTS): rendered as React text, never as HTML. */
function Marked({ segments }: { segments: ExcerptSegment[] }) {
  return <>{segments.map((s, i) => (s.hit ? <mark key={i}>{s.text}</mark> : <Fragment key={i}>{s.text}</Fragment>))}</>;
}

// Each result's look, set once on the list rather than on every element of 25 results (issue 15).
const RESULTS =
  'space-y-3 [&>li]:rounded-lg [&>li]:border [&>li]:border-stone-200 [&>li]:bg-white [&>li]:p-4 ' +
  '[&_h3]:text-lg [&_h3]:font-semibold [&_h3]:text-stone-900 [&_h3]:[overflow-wrap:anywhere] [&_p]:[overflow-wrap:anywhere] ' +
  '[&_h3_a]:text-brand-700 [&_h3_a]:underline-offset-2 [&_h3_a]:hover:underline ' +
  '[&_mark]:rounded-sm [&_mark]:bg-amber-200 [&_mark]:px-0.5 [&_mark]:text-stone-900 ' +
  '[&_h3+p]:mt-1 [&_h3+p]:text-sm [&_h3+p]:text-stone-600 [&_p+p]:mt-2 [&_p+p]:leading-7 [&_p+p]:text-stone-800';

export default async function SearchPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const viewer = await requireRole('organizer', 'admin');
  const params = await searchParams;
  const courseOptions = listSearchCourses(viewer);
  const parsed = searchReflectionsSchema.safeParse({ q: params.q ?? '', courseId: params.courseId ?? '', page: params.page });
  const error = parsed.success ? null : (parsed.error.issues[0]?.message ?? '搜索条件有误');
  const result: SearchPageDto | null = parsed.success && parsed.data.q ? searchReflections(viewer, parsed.data) : null;
  const q = parsed.success ? parsed.data.q : (params.q ?? '').slice(0, SEARCH_MAX_CHARS);
  const courseId = parsed.success && parsed.data.courseId ? String(parsed.data.courseId) : '';

  return (
    <AppShell viewer={viewer}>
      <PageTitle
        actions={
          <Link href="/review/tracker" className={buttonClass('secondary')}>
            交稿情况
          </Link>
        }
      >
        搜索心得
      </PageTitle>
      <form method="get" role="search" aria-label="搜索心得" className="mb-4 flex flex-wrap items-end gap-3">
        <div className="min-w-0 flex-1 basis-56 space-y-1">
          <label htmlFor="search-q" className="block text-sm font-medium text-stone-800">
            搜索心得
          </label>
          <input
            id="search-q"
            name="q"
            type="search"
            defaultValue={q}
            maxLength={SEARCH_MAX_CHARS}
            placeholder="如：基层治理、党建引领、作者姓名"
            aria-invalid={error ? true : undefined}
            aria-describedby="search-hint"
            className={inputClass}
          />
        </div>
        <div className="min-w-0 basis-56 space-y-1">
          <label htmlFor="search-course" className="block text-sm font-medium text-stone-800">
            读书班
          </label>
          <select id="search-course" name="courseId" defaultValue={courseId} className={inputClass}>
            <option value="">全部读书班</option>
            {courseOptions.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
                {c.archived ? '（已归档）' : ''}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className={buttonClass()}>
          搜索
        </button>
        <p id="search-hint" className="w-full text-sm text-stone-600">
          在标题、正文和作者中查找已提交的心得；多个词用空格隔开，须同时出现。
        </p>
      </form>

      {error ? (
        <Alert kind="error">{error}</Alert>
      ) : !result ? (
        <p className="rounded-lg border border-dashed border-stone-300 bg-white p-6 text-stone-700">输入词语后按“搜索”。</p>
      ) : result.items.length === 0 ? (
        <p role="status" className="rounded-lg border border-dashed border-stone-300 bg-white p-6 text-stone-700">
          没有找到包含“{result.q}”的心得。可以换一个词，或选择“全部读书班”。
        </p>
      ) : (
        <section aria-labelledby="results-heading">
          <h2 id="results-heading" className="sr-only">
            搜索结果
          </h2>
          <p role="status" className="mb-3 text-sm text-stone-700">
            {result.capped ? `找到 ${result.total} 条以上，只列出前 ${result.total} 条；加上更多词语可以缩小范围。` : `找到 ${result.total} 篇心得。`}
          </p>
          <ol className={RESULTS}>
            {result.items.map((item) => (
              <li key={item.id}>
                <h3>
                  <Link href={`/review/${item.id}`}>
                    <Marked segments={item.titleSegments.length ? item.titleSegments : [{ text: '（无标题）', hit: false }]} />
                  </Link>
                </h3>
                <p>
                  {item.author} · {item.course.name} · {item.assignmentTitle} · {STATUS_LABELS[item.status]}
                  {item.submittedAt ? ` · ${formatDateTime(item.submittedAt)}` : ''}
                </p>
                <p>
                  {item.excerpt.before ? '…' : ''}
                  <Marked segments={item.excerpt.segments} />
                  {item.excerpt.after ? '…' : ''}
                </p>
              </li>
            ))}
          </ol>
          <Pager
            page={result.page}
            pageCount={result.pageCount}
            total={result.total}
            basePath="/review/search"
            params={{ q: result.q, courseId: courseId || undefined }}
          />
        </section>
      )}
    </AppShell>
  );
}
