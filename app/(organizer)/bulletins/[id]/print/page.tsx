import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { BulletinPrintView, PRINT_CSS } from '@/components/bulletin/bulletin-view';
import { PrintButton } from '@/components/bulletin/print-button';
import { buttonClass } from '@/components/ui/button-class';
import { getBulletinForEdit } from '@/db/queries/bulletins/list';
import { contentOf } from '@/db/queries/bulletins/shared';
import { requireRole } from '@/lib/auth/viewer';
import { idSchema } from '@/lib/validation/common';

export const metadata: Metadata = { title: '打印简报' };

// No app shell: what prints is the bulletin alone, on A4 with the GB/T 9704 margins.
export default async function BulletinPrintPage({ params }: { params: Promise<{ id: string }> }) {
  const viewer = await requireRole('organizer', 'admin');
  const id = idSchema.safeParse((await params).id);
  if (!id.success) notFound();
  const bulletin = await getBulletinForEdit(viewer, { id: id.data });
  return (
    <main id="main" className="min-h-dvh bg-stone-100 px-2 py-4 print:bg-white print:p-0">
      <style>{PRINT_CSS}</style>
      <div className="no-print mx-auto mb-4 flex max-w-3xl flex-wrap gap-2">
        <Link href={`/bulletins/${bulletin.id}`} className={buttonClass('secondary')}>
          返回编辑
        </Link>
        <PrintButton />
        <a href={`/api/bulletins/${bulletin.id}/export?format=docx`} download className={buttonClass('secondary')}>
          导出Word
        </a>
      </div>
      <BulletinPrintView content={contentOf(bulletin)} />
    </main>
  );
}
