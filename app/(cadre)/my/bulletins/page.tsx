import type { Metadata } from 'next';
import { AppShell, PageTitle } from '@/components/app-shell';
import { listMyBulletins } from '@/db/queries/bulletins/published';
import { requireRole } from '@/lib/auth/viewer';
import { formatIssuedOn } from '@/lib/bulletin/format';

export const metadata: Metadata = { title: '简报' };

export default async function MyBulletinsPage() {
  const viewer = await requireRole('cadre');
  const items = await listMyBulletins(viewer);
  return (
    <AppShell viewer={viewer}>
      <PageTitle>简报</PageTitle>
      {items.length === 0 ? (
        <div className="rounded-lg border border-dashed border-stone-300 bg-white p-6 text-stone-700">你参加的读书班还没有发布简报。</div>
      ) : (
        <ul className="divide-y divide-stone-200 rounded-lg border border-stone-200 bg-white">
          {items.map((b) => (
            <li key={b.id} className="p-4">
              <a href={`/my/bulletins/${b.id}`} className="inline-flex min-h-11 items-center break-words font-medium text-brand-700 underline-offset-2 hover:underline">
                {b.title}
              </a>
              <p className="text-sm text-stone-600">
                {b.courseName} · 第{b.number}期 · {formatIssuedOn(b.issuedOn)}
                {b.publishedRevision > 1 ? ` · 已更正（第 ${b.publishedRevision} 版）` : ''}
              </p>
            </li>
          ))}
        </ul>
      )}
    </AppShell>
  );
}
