import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { AppShell, PageTitle } from '@/components/app-shell';
import { ActionButton } from '@/components/course/action-button';
import { Breadcrumbs } from '@/components/course/breadcrumbs';
import { WebhookForm } from '@/components/reminders/webhook-form';
import { getCourse } from '@/db/queries/courses';
import { getCourseWebhook } from '@/db/queries/reminders/webhook';
import { requireRole } from '@/lib/auth/viewer';
import { formatDateTime } from '@/lib/time';
import { idSchema } from '@/lib/validation/common';
import { clearCourseWebhookAction } from './actions';

export const metadata: Metadata = { title: '群机器人提醒' };

/** An admin sets the course's 企业微信 / 钉钉 group robot that 发送提醒 posts to. */
export default async function CourseWebhookPage({ params }: { params: Promise<{ id: string }> }) {
  const viewer = await requireRole('admin');
  const id = idSchema.safeParse((await params).id);
  if (!id.success) notFound();
  const course = await getCourse(viewer, { id: id.data });
  const robot = await getCourseWebhook(viewer, { courseId: course.id });
  return (
    <AppShell viewer={viewer}>
      <Breadcrumbs items={[{ href: '/courses', label: '读书班' }, { href: `/courses/${course.id}`, label: course.name }, { label: '群机器人提醒' }]} />
      <PageTitle>群机器人提醒</PageTitle>
      <p className="-mt-3 mb-4 max-w-2xl text-stone-700">
        设置后，组织者在“交稿情况”中按“发送提醒”，催交名单会发到这个企业微信或钉钉群里。每次更改都记入审计日志。
      </p>
      <section aria-labelledby="current-heading" className="mb-6 max-w-2xl rounded-lg border border-stone-200 bg-white p-4">
        <h2 id="current-heading" className="mb-2 text-lg font-semibold">当前设置</h2>
        {robot ? (
          <div className="space-y-3">
            <p>
              {robot.kindLabel}群机器人：<code className="break-all rounded bg-stone-100 px-1">{robot.maskedUrl}</code>
            </p>
            <p className="text-sm text-stone-600">更新于 {formatDateTime(robot.updatedAt)}</p>
            <ActionButton action={clearCourseWebhookAction} fields={{ courseId: course.id }} confirm="移除后将不能通过群机器人发送提醒。" confirmLabel="确认移除" variant="danger">
              移除机器人
            </ActionButton>
          </div>
        ) : (
          <p className="text-stone-700">还没有设置群机器人。</p>
        )}
      </section>
      <section aria-labelledby="set-heading" className="max-w-2xl rounded-lg border border-stone-200 bg-white p-4">
        <h2 id="set-heading" className="mb-3 text-lg font-semibold">{robot ? '更换机器人' : '设置机器人'}</h2>
        <WebhookForm courseId={course.id} kind={robot?.kind ?? null} />
      </section>
    </AppShell>
  );
}
