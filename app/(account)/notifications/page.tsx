import type { Metadata } from 'next';
import Link from 'next/link';
import { listMyNotifications } from '@/db/queries/notifications';
import { AppShell, PageTitle } from '@/components/app-shell';
import { Pager } from '@/components/ui/pager';
import { requireUser } from '@/lib/auth/viewer';
import { formatDateTime } from '@/lib/time';
import { pageSchema } from '@/lib/validation/common';
import { markNotificationsReadAction } from './actions';

export const metadata: Metadata = { title: '通知' };

export default async function NotificationsPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const viewer = await requireUser();
  const page = pageSchema.parse((await searchParams).page);
  const list = await listMyNotifications(viewer, { page });
  const unread = list.items.some((n) => !n.read);
  return (
    <AppShell viewer={viewer}>
      <PageTitle
        actions={
          unread ? (
            <form action={markNotificationsReadAction}>
              <button type="submit" className="min-h-11 rounded-md border border-stone-300 bg-white px-4 py-2">
                全部标为已读
              </button>
            </form>
          ) : null
        }
      >
        通知
      </PageTitle>
      {list.items.length === 0 ? (
        <p className="rounded-lg border border-stone-200 bg-white p-5 text-stone-700">还没有通知。心得被退回或通过、收到提醒时，会在这里告诉你。</p>
      ) : (
        <ul className="space-y-3">
          {list.items.map((n) => (
            <li key={n.id} className={`rounded-lg border bg-white p-4 ${n.read ? 'border-stone-200' : 'border-brand-600/50 shadow-sm'}`}>
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <h2 className="text-base font-semibold">
                  {n.read ? null : <span className="mr-2 rounded bg-brand-600 px-1.5 py-0.5 text-xs text-white">未读</span>}
                  {n.title}
                </h2>
                <span className="text-sm text-stone-600">{formatDateTime(n.createdAt)}</span>
              </div>
              {n.body ? <p className="mt-2 whitespace-pre-wrap text-stone-800">{n.body}</p> : null}
              <div className="mt-2 flex flex-wrap gap-3 text-sm">
                {n.link ? (
                  <Link href={n.link} className="inline-flex min-h-11 min-w-11 items-center justify-center text-brand-700 underline">
                    查看
                  </Link>
                ) : null}
                {n.read ? null : (
                  <form action={markNotificationsReadAction}>
                    <input type="hidden" name="id" value={n.id} />
                    <button type="submit" className="min-h-11 text-stone-600 underline">
                      标为已读
                    </button>
                  </form>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      <Pager page={list.page} pageCount={list.pageCount} total={list.total} basePath="/notifications" params={{}} />
    </AppShell>
  );
}
