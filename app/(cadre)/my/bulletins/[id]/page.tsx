import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { AppShell, PageTitle } from '@/components/app-shell';
import { BulletinWebView } from '@/components/bulletin/bulletin-view';
import { Alert } from '@/components/ui/alert';
import { buttonClass } from '@/components/ui/button-class';
import { getMyBulletin } from '@/db/queries/bulletins/published';
import { requireRole } from '@/lib/auth/viewer';
import { formatDateTime } from '@/lib/time';
import { idSchema } from '@/lib/validation/common';

export const metadata: Metadata = { title: '简报' };

export default async function MyBulletinPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const viewer = await requireRole('cadre');
  const id = idSchema.safeParse((await params).id);
  if (!id.success) notFound();
  const rev = idSchema.optional().safeParse((await searchParams).revision);
  if (!rev.success) notFound();
  const b = await getMyBulletin(viewer, { id: id.data, revision: rev.data });
  const old = b.revisionNo < b.latestRevision;
  return (
    <AppShell viewer={viewer}>
      <nav aria-label="位置" className="mb-2 text-sm text-stone-600">
        {/* eslint-disable-next-line @next/next/no-html-link-for-pages -- server HTML, no client component (issue 15) */}
        <a href="/my/bulletins" className="inline-flex min-h-11 min-w-11 items-center underline-offset-2 hover:underline">
          简报
        </a>
      </nav>
      <PageTitle
        actions={
          <a href={`/api/bulletins/${b.id}/export?format=docx&revision=${b.revisionNo}`} download className={buttonClass('secondary')}>
            下载Word
          </a>
        }
      >
        第{b.content.number}期简报
      </PageTitle>
      {old ? (
        <div className="mb-4">
          <Alert kind="info">
            这是第 {b.revisionNo} 版，已被更正。<a href={`/my/bulletins/${b.id}`} className="underline">查看最新版</a>
          </Alert>
        </div>
      ) : null}
      <BulletinWebView content={b.content} />
      {b.revisions.length > 1 ? (
        <section aria-labelledby="rev-heading" className="mx-auto mt-6 max-w-3xl">
          <h2 id="rev-heading" className="font-semibold">
            版本
          </h2>
          <ul className="mt-1 text-sm">
            {b.revisions.map((r) => (
              <li key={r.revisionNo}>
                <a href={`/my/bulletins/${b.id}?revision=${r.revisionNo}`} className="text-brand-700 underline" aria-current={r.revisionNo === b.revisionNo ? 'page' : undefined}>
                  第 {r.revisionNo} 版
                </a>{' '}
                {formatDateTime(r.publishedAt)}
                {r.note ? ` · ${r.note}` : ''}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </AppShell>
  );
}
