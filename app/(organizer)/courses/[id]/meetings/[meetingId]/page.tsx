import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { deleteAssignmentAction, deleteMeetingAction } from '@/app/(organizer)/courses/actions';
import { AppShell, PageTitle } from '@/components/app-shell';
import { ActionButton } from '@/components/course/action-button';
import { AssignmentForm } from '@/components/course/assignment-form';
import { Breadcrumbs } from '@/components/course/breadcrumbs';
import { charLimits, latePolicy, meetingTime } from '@/components/course/format';
import { MeetingForm } from '@/components/course/meeting-form';
import { Alert } from '@/components/ui/alert';
import { buttonClass } from '@/components/ui/button-class';
import { listAssignmentsForMeeting } from '@/db/queries/assignments';
import { getMeeting } from '@/db/queries/meetings';
import { listReadingChoices } from '@/db/queries/readings';
import { requireRole } from '@/lib/auth/viewer';
import { formatDateTime } from '@/lib/time';
import { idSchema } from '@/lib/validation/common';
import { toDateTimeLocal } from '@/lib/validation/courses';

export const metadata: Metadata = { title: '集中学习' };

type Params = Promise<{ id: string; meetingId: string }>;

/**
 * One meeting: by default its own form and its 心得任务; with ?assignment=new or ?assignment=<id>
 * the assignment form takes the form's place, so that a page never shows two forms with the
 * same labels (both have 学习篇目).
 */
export default async function MeetingPage({ params, searchParams }: { params: Params; searchParams: Promise<Record<string, string | undefined>> }) {
  const viewer = await requireRole('organizer', 'admin');
  const p = await params;
  const courseId = idSchema.safeParse(p.id);
  const meetingId = idSchema.safeParse(p.meetingId);
  if (!courseId.success || !meetingId.success) notFound();
  const meeting = await getMeeting(viewer, { id: meetingId.data });
  // The course in the URL must be the meeting's own.
  if (meeting.courseId !== courseId.data) notFound();
  const sp = await searchParams;
  const assignments = await listAssignmentsForMeeting(viewer, { meetingId: meeting.id });
  const choices = await listReadingChoices(viewer);
  const base = `/courses/${meeting.courseId}/meetings/${meeting.id}`;
  const editing = sp.assignment && sp.assignment !== 'new' ? assignments.find((a) => String(a.id) === sp.assignment) : undefined;
  const assignmentMode = sp.assignment === 'new' || !!editing;

  return (
    <AppShell viewer={viewer}>
      <Breadcrumbs
        items={[
          { href: '/courses', label: '读书班' },
          { href: `/courses/${meeting.courseId}?tab=meetings`, label: meeting.courseName },
          { label: meeting.title },
        ]}
      />
      <PageTitle>{meeting.title}</PageTitle>
      <p className="-mt-3 mb-4 text-sm text-stone-700">
        {meetingTime(meeting.startsAt)}
        {meeting.place ? ` · ${meeting.place}` : ''}
      </p>
      {sp.created ? (
        <div className="mb-4">
          <Alert kind="success">集中学习已添加。可以在下面给它布置心得任务。</Alert>
        </div>
      ) : null}

      <div className="grid gap-6 lg:grid-cols-[3fr_2fr]">
        {assignmentMode ? (
          <section aria-labelledby="assignment-form-heading" className="rounded-lg border border-stone-200 bg-white p-5">
            <h2 id="assignment-form-heading" className="mb-4 text-lg font-semibold">
              {editing ? `修改心得任务：${editing.title}` : '布置心得任务'}
            </h2>
            <AssignmentForm
              key={editing?.id ?? 'new'}
              meetingId={meeting.id}
              choices={choices}
              defaultReadingIds={meeting.readings.map((r) => r.id)}
              assignment={
                editing
                  ? {
                      id: editing.id,
                      title: editing.title,
                      prompt: editing.prompt,
                      dueAt: toDateTimeLocal(editing.dueAt),
                      cutoffAt: toDateTimeLocal(editing.cutoffAt),
                      minChars: editing.minChars,
                      maxChars: editing.maxChars,
                      allowLate: editing.allowLate,
                      readingIds: editing.readings.map((r) => r.id),
                    }
                  : undefined
              }
            />
            <Link href={base} className={`${buttonClass('secondary')} mt-4`}>
              返回集中学习
            </Link>
          </section>
        ) : (
          <section aria-labelledby="meeting-form-heading" className="rounded-lg border border-stone-200 bg-white p-5">
            <h2 id="meeting-form-heading" className="mb-4 text-lg font-semibold">
              集中学习信息
            </h2>
            <MeetingForm
              courseId={meeting.courseId}
              choices={choices}
              meeting={{
                id: meeting.id,
                title: meeting.title,
                startsAt: toDateTimeLocal(meeting.startsAt),
                place: meeting.place,
                presider: meeting.presider,
                speech: meeting.speech,
                description: meeting.description,
                readingIds: meeting.readings.map((r) => r.id),
              }}
            />
            <div className="mt-6 border-t border-stone-200 pt-4">
              <ActionButton
                action={deleteMeetingAction}
                fields={{ id: meeting.id }}
                variant="danger"
                confirm={`确定删除“${meeting.title}”？它的心得任务也会一并删除。已有学员动笔的不能删除。`}
                confirmLabel="确认删除"
              >
                删除这次集中学习
              </ActionButton>
            </div>
          </section>
        )}

        <section aria-labelledby="assignments-heading">
          <div className="mb-3 flex flex-wrap items-center justify-between gap-3">
            <h2 id="assignments-heading" className="text-lg font-semibold">
              心得任务
            </h2>
            {sp.assignment !== 'new' ? (
              <Link href={`${base}?assignment=new`} className={buttonClass()}>
                布置心得任务
              </Link>
            ) : null}
          </div>
          {assignments.length === 0 ? (
            <p className="rounded-lg border border-dashed border-stone-300 bg-white p-5 text-stone-700">这次集中学习还没有布置心得任务。</p>
          ) : (
            <ul className="space-y-3">
              {assignments.map((a) => (
                <li key={a.id} className="rounded-lg border border-stone-200 bg-white p-4">
                  <h3 className="break-words font-semibold">{a.title}</h3>
                  <dl className="mt-2 grid grid-cols-[5.5em_1fr] gap-x-2 gap-y-1 text-sm">
                    <dt className="text-stone-600">截止时间</dt>
                    <dd>{formatDateTime(a.dueAt)}</dd>
                    <dt className="text-stone-600">逾期</dt>
                    <dd className="break-words">{latePolicy(a)}</dd>
                    <dt className="text-stone-600">字数</dt>
                    <dd>{charLimits(a.minChars, a.maxChars)}</dd>
                    {a.readings.length ? (
                      <>
                        <dt className="text-stone-600">学习篇目</dt>
                        <dd className="break-words">{a.readings.map((r) => r.title).join('、')}</dd>
                      </>
                    ) : null}
                    <dt className="text-stone-600">已交/应交</dt>
                    <dd className="tabular-nums">
                      {a.submittedCount}/{a.expectedCount}
                    </dd>
                  </dl>
                  {a.prompt ? <p className="mt-2 whitespace-pre-line break-words text-sm text-stone-700">{a.prompt}</p> : null}
                  <div className="mt-3 flex flex-wrap gap-2">
                    <Link href={`${base}?assignment=${a.id}`} className={buttonClass('secondary')}>
                      修改<span className="sr-only">{a.title}</span>
                    </Link>
                    <ActionButton
                      action={deleteAssignmentAction}
                      fields={{ id: a.id }}
                      variant="danger"
                      confirm={`确定删除“${a.title}”？已有学员动笔的任务不能删除。`}
                      confirmLabel="确认删除"
                    >
                      删除<span className="sr-only">{a.title}</span>
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
