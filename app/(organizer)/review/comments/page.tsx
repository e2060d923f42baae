import type { Metadata } from 'next';
import Link from 'next/link';
import { deleteCommentBankAction } from '@/app/(organizer)/review/actions';
import { listCommentBank } from '@/db/queries/comment-bank';
import { listQueueFilterOptions } from '@/db/queries/review/queue';
import { AppShell, PageTitle } from '@/components/app-shell';
import { ActionButton } from '@/components/course/action-button';
import { AddCommentBankForm } from '@/components/review/comment-bank-forms';
import { requireRole } from '@/lib/auth/viewer';

export const metadata: Metadata = { title: '评语库' };

/** 评语库: personal comments and those shared in a course, inserted into the decision form's 评语. */
export default async function CommentBankPage() {
  const viewer = await requireRole('organizer', 'admin');
  const { courses } = await listQueueFilterOptions(viewer, {});
  const entries = await listCommentBank(viewer);
  return (
    <AppShell viewer={viewer}>
      <nav aria-label="位置" className="mb-3 text-sm text-stone-600">
        <Link href="/review" className="underline-offset-2 hover:underline">
          审阅
        </Link>
        <span aria-hidden="true"> › </span>评语库
      </nav>
      <PageTitle>评语库</PageTitle>
      <div className="grid gap-5 md:grid-cols-[1fr_2fr]">
        <AddCommentBankForm courses={courses} />
        <section aria-labelledby="bank-list" className="min-w-0 space-y-2">
          <h2 id="bank-list" className="text-lg font-semibold">
            常用评语
          </h2>
          {entries.length === 0 ? (
            <p className="text-stone-700">还没有常用评语。</p>
          ) : (
            <ul className="space-y-2">
              {entries.map((e) => (
                <li key={e.id} className="rounded-md border border-stone-200 bg-white p-3">
                  <p className="text-sm text-stone-600">{e.courseName ? `${e.courseName}共用` : '个人'}</p>
                  <p className="mt-1 text-base break-words whitespace-pre-line">{e.body}</p>
                  <div className="mt-2">
                    <ActionButton action={deleteCommentBankAction} fields={{ id: e.id }} variant="danger" confirm="从评语库删除这条评语？" confirmLabel="确认删除">
                      删除
                    </ActionButton>
                  </div>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </AppShell>
  );
}
