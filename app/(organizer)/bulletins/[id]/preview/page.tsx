import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { AppShell, PageTitle } from '@/components/app-shell';
import { BulletinWebView } from '@/components/bulletin/bulletin-view';
import { buttonClass } from '@/components/ui/button-class';
import { getBulletinForEdit } from '@/db/queries/bulletins/list';
import { contentOf } from '@/db/queries/bulletins/shared';
import { requireRole } from '@/lib/auth/viewer';
import { bulletinCharCounts } from '@/lib/bulletin/format';
import { idSchema } from '@/lib/validation/common';

export const metadata: Metadata = { title: '预览简报' };

export default async function BulletinPreviewPage({ params }: { params: Promise<{ id: string }> }) {
  const viewer = await requireRole('organizer', 'admin');
  const id = idSchema.safeParse((await params).id);
  if (!id.success) notFound();
  const bulletin = await getBulletinForEdit(viewer, { id: id.data });
  const content = contentOf(bulletin);
  const counts = bulletinCharCounts(content);
  return (
    <AppShell viewer={viewer}>
      <PageTitle
        actions={
          <div className="flex flex-wrap gap-2">
            <Link href={`/bulletins/${bulletin.id}`} className={buttonClass('secondary')}>
              返回编辑
            </Link>
            <Link href={`/bulletins/${bulletin.id}/print`} className={buttonClass('secondary')}>
              打印版
            </Link>
          </div>
        }
      >
        预览：第{bulletin.number}期
      </PageTitle>
      <p className="mb-4 text-sm text-stone-600">
        网页样式，已保存的内容。{content.items.length} 条发言，全文 {counts.total} 字。
      </p>
      <BulletinWebView content={content} />
    </AppShell>
  );
}
