import Link from 'next/link';
import {
  addCourseOrganizerAction,
  deleteCourseAction,
  deleteGroupAction,
  removeCourseOrganizerAction,
  removeMemberAction,
  setCourseArchivedAction,
} from '@/app/(organizer)/courses/actions';
import type { CourseDetailDto, OrganizerCandidateDto, PageDto } from '@/db/queries/courses';
import type { EnrollCandidateDto, GroupDto, MemberDto } from '@/db/queries/enrollment';
import type { MeetingListItemDto } from '@/db/queries/meetings';
import { buttonClass } from '@/components/ui/button-class';
import { inputClass } from '@/components/ui/field';
import { Pager } from '@/components/ui/pager';
import { ActionButton } from './action-button';
import { CourseForm } from './course-form';
import { EnrollForm } from './enroll-form';
import { meetingTime } from './format';
import { GroupForm } from './group-form';
import { MemberGroupForm } from './member-group-form';

// The five sections of a course page. Each gets its data from the page (db/queries) and
// renders it; changes go through the actions in app/(organizer)/courses/actions.ts.

const TH = 'px-3 py-2 text-left text-sm font-medium text-stone-700';
const TD = 'px-3 py-2 align-top';

function SearchBox({
  label,
  name,
  value,
  hidden,
  placeholder,
  button = '搜索',
}: {
  label: string;
  name: string;
  value: string;
  hidden: Record<string, string>;
  placeholder?: string;
  button?: string;
}) {
  const id = `search-${name}`;
  return (
    <form method="get" role="search" aria-label={label} className="flex flex-wrap items-end gap-3">
      {Object.entries(hidden).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <div className="min-w-0 flex-1 basis-56 space-y-1">
        <label htmlFor={id} className="block text-sm font-medium text-stone-800">
          {label}
        </label>
        <input id={id} name={name} type="search" defaultValue={value} maxLength={50} placeholder={placeholder} className={inputClass} />
      </div>
      <button type="submit" className={buttonClass('secondary')}>
        {button}
      </button>
    </form>
  );
}

// ---------------------------------------------------------------------------------------------

export function InfoSection({ course }: { course: CourseDetailDto }) {
  return (
    <div className="space-y-6">
      <section aria-labelledby="info-heading" className="rounded-lg border border-stone-200 bg-white p-5">
        <h2 id="info-heading" className="mb-4 text-lg font-semibold">
          基本信息
        </h2>
        <div className="max-w-2xl">
          <CourseForm course={course} />
        </div>
      </section>
      <section aria-labelledby="manage-heading" className="rounded-lg border border-stone-200 bg-white p-5">
        <h2 id="manage-heading" className="text-lg font-semibold">
          归档与删除
        </h2>
        <p className="mt-2 text-sm text-stone-600">
          读书班结束后可以归档：归档的读书班不再出现在日常列表里，内容都保留，随时可以取消归档。只有还没有学员写过心得的读书班才能删除。
        </p>
        <div className="mt-3 flex flex-wrap gap-3">
          <ActionButton
            action={setCourseArchivedAction}
            fields={{ id: course.id, archived: course.archived ? 'false' : 'true' }}
            variant="secondary"
          >
            {course.archived ? '取消归档' : '归档'}
          </ActionButton>
          <ActionButton
            action={deleteCourseAction}
            fields={{ id: course.id }}
            variant="danger"
            confirm={`确定删除“${course.name}”？集中学习、心得任务、学员名单和小组都会一并删除。`}
            confirmLabel="确认删除"
          >
            删除读书班
          </ActionButton>
        </div>
      </section>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------

export function MeetingsSection({ courseId, meetings }: { courseId: number; meetings: PageDto<MeetingListItemDto> }) {
  return (
    <section aria-labelledby="meetings-heading">
      <div className="mb-3 flex flex-wrap items-center justify-between gap-3">
        <h2 id="meetings-heading" className="text-lg font-semibold">
          集中学习
        </h2>
        <Link href={`/courses/${courseId}/meetings/new`} className={buttonClass()}>
          添加集中学习
        </Link>
      </div>
      {meetings.items.length === 0 ? (
        <p className="rounded-lg border border-dashed border-stone-300 bg-white p-6 text-stone-700">
          还没有集中学习。添加开班式或第一次集中学习后，就可以给它布置心得任务。
        </p>
      ) : (
        <ol className="space-y-3">
          {meetings.items.map((m) => (
            <li key={m.id} className="rounded-lg border border-stone-200 bg-white p-4">
              <h3 className="break-words text-base font-semibold">
                <Link href={`/courses/${courseId}/meetings/${m.id}`} className="text-brand-700 underline-offset-2 hover:underline">
                  {m.title}
                </Link>
              </h3>
              <p className="mt-1 text-sm text-stone-700">
                {meetingTime(m.startsAt)}
                {m.place ? ` · ${m.place}` : ''}
              </p>
              {m.readings.length ? (
                <p className="mt-1 break-words text-sm text-stone-700">学习篇目：{m.readings.map((r) => r.title).join('、')}</p>
              ) : null}
              <p className="mt-1 text-sm text-stone-600">心得任务 {m.assignmentCount} 项</p>
            </li>
          ))}
        </ol>
      )}
      <Pager page={meetings.page} pageCount={meetings.pageCount} total={meetings.total} basePath={`/courses/${courseId}`} params={{ tab: 'meetings' }} />
    </section>
  );
}

// ---------------------------------------------------------------------------------------------

export function MembersSection({
  courseId,
  find,
  candidates,
  members,
  groups,
  filter,
}: {
  courseId: number;
  find: string;
  candidates: { items: EnrollCandidateDto[]; more: boolean };
  members: PageDto<MemberDto>;
  groups: GroupDto[];
  filter: { q?: string; group?: string };
}) {
  const filtered = !!(filter.q || filter.group);
  return (
    <div className="space-y-6">
      <section aria-labelledby="enroll-heading" className="rounded-lg border border-stone-200 bg-white p-5">
        <h2 id="enroll-heading" className="mb-3 text-lg font-semibold">
          加入学员
        </h2>
        <SearchBox label="搜索学员" name="find" value={find} hidden={{ tab: 'members' }} placeholder="姓名或账号" />
        {find ? (
          <div className="mt-4">
            {candidates.items.length === 0 ? (
              <p className="text-stone-700">没有姓名或账号包含“{find}”的在用学员账号。学员账号由管理员创建。</p>
            ) : (
              <>
                <EnrollForm courseId={courseId} candidates={candidates.items} groups={groups} />
                {candidates.more ? <p className="mt-2 text-sm text-stone-600">只列出前 30 位，请输入更完整的姓名或账号。</p> : null}
              </>
            )}
          </div>
        ) : (
          <p className="mt-2 text-sm text-stone-600">输入姓名或账号搜索，勾选后一次加入多位学员。</p>
        )}
      </section>

      <section aria-labelledby="members-heading">
        <h2 id="members-heading" className="mb-3 text-lg font-semibold">
          学员名单
        </h2>
        <form method="get" role="search" aria-label="筛选学员名单" className="mb-3 flex flex-wrap items-end gap-3">
          <input type="hidden" name="tab" value="members" />
          <div className="min-w-0 flex-1 basis-48 space-y-1">
            <label htmlFor="members-q" className="block text-sm font-medium text-stone-800">
              查找本班学员
            </label>
            <input id="members-q" name="mq" type="search" defaultValue={filter.q ?? ''} maxLength={50} className={inputClass} />
          </div>
          <div className="space-y-1">
            <label htmlFor="members-group" className="block text-sm font-medium text-stone-800">
              按小组
            </label>
            <select id="members-group" name="group" defaultValue={filter.group ?? ''} className={inputClass}>
              <option value="">全部</option>
              <option value="none">未分组</option>
              {groups.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className={buttonClass('secondary')}>
            筛选
          </button>
        </form>
        {members.items.length === 0 ? (
          <p className="rounded-lg border border-dashed border-stone-300 bg-white p-6 text-stone-700">
            {filtered ? '没有符合条件的学员。' : '还没有学员。用上面的“搜索学员”找到学员后加入读书班。'}
          </p>
        ) : (
          <div className="overflow-x-auto rounded-lg border border-stone-200 bg-white">
            <table className="w-full min-w-[46rem] border-collapse text-base">
              <caption className="sr-only">学员名单</caption>
              <thead className="bg-stone-50">
                <tr>
                  <th scope="col" className={TH}>
                    姓名
                  </th>
                  <th scope="col" className={TH}>
                    职务
                  </th>
                  <th scope="col" className={TH}>
                    单位
                  </th>
                  <th scope="col" className={TH}>
                    小组
                  </th>
                  <th scope="col" className={TH}>
                    <span className="sr-only">操作</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-stone-100">
                {members.items.map((m) => (
                  <tr key={m.userId}>
                    <th scope="row" className={`${TD} text-left font-medium`}>
                      {m.name}
                      {m.isLeader ? <span className="ml-1 rounded bg-amber-100 px-1 text-xs text-amber-900">组长</span> : null}
                      {!m.active ? <span className="ml-1 rounded bg-stone-200 px-1 text-xs text-stone-700">已停用</span> : null}
                      <span className="block text-sm font-normal text-stone-500">{m.username}</span>
                    </th>
                    <td className={`${TD} max-w-56 break-words text-sm`}>{m.title || '—'}</td>
                    <td className={`${TD} max-w-48 break-words text-sm`}>{m.unitPath || '—'}</td>
                    <td className={TD}>
                      <MemberGroupForm courseId={courseId} member={m} groups={groups} />
                    </td>
                    <td className={TD}>
                      <ActionButton
                        action={removeMemberAction}
                        fields={{ courseId, userId: m.userId }}
                        variant="danger"
                        confirm={`确定把${m.name}移出读书班？已写的心得会保留。`}
                        confirmLabel="确认移出"
                      >
                        移出<span className="sr-only">{m.name}</span>
                      </ActionButton>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager
          page={members.page}
          pageCount={members.pageCount}
          total={members.total}
          basePath={`/courses/${courseId}`}
          params={{ tab: 'members', mq: filter.q, group: filter.group, find: find || undefined }}
        />
      </section>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------

export function GroupsSection({
  courseId,
  groups,
  members,
  editing,
}: {
  courseId: number;
  groups: GroupDto[];
  members: { id: number; name: string; title: string }[];
  editing: GroupDto | undefined;
}) {
  return (
    <div className="space-y-6">
      <section aria-labelledby="group-form-heading" className="rounded-lg border border-stone-200 bg-white p-5">
        <h2 id="group-form-heading" className="mb-4 text-lg font-semibold">
          {editing ? `修改小组：${editing.name}` : '添加小组'}
        </h2>
        <div className="max-w-2xl">
          {editing ? (
            <GroupForm key={editing.id} courseId={courseId} group={editing} members={members} cancelHref={`/courses/${courseId}?tab=groups`} />
          ) : (
            <GroupForm courseId={courseId} members={members} />
          )}
        </div>
      </section>
      <section aria-labelledby="groups-heading">
        <h2 id="groups-heading" className="mb-3 text-lg font-semibold">
          讨论小组
        </h2>
        {groups.length === 0 ? (
          <p className="rounded-lg border border-dashed border-stone-300 bg-white p-6 text-stone-700">还没有讨论小组。</p>
        ) : (
          <ul className="space-y-3">
            {groups.map((g) => (
              <li key={g.id} className="flex flex-wrap items-center justify-between gap-3 rounded-lg border border-stone-200 bg-white p-4">
                <div className="min-w-0">
                  <h3 className="break-words font-semibold">{g.name}</h3>
                  <p className="text-sm text-stone-700">
                    组长：{g.leaderName ?? '未设'} · {g.memberCount} 人 ·{' '}
                    <Link href={`/courses/${courseId}?tab=members&group=${g.id}`} className="text-brand-700 underline">
                      查看组员
                    </Link>
                  </p>
                </div>
                <div className="flex flex-wrap gap-2">
                  <Link href={`/courses/${courseId}?tab=groups&editGroup=${g.id}`} className={buttonClass('secondary')}>
                    修改<span className="sr-only">{g.name}</span>
                  </Link>
                  <ActionButton
                    action={deleteGroupAction}
                    fields={{ id: g.id }}
                    variant="danger"
                    confirm={`确定删除${g.name}？组员仍留在读书班中，只是不再分组。`}
                    confirmLabel="确认删除"
                  >
                    删除<span className="sr-only">{g.name}</span>
                  </ActionButton>
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------

export function OrganizersSection({
  course,
  isAdmin,
  find,
  candidates,
}: {
  course: CourseDetailDto;
  isAdmin: boolean;
  find: string;
  candidates: { items: OrganizerCandidateDto[]; more: boolean };
}) {
  return (
    <div className="space-y-6">
      <section aria-labelledby="organizers-heading">
        <h2 id="organizers-heading" className="mb-3 text-lg font-semibold">
          组织者
        </h2>
        {course.organizers.length === 0 ? (
          <p className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-amber-900">这个读书班还没有组织者。</p>
        ) : (
          <ul className="divide-y divide-stone-100 rounded-lg border border-stone-200 bg-white">
            {course.organizers.map((o) => (
              <li key={o.id} className="flex flex-wrap items-center justify-between gap-3 p-4">
                <div className="min-w-0">
                  <p className="font-medium">
                    {o.name}
                    <span className="ml-2 text-sm font-normal text-stone-500">{o.username}</span>
                    {!o.active ? <span className="ml-2 rounded bg-stone-200 px-1 text-xs text-stone-700">已停用</span> : null}
                  </p>
                  {o.title ? <p className="break-words text-sm text-stone-700">{o.title}</p> : null}
                </div>
                {isAdmin ? (
                  <ActionButton
                    action={removeCourseOrganizerAction}
                    fields={{ courseId: course.id, userId: o.id }}
                    variant="danger"
                    confirm={`确定不再让${o.name}负责这个读书班？`}
                    confirmLabel="确认移除"
                  >
                    移除<span className="sr-only">{o.name}</span>
                  </ActionButton>
                ) : null}
              </li>
            ))}
          </ul>
        )}
        {!isAdmin ? <p className="mt-3 text-sm text-stone-600">组织者由管理员指派。</p> : null}
      </section>
      {isAdmin ? (
        <section aria-labelledby="assign-heading" className="rounded-lg border border-stone-200 bg-white p-5">
          <h2 id="assign-heading" className="mb-3 text-lg font-semibold">
            指派组织者
          </h2>
          <SearchBox label="搜索组织者" name="ofind" value={find} hidden={{ tab: 'organizers' }} placeholder="姓名或账号" />
          {find ? (
            candidates.items.length === 0 ? (
              <p className="mt-3 text-stone-700">没有姓名或账号包含“{find}”的在用组织者账号。</p>
            ) : (
              <ul className="mt-3 divide-y divide-stone-100 rounded-md border border-stone-200">
                {candidates.items.map((c) => (
                  <li key={c.id} className="flex flex-wrap items-center justify-between gap-3 p-3">
                    <div className="min-w-0">
                      <p className="font-medium">
                        {c.name}
                        <span className="ml-2 text-sm font-normal text-stone-500">{c.username}</span>
                      </p>
                      {c.title ? <p className="break-words text-sm text-stone-700">{c.title}</p> : null}
                    </div>
                    {c.assigned ? (
                      <span className="text-sm text-stone-600">已负责本班</span>
                    ) : (
                      <ActionButton action={addCourseOrganizerAction} fields={{ courseId: course.id, userId: c.id }} variant="primary">
                        指派<span className="sr-only">{c.name}</span>
                      </ActionButton>
                    )}
                  </li>
                ))}
              </ul>
            )
          ) : null}
          {candidates.more ? <p className="mt-2 text-sm text-stone-600">只列出前 20 位，请输入更完整的姓名或账号。</p> : null}
        </section>
      ) : null}
    </div>
  );
}
