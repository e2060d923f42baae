import type { Metadata } from 'next';
import Link from 'next/link';
import { getMyAccount } from '@/db/queries/account';
import { listMyAssignments, listMyOpenAssignments, type MyAssignmentItem } from '@/db/queries/reflections/reads';
import { AccountCard } from '@/components/account/account-card';
import { AppShell, PageTitle } from '@/components/app-shell';
import { AssignmentCard, assignmentHref } from '@/components/reflection-view/assignment-card';
import { Alert } from '@/components/ui/alert';
import { Pager } from '@/components/ui/pager';
import { requireRole } from '@/lib/auth/viewer';
import { deadlineLabel } from '@/lib/reflection/deadline';
import { formatDate, formatDateTime } from '@/lib/time';
import { myAssignmentsQuerySchema } from '@/lib/validation/reflections';

export const metadata: Metadata = { title: '我的学习' };

interface CourseGroup {
  id: number;
  name: string;
  archived: boolean;
  meetings: { id: number; title: string; startsAt: Date | null; items: MyAssignmentItem[] }[];
}

/** The page's assignments, already in course → meeting order, gathered under their headings. */
function groupByCourse(items: MyAssignmentItem[]): CourseGroup[] {
  const groups: CourseGroup[] = [];
  for (const item of items) {
    let course = groups[groups.length - 1];
    if (!course || course.id !== item.course.id) {
      course = { ...item.course, meetings: [] };
      groups.push(course);
    }
    let meeting = course.meetings[course.meetings.length - 1];
    if (!meeting || meeting.id !== item.meeting.id) {
      meeting = { ...item.meeting, items: [] };
      course.meetings.push(meeting);
    }
    meeting.items.push(item);
  }
  return groups;
}

export default async function MyPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const viewer = await requireRole('cadre');
  const params = await searchParams;
  const { page } = myAssignmentsQuerySchema.parse({ page: params.page });
  const now = new Date();
  const list = listMyAssignments(viewer, { page }, now);
  const open = listMyOpenAssignments(viewer, now);
  const account = getMyAccount(viewer);
  const groups = groupByCourse(list.items);

  return (
    <AppShell viewer={viewer}>
      <PageTitle actions={<Link href={`/archive/${viewer.id}`} className="inline-flex min-h-11 items-center text-brand-700 underline-offset-2 hover:underline">我的学习档案</Link>}>我的学习</PageTitle>
      {params.passwordChanged ? (
        <div className="mb-4">
          <Alert kind="success">密码已修改。</Alert>
        </div>
      ) : null}
      <div className="grid gap-5 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
        <div className="min-w-0 space-y-5">
          {open.total > 0 ? (
            <section aria-labelledby="todo-heading" className="rounded-lg border border-brand-100 bg-brand-50 p-5">
              <h2 id="todo-heading" className="text-lg font-semibold">
                待完成 {open.total} 项
              </h2>
              <ul className="mt-2 divide-y divide-brand-100">
                {open.items.map((item) => (
                  <li key={item.assignmentId} className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1 py-2">
                    <Link href={assignmentHref(item.assignmentId)} className="inline-flex min-h-11 min-w-0 flex-wrap items-center break-words font-medium text-brand-700 underline-offset-2 hover:underline">
                      {item.title}
                      <span className="ml-2 text-sm font-normal text-stone-600">{item.course.name}</span>
                    </Link>
                    <span className={`text-sm ${item.deadline.kind === 'open' ? 'text-stone-700' : 'font-medium text-red-700'}`}>
                      {item.status === 'returned' ? '退回修改' : `${formatDateTime(item.dueAt)} 截止 · ${deadlineLabel(item.deadline)}`}
                    </span>
                  </li>
                ))}
              </ul>
              {open.total > open.items.length ? (
                <p className="mt-1 text-sm text-stone-600">另有 {open.total - open.items.length} 项，见下方列表。</p>
              ) : null}
            </section>
          ) : null}

          <section aria-labelledby="tasks-heading" className="rounded-lg border border-stone-200 bg-white p-5">
            <h2 id="tasks-heading" className="text-lg font-semibold">
              学习任务
            </h2>
            {list.total === 0 ? (
              <p className="mt-3 text-stone-700">你目前还没有学习任务。组织者把你加入读书班并布置心得任务后，会列在这里。</p>
            ) : (
              <div className="mt-3 space-y-6">
                {groups.map((course) => (
                  <section key={course.id} aria-labelledby={`course-${course.id}`} className="space-y-4">
                    <h3 id={`course-${course.id}`} className="border-b border-stone-200 pb-1 text-lg font-semibold break-words text-stone-900">
                      {course.name}
                      {course.archived ? <span className="ml-2 text-sm font-normal text-stone-500">已结束</span> : null}
                    </h3>
                    {course.meetings.map((meeting) => (
                      <section key={meeting.id} aria-labelledby={`meeting-${meeting.id}`} className="space-y-2">
                        <h4 id={`meeting-${meeting.id}`} className="text-base font-semibold break-words text-stone-800">
                          {meeting.title}
                          {meeting.startsAt ? (
                            <span className="ml-2 text-sm font-normal text-stone-600">{formatDate(meeting.startsAt)}</span>
                          ) : null}
                        </h4>
                        <ul className="space-y-3">
                          {meeting.items.map((item) => (
                            <li key={item.assignmentId}>
                              <AssignmentCard item={item} />
                            </li>
                          ))}
                        </ul>
                      </section>
                    ))}
                  </section>
                ))}
              </div>
            )}
            {list.pageCount > 1 ? <Pager page={list.page} pageCount={list.pageCount} total={list.total} basePath="/my" params={{}} /> : null}
          </section>
        </div>
        <AccountCard account={account} />
      </div>
    </AppShell>
  );
}
