import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { AppShell, PageTitle } from '@/components/app-shell';
import { BulletinComposer } from '@/components/bulletin/composer';
import { packForComposer } from '@/components/bulletin/composer-wire';
import { TypedEarlyScript } from '@/components/bulletin/typed-early-script';
import { ActionButton } from '@/components/course/action-button';
import { Alert } from '@/components/ui/alert';
import { getComposePage } from '@/db/queries/bulletins/compose-page';
import { STATUS_LABELS } from '@/db/queries/bulletins/shared';
import { requireRole } from '@/lib/auth/viewer';
import { idSchema } from '@/lib/validation/common';
import { deleteBulletinAction } from '../actions';

export const metadata: Metadata = { title: '编辑简报' };

export default async function BulletinComposePage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const viewer = await requireRole('organizer', 'admin');
  const id = idSchema.safeParse((await params).id);
  if (!id.success) notFound();
  const query = await searchParams;
  const { bulletin, filters, orderKeys, drafts } = await getComposePage(viewer, { id: id.data });
  return (
    <AppShell viewer={viewer}>
      <nav aria-label="位置" className="mb-2 text-sm text-stone-600">
        <Link href={`/bulletins?courseId=${bulletin.course.id}`} className="underline-offset-2 hover:underline">
          简报 · {bulletin.course.name}
        </Link>
      </nav>
      <PageTitle
        actions={
          bulletin.publishedRevision === 0 ? (
            <ActionButton action={deleteBulletinAction} fields={{ id: bulletin.id }} variant="danger" confirm="删除这份草稿？不能恢复。" confirmLabel="确认删除">
              删除草稿
            </ActionButton>
          ) : null
        }
      >
        第{bulletin.number}期简报
        <span className="ml-3 align-middle text-base font-normal text-stone-600">
          {STATUS_LABELS[bulletin.status]}
          {bulletin.status === 'draft' && bulletin.publishedRevision > 0 ? '（更正中，学员仍看到已发布的版本）' : ''}
        </span>
      </PageTitle>
      {query.imported ? (
        <div className="mb-4">
          <Alert kind="success">已从旧简报生成草稿，请核对；修改会自动保存。</Alert>
        </div>
      ) : null}
      <TypedEarlyScript />
      <BulletinComposer bulletin={packForComposer(bulletin)} filters={filters} orderKeys={orderKeys} drafts={drafts} />
    </AppShell>
  );
}
