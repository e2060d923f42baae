import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { AppShell, PageTitle } from '@/components/app-shell';
import { BulletinImport } from '@/components/bulletin/import-form';
import { Alert } from '@/components/ui/alert';
import { buttonClass } from '@/components/ui/button-class';
import { inputClass } from '@/components/ui/field';
import { listBulletins } from '@/db/queries/bulletins/list';
import { requireRole } from '@/lib/auth/viewer';
import { idSchema } from '@/lib/validation/common';

export const metadata: Metadata = { title: '导入旧简报' };

export default async function BulletinImportPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const viewer = await requireRole('organizer', 'admin');
  const raw = (await searchParams).courseId;
  const courseId = idSchema.safeParse(raw);
  if (!courseId.success) {
    // Without a course (a bookmark, a typed address): ask which of the viewer's courses.
    const { courses } = await listBulletins(viewer, {});
    return (
      <AppShell viewer={viewer}>
        <nav aria-label="位置" className="mb-2 text-sm text-stone-600">
          <Link href="/bulletins" className="underline-offset-2 hover:underline">
            简报
          </Link>
        </nav>
        <PageTitle>导入旧简报</PageTitle>
        {courses.length ? (
          <form method="get" className="max-w-xl space-y-4 rounded-lg border border-stone-200 bg-white p-4">
            <p className="text-stone-700">旧简报导入后成为哪个读书班的一期？请先选择读书班。</p>
            <div className="space-y-1">
              <label htmlFor="import-course" className="block text-sm font-medium text-stone-800">
                读书班
              </label>
              <select id="import-course" name="courseId" className={inputClass} defaultValue={courses[0]?.id}>
                {courses.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" className={buttonClass()}>
              下一步
            </button>
          </form>
        ) : (
          <Alert kind="info">你还没有负责的读书班。管理员把你设为某个读书班的组织者后，就可以导入它的旧简报。</Alert>
        )}
      </AppShell>
    );
  }
  const { course } = await listBulletins(viewer, { courseId: courseId.data });
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
        粘贴一期简报的全文，或上传它的 Word（.docx）或文本（.txt）文件。两种写法都能识别：“职务 姓名”单独一行、下面是发言；或“职务  姓名：发言”写在一行。网页上的“点赞”“相关阅读”等会自动去掉。
      </p>
      <BulletinImport courseId={course.id} />
    </AppShell>
  );
}
