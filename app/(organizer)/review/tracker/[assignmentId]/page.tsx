import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { AppShell, PageTitle } from '@/components/app-shell';
import { ActionButton } from '@/components/course/action-button';
import { ReminderTools } from '@/components/reminders/reminder-tools';
import { buttonClass } from '@/components/ui/button-class';
import { courseRobotKind } from '@/db/queries/reminders/webhook';
import { reminderMessage } from '@/lib/reminders/message';
import { getAssignmentTracker, TRACKER_STATUS_LABELS, type TrackerCounts, type TrackerGroupDto, type TrackerStatus } from '@/db/queries/tracker';
import { requireRole } from '@/lib/auth/viewer';
import { deadlineLabel, deadlineState } from '@/lib/reflection/deadline';
import { formatDateTime } from '@/lib/time';
import { idSchema } from '@/lib/validation/common';
import { remindMissingAction } from '../actions';

export const metadata: Metadata = { title: '交稿情况' };

const STATUS_STYLE: Record<TrackerStatus, string> = {
  submitted: 'bg-green-100 text-green-900',
  late: 'bg-amber-100 text-amber-900',
  missing: 'bg-red-100 text-red-900',
  not_required: 'bg-stone-100 text-stone-700',
};

function pct(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

function Totals({ c }: { c: TrackerCounts }) {
  const items = [
    ['应交', c.total],
    ['按时提交', c.submitted],
    ['逾期提交', c.late],
    ['未交', c.missing],
  ] as const;
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-5">
      {items.map(([label, n]) => (
        <div key={label} className="rounded-lg border border-stone-200 bg-white p-3">
          <dt className="text-sm text-stone-600">{label}</dt>
          <dd className="text-2xl font-bold text-stone-900">{n}</dd>
        </div>
      ))}
      <div className="rounded-lg border border-stone-200 bg-white p-3">
        <dt className="text-sm text-stone-600">提交率</dt>
        <dd className="text-2xl font-bold text-stone-900">{pct(c.rate)}</dd>
      </div>
    </dl>
  );
}

function GroupTable({ caption, head, rows }: { caption: string; head: string; rows: TrackerGroupDto[] }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-stone-200 bg-white">
      <table className="w-full min-w-[28rem] text-left text-sm">
        <caption className="px-3 py-2 text-left text-base font-semibold text-stone-900">{caption}</caption>
        <thead className="bg-stone-50 text-stone-700">
          <tr>
            <th scope="col" className="px-3 py-2">{head}</th>
            <th scope="col" className="px-3 py-2 text-right">应交</th>
            <th scope="col" className="px-3 py-2 text-right">按时</th>
            <th scope="col" className="px-3 py-2 text-right">逾期</th>
            <th scope="col" className="px-3 py-2 text-right">未交</th>
            <th scope="col" className="px-3 py-2 text-right">提交率</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((g) => (
            <tr key={g.label} className="border-t border-stone-100">
              <th scope="row" className="px-3 py-2 font-normal [overflow-wrap:anywhere]">{g.label}</th>
              <td className="px-3 py-2 text-right">{g.total}</td>
              <td className="px-3 py-2 text-right">{g.submitted}</td>
              <td className="px-3 py-2 text-right">{g.late}</td>
              <td className="px-3 py-2 text-right">{g.missing}</td>
              <td className="px-3 py-2 text-right">{pct(g.rate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default async function TrackerPage({ params }: { params: Promise<{ assignmentId: string }> }) {
  const viewer = await requireRole('organizer', 'admin');
  const id = idSchema.safeParse((await params).assignmentId);
  if (!id.success) notFound();
  const t = await getAssignmentTracker(viewer, { assignmentId: id.data });
  const state = deadlineState(t.assignment, new Date());
  const canRemind = t.totals.missing > 0 && !t.course.archived && state.kind !== 'closed';
  const missing = t.members.filter((m) => m.status === 'missing');
  const message = reminderMessage({ courseName: t.course.name, meetingTitle: t.meeting.title, assignmentTitle: t.assignment.title, dueAt: t.assignment.dueAt, names: missing.map((m) => m.name) });
  return (
    <AppShell viewer={viewer}>
      <nav aria-label="位置" className="mb-2 text-sm text-stone-600">
        <Link href="/review/tracker" className="underline-offset-2 hover:underline">
          交稿情况
        </Link>
        <span aria-hidden="true"> / </span>
        <span className="[overflow-wrap:anywhere]">{t.course.name}</span>
      </nav>
      <PageTitle>{t.assignment.title}</PageTitle>
      <p className="mb-4 text-stone-700 [overflow-wrap:anywhere]">
        {t.meeting.title} · 截止 {formatDateTime(t.assignment.dueAt)}（{deadlineLabel(state)}）
        {t.assignment.allowLate ? '' : ' · 不接受逾期提交'}
      </p>
      <div className="mb-5 flex flex-wrap items-center gap-3">
        <a href={`/api/review/tracker/${t.assignment.id}/export`} className={buttonClass('secondary')} download>
          导出Excel
        </a>
        {canRemind ? (
          <ActionButton
            action={remindMissingAction}
            fields={{ assignmentId: t.assignment.id }}
            confirm={`将提醒 ${t.totals.missing} 人：他们会在“通知”里看到提交提醒。`}
            confirmLabel="确认提醒"
            variant="primary"
            pendingText="正在发送…"
          >
            提醒未交学员
          </ActionButton>
        ) : null}
        {missing.length > 0 ? <ReminderTools assignmentId={t.assignment.id} message={message} robot={await courseRobotKind(viewer, { courseId: t.course.id })} /> : null}
        {t.lastReminder ? (
          <p className="text-sm text-stone-600">
            上次提醒：{formatDateTime(t.lastReminder.at)}，{t.lastReminder.count} 人{t.lastReminder.by ? `（${t.lastReminder.by}）` : ''}
          </p>
        ) : null}
      </div>

      <section aria-labelledby="totals-heading" className="mb-6">
        <h2 id="totals-heading" className="sr-only">
          汇总
        </h2>
        <Totals c={t.totals} />
      </section>

      <section aria-labelledby="members-heading" className="mb-6">
        <h2 id="members-heading" className="mb-2 text-lg font-semibold">
          学员名单
        </h2>
        {t.members.length === 0 ? (
          <p className="rounded-lg border border-dashed border-stone-300 bg-white p-5 text-stone-700">这个读书班还没有学员。</p>
        ) : (
          <div className="overflow-x-auto rounded-lg border border-stone-200 bg-white">
            <table className="w-full min-w-[32rem] text-left text-sm">
              <thead className="bg-stone-50 text-stone-700">
                <tr>
                  <th scope="col" className="px-3 py-2">姓名</th>
                  <th scope="col" className="px-3 py-2">单位</th>
                  <th scope="col" className="px-3 py-2">小组</th>
                  <th scope="col" className="px-3 py-2">状态</th>
                  <th scope="col" className="px-3 py-2">提交时间</th>
                  <th scope="col" className="px-3 py-2">手机</th>
                </tr>
              </thead>
              <tbody>
                {t.members.map((m) => (
                  <tr key={m.userId} className="border-t border-stone-100">
                    <th scope="row" className="px-3 py-2 font-medium">
                      {m.name}
                      {m.title ? <span className="block text-xs font-normal text-stone-600 [overflow-wrap:anywhere]">{m.title}</span> : null}
                    </th>
                    <td className="px-3 py-2 [overflow-wrap:anywhere]">{m.unitPath}</td>
                    <td className="px-3 py-2">{m.groupName}</td>
                    <td className="px-3 py-2">
                      <span className={`rounded px-2 py-0.5 ${STATUS_STYLE[m.status]}`}>{TRACKER_STATUS_LABELS[m.status]}</span>
                    </td>
                    <td className="px-3 py-2">{m.submittedAt ? formatDateTime(m.submittedAt) : '—'}</td>
                    <td className="px-3 py-2 tabular-nums">
                      {m.status === 'missing' && m.phone ? <a href={`tel:${m.phone}`} className="text-brand-700 underline-offset-2 hover:underline">{m.phone}</a> : '—'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <div className="grid gap-5 lg:grid-cols-2">
        <GroupTable caption="按单位" head="单位" rows={t.byUnit} />
        <GroupTable caption="按讨论小组" head="讨论小组" rows={t.byGroup} />
      </div>
    </AppShell>
  );
}
