import type { Metadata } from 'next';
import { getMyAccount } from '@/db/queries/account';
import { listMyAssignments, listMyOpenAssignments, type MyAssignmentItem } from '@/db/queries/reflections/reads';
import { AccountCard } from '@/components/account/account-card';
import { AppShell, PageTitle } from '@/components/app-shell';
import { assignmentHref, cardOf } from '@/components/reflection-view/assignment-card';
import { AssignmentCourses } from '@/components/reflection-view/assignment-cards';
import { Alert } from '@/components/ui/alert';
import { Pager } from '@/components/ui/pager';
import { requireRole } from '@/lib/auth/viewer';
import { deadlineLabel } from '@/lib/reflection/deadline';
import { formatDate, formatDateTime } from '@/lib/time';
import { myAssignmentsQuerySchema } from '@/lib/validation/reflections';
import s from './my.module.css';

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
  const list = await listMyAssignments(viewer, { page }, now);
  const open = await listMyOpenAssignments(viewer, now);
  const account = await getMyAccount(viewer);
  const groups = groupByCourse(list.items);

  return (
    <AppShell viewer={viewer}>
      <PageTitle
        actions={
          <a href={`/archive/${viewer.id}`} className={s.archive}>
            我的学习档案
          </a>
        }
      >
        我的学习
      </PageTitle>
      {params.passwordChanged ? (
        <div className="mb-4">
          <Alert kind="success">密码已修改。</Alert>
        </div>
      ) : null}
      <div className={s.columns}>
        <div>
          {open.total > 0 ? (
            <section aria-labelledby="todo-heading" className={s.todo}>
              <h2 id="todo-heading">{`待完成 ${open.total} 项`}</h2>
              <ul>
                {open.items.map((item) => (
                  <li key={item.assignmentId}>
                    <a href={assignmentHref(item.assignmentId)}>
                      {item.title}
                      <span>{item.course.name}</span>
                    </a>
                    <span className={item.deadline.kind === 'open' ? undefined : s.urgent}>
                      {item.status === 'returned' ? '退回修改' : `${formatDateTime(item.dueAt)} 截止 · ${deadlineLabel(item.deadline)}`}
                    </span>
                  </li>
                ))}
              </ul>
              {open.total > open.items.length ? <p>{`另有 ${open.total - open.items.length} 项，见下方列表。`}</p> : null}
            </section>
          ) : null}

          <section aria-labelledby="tasks-heading" className={s.tasks}>
            <h2 id="tasks-heading">学习任务</h2>
            {list.total === 0 ? (
              <p>你目前还没有学习任务。组织者把你加入读书班并布置心得任务后，会列在这里。</p>
            ) : (
              <AssignmentCourses
                className={s.courses ?? ''}
                courses={groups.map((course) => [course.id, course.name, course.archived, course.meetings.map((m) => [m.id, m.title, m.startsAt ? formatDate(m.startsAt) : null, m.items.map(cardOf)])])}
              />
            )}
            {list.pageCount > 1 ? <Pager page={list.page} pageCount={list.pageCount} total={list.total} basePath="/my" params={{}} /> : null}
          </section>
        </div>
        <AccountCard account={account} />
      </div>
    </AppShell>
  );
}
