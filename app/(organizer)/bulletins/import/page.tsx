import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { AppShell, PageTitle } from '@/components/app-shell';
import { BulletinImport } from '@/components/bulletin/import-form';
import { listBulletins } from '@/db/queries/bulletins/list';
import { requireRole } from '@/lib/auth/viewer';
import { idSchema } from '@/lib/validation/common';

export const metadata: Metadata = { title: '导入旧简报' };

export default async function BulletinImportPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const viewer = await requireRole('organizer', 'admin');
  const courseId = idSchema.safeParse((await searchParams).courseId);
  if (!courseId.success) notFound();
  const { course } = listBulletins(viewer, { courseId: courseId.data });
  if (!course) notFound();
  return (
    <AppShell viewer={viewer}>
      <nav aria-label="位置" className="mb-2 text-sm text-stone-600">
        <Link href={`/bulletins?courseId=${course.id}`} className="underline-offset-2 hover:underline">
          简报 · {course.name}
        </Link>
      </nav>
      <PageTitle>导入旧简报</PageTitle>
      <p className="mb-4 text-stone-700">
        粘贴一期简报的全文,或上传它的 Word(.docx)或文本(.txt)文件。两种写法都能识别:“职务 姓名”单独一行、下面是发言;或“职务  姓名:发言”写在一行。网页上的“点赞”“相关阅读”等会自动去掉。
      </p>
      <BulletinImport courseId={course.id} />
    </AppShell>
  );
}
