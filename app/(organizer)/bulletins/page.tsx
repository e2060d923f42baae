import type { Metadata } from 'next';
import Link from 'next/link';
import { AppShell, PageTitle } from '@/components/app-shell';
import { NewBulletinButton } from '@/components/bulletin/new-bulletin-button';
import { Alert } from '@/components/ui/alert';
import { buttonClass } from '@/components/ui/button-class';
import { inputClass } from '@/components/ui/field';
import { listBulletins } from '@/db/queries/bulletins/list';
import { STATUS_LABELS } from '@/db/queries/bulletins/shared';
import { requireRole } from '@/lib/auth/viewer';
import { formatIssuedOn } from '@/lib/bulletin/format';
import { idSchema } from '@/lib/validation/common';

export const metadata: Metadata = { title: '简报' };

export default async function BulletinsPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const viewer = await requireRole('organizer', 'admin');
  const params = await searchParams;
  const courseId = idSchema.optional().catch(undefined).parse(params.courseId);
  const list = await listBulletins(viewer, { courseId });
  return (
    <AppShell viewer={viewer}>
      <PageTitle
        actions={
          list.course ? (
            <div className="flex flex-wrap items-start gap-2">
              <Link href={`/bulletins/import?courseId=${list.course.id}`} className={buttonClass('secondary')}>
                导入旧简报
              </Link>
              <NewBulletinButton courseId={list.course.id} nextNumber={list.nextNumber} />
            </div>
          ) : null
        }
      >
        简报
      </PageTitle>
      {params.deleted ? (
        <div className="mb-4">
          <Alert kind="success">草稿已删除。</Alert>
        </div>
      ) : null}
      {list.courses.length > 1 ? (
        <form method="get" className="mb-4 flex flex-wrap items-end gap-3">
          <div className="min-w-0 flex-1 basis-64 space-y-1">
            <label htmlFor="bulletin-course" className="block text-sm font-medium text-stone-800">
              读书班
            </label>
            <select id="bulletin-course" name="courseId" defaultValue={list.course?.id} className={inputClass}>
              {list.courses.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className={buttonClass('secondary')}>
            切换
          </button>
        </form>
      ) : null}
      {!list.course ? (
        <div className="rounded-lg border border-dashed border-stone-300 bg-white p-6 text-stone-700">你还没有负责的读书班，所以还不能编简报。</div>
      ) : (
        <>
          <h2 className="mb-3 text-lg font-semibold">{list.course.name}</h2>
          {list.items.length === 0 ? (
            <div className="rounded-lg border border-dashed border-stone-300 bg-white p-6 text-stone-700">
              还没有简报。点“新建简报”从已通过的学习心得里编一期，或“导入旧简报”把以前的简报录进来。
            </div>
          ) : (
            <ul className="divide-y divide-stone-200 rounded-lg border border-stone-200 bg-white">
              {list.items.map((b) => (
                <li key={b.id} className="flex flex-wrap items-baseline gap-x-4 gap-y-1 p-4">
                  <Link href={`/bulletins/${b.id}`} className="min-w-0 break-words font-medium text-brand-700 underline-offset-2 hover:underline">
                    第{b.number}期 · {b.title}
                  </Link>
                  <span className="text-sm text-stone-600">
                    {STATUS_LABELS[b.status]}
                    {b.status === 'draft' && b.publishedRevision > 0 ? '（更正中）' : ''}
                    {b.publishedRevision > 1 ? ` · 第 ${b.publishedRevision} 版` : ''} · {formatIssuedOn(b.issuedOn)} · {b.itemCount} 条发言
                    {b.imported ? ' · 导入' : ''}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </AppShell>
  );
}
