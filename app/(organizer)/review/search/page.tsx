import type { Metadata } from 'next';
import { AppShell, PageTitle } from '@/components/app-shell';
import { Alert } from '@/components/ui/alert';
import { buttonClass } from '@/components/ui/button-class';
import { Pager } from '@/components/ui/pager';
import { listSearchCourses, searchReflections, type SearchPageDto } from '@/db/queries/search';
import { requireRole } from '@/lib/auth/viewer';
import { SEARCH_MAX_CHARS, searchReflectionsSchema } from '@/lib/search/validation';
import { formatDateTime } from '@/lib/time';
import { pieces } from './pieces';
import { SearchResults, type SearchResultRow } from './results';
import { SearchForm } from './search-form';

export const metadata: Metadata = { title: '搜索心得' };

const STATUS_LABELS = { draft: '草稿', submitted: '已提交', returned: '退回修改', approved: '已通过' } as const;

export default async function SearchPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const viewer = await requireRole('organizer', 'admin');
  const params = await searchParams;
  const courseOptions = await listSearchCourses(viewer);
  const parsed = searchReflectionsSchema.safeParse({ q: params.q ?? '', courseId: params.courseId ?? '', page: params.page });
  const error = parsed.success ? null : (parsed.error.issues[0]?.message ?? '搜索条件有误');
  const result: SearchPageDto | null = parsed.success && parsed.data.q ? await searchReflections(viewer, parsed.data) : null;
  const q = parsed.success ? parsed.data.q : (params.q ?? '').slice(0, SEARCH_MAX_CHARS);
  const courseId = parsed.success && parsed.data.courseId ? String(parsed.data.courseId) : '';

  return (
    <AppShell viewer={viewer}>
      <PageTitle
        actions={
          // eslint-disable-next-line @next/next/no-html-link-for-pages -- a plain link: server HTML, nothing prefetched (issue 15)
          <a href="/review/tracker" className={buttonClass('secondary')}>
            交稿情况
          </a>
        }
      >
        搜索心得
      </PageTitle>
      <SearchForm
        q={q}
        courseId={courseId}
        courses={courseOptions.map((c): [number, string] => [c.id, c.archived ? `${c.name}（已归档）` : c.name])}
        maxLength={SEARCH_MAX_CHARS}
        invalid={!!error}
      />

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
          <SearchResults
            rows={result.items.map(
              (item): SearchResultRow => [
                item.id,
                pieces(item.titleSegments),
                `${item.author} · ${item.course.name} · ${item.assignmentTitle} · ${STATUS_LABELS[item.status]}${item.submittedAt ? ` · ${formatDateTime(item.submittedAt)}` : ''}`,
                pieces(item.excerpt.segments),
                item.excerpt.before,
                item.excerpt.after,
              ],
            )}
          />
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
