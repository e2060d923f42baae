/**
 * Previous/next links that keep the other query parameters (plain links: server HTML, no client
 * component). With cursors (keyset paging, db/sql-kit seekPage) the links also say where the page
 * starts, so a deep page is read by seeking.
 */
export function Pager({
  page,
  pageCount,
  total,
  basePath,
  params,
  cursors,
}: {
  page: number;
  pageCount: number;
  total: number;
  basePath: string;
  params: Record<string, string | undefined>;
  cursors?: { prev: string | null; next: string | null };
}) {
  const href = (p: number) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
    q.set('page', String(p));
    const cursor = p < page ? cursors?.prev : cursors?.next;
    if (cursor) q.set(p < page ? 'before' : 'after', cursor);
    return `${basePath}?${q.toString()}`;
  };
  return (
    <nav aria-label="分页" className="flex flex-wrap items-center justify-between gap-2 py-3 text-sm">
      <span className="text-stone-600">
        共 {total} 条，第 {Math.min(page, Math.max(pageCount, 1))} / {Math.max(pageCount, 1)} 页
      </span>
      <span className="flex gap-2">
        {page > 1 ? (
          <a className="inline-flex min-h-11 items-center rounded-md border border-stone-300 bg-white px-3 py-2" href={href(page - 1)}>
            上一页
          </a>
        ) : null}
        {page < pageCount ? (
          <a className="inline-flex min-h-11 items-center rounded-md border border-stone-300 bg-white px-3 py-2" href={href(page + 1)}>
            下一页
          </a>
        ) : null}
      </span>
    </nav>
  );
}
