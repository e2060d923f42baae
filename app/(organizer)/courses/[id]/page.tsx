import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { AppShell, PageTitle } from '@/components/app-shell';
import { Breadcrumbs } from '@/components/course/breadcrumbs';
import {
  GroupsSection,
  InfoSection,
  MeetingsSection,
  MembersSection,
  OrganizersSection,
} from '@/components/course/course-sections';
import { courseTab, CourseTabs } from '@/components/course/course-tabs';
import { courseDates } from '@/components/course/format';
import { Alert } from '@/components/ui/alert';
import { CourseStatisticsLinks } from '@/components/statistics/course-links';
import { getCourse, searchOrganizerCandidates } from '@/db/queries/courses';
import { listGroups, listMemberChoices, listMembers, searchEnrollCandidates } from '@/db/queries/enrollment';
import { listMeetings } from '@/db/queries/meetings';
import { requireRole } from '@/lib/auth/viewer';
import { idSchema, pageSchema } from '@/lib/validation/common';
import { searchTermSchema } from '@/lib/validation/courses';

export const metadata: Metadata = { title: '读书班' };

type Params = Promise<{ id: string }>;
type Search = Promise<Record<string, string | undefined>>;

export default async function CoursePage({ params, searchParams }: { params: Params; searchParams: Search }) {
  const viewer = await requireRole('organizer', 'admin');
  const parsedId = idSchema.safeParse((await params).id);
  if (!parsedId.success) notFound();
  const courseId = parsedId.data;
  const sp = await searchParams;
  const course = await getCourse(viewer, { id: courseId });
  const tab = courseTab(sp.tab);
  const page = pageSchema.parse(sp.page);
  const isAdmin = viewer.role === 'admin';

  let body: React.ReactNode;
  if (tab === 'info') {
    body = <InfoSection course={course} />;
  } else if (tab === 'meetings') {
    body = <MeetingsSection courseId={courseId} meetings={await listMeetings(viewer, { courseId, page })} />;
  } else if (tab === 'members') {
    const find = searchTermSchema.parse(sp.find);
    const mq = searchTermSchema.parse(sp.mq) || undefined;
    const group = sp.group || undefined;
    body = (
      <MembersSection
        courseId={courseId}
        find={find}
        candidates={await searchEnrollCandidates(viewer, { courseId, q: find })}
        members={await listMembers(viewer, { courseId, q: mq, groupId: group, page })}
        groups={await listGroups(viewer, { courseId })}
        filter={{ q: mq, group }}
      />
    );
  } else if (tab === 'groups') {
    const groups = await listGroups(viewer, { courseId });
    const editId = Number(sp.editGroup);
    body = (
      <GroupsSection
        courseId={courseId}
        groups={groups}
        members={await listMemberChoices(viewer, { courseId })}
        editing={groups.find((g) => g.id === editId)}
      />
    );
  } else {
    const find = isAdmin ? searchTermSchema.parse(sp.ofind) : '';
    body = (
      <OrganizersSection
        course={course}
        isAdmin={isAdmin}
        find={find}
        candidates={isAdmin ? await searchOrganizerCandidates(viewer, { courseId, q: find }) : { items: [], more: false }}
      />
    );
  }

  return (
    <AppShell viewer={viewer}>
      <Breadcrumbs items={[{ href: '/courses', label: '读书班' }, { label: course.name }]} />
      <PageTitle actions={<CourseStatisticsLinks courseId={courseId} isAdmin={isAdmin} />}>{course.name}</PageTitle>
      <p className="-mt-3 mb-4 text-sm text-stone-700">
        {course.columnName ? `栏目：${course.columnName} · ` : ''}
        {courseDates(course.startsOn, course.endsOn)}
        {course.publisher ? ` · ${course.publisher}` : ''}
        {course.archived ? <span className="ml-2 rounded bg-stone-200 px-1.5 py-0.5 text-xs text-stone-700">已归档</span> : null}
      </p>
      <div className="mb-4 space-y-3">
        {sp.created ? <Alert kind="success">读书班已创建。接下来可以添加集中学习、加入学员、分好讨论小组。</Alert> : null}
        {sp.meetingDeleted ? <Alert kind="success">集中学习已删除。</Alert> : null}
        {isAdmin && course.organizers.length === 0 ? (
          <Alert kind="info">这个读书班还没有组织者，除管理员外没有人能管理它。请在“组织者”中指派。</Alert>
        ) : null}
      </div>
      <CourseTabs
        courseId={courseId}
        current={tab}
        counts={{
          meetings: course.meetingCount,
          members: course.memberCount,
          groups: course.groupCount,
          organizers: course.organizers.length,
        }}
      />
      {body}
    </AppShell>
  );
}
