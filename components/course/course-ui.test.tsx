import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { listAssignmentsForMeeting } from '@/db/queries/assignments';
import { getCourse, listCourses, searchOrganizerCandidates } from '@/db/queries/courses';
import { listGroups, listMemberChoices, listMembers, searchEnrollCandidates } from '@/db/queries/enrollment';
import { getMeeting, listMeetings } from '@/db/queries/meetings';
import { listReadingChoices } from '@/db/queries/readings';
import { twoCourses } from '@/db/queries/courses.fixtures';
import { toDateTimeLocal } from '@/lib/validation/courses';
import { useTestDatabase } from '@/test/db';
import { AssignmentForm } from './assignment-form';
import { CourseForm } from './course-form';
import { CourseList } from './course-list';
import { GroupsSection, InfoSection, MeetingsSection, MembersSection, OrganizersSection } from './course-sections';
import { MeetingForm } from './meeting-form';
import { ReadingForm } from './reading-form';

// Server-rendered markup of the organizer's course UI: every field the end-to-end tests use is
// there, labelled, of the right type, and the buttons say what the issue says.

function decode(s: string): string {
  return s.replace(/<!-- -->/gu, '').replace(/&quot;/gu, '"').replace(/&amp;/gu, '&');
}

/** The control a <label> with exactly this text points at. */
function control(html: string, label: string): string {
  const clean = decode(html);
  const esc = label.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
  const m = new RegExp(`<label[^>]*for="([^"]+)"[^>]*>${esc}</label>`, 'u').exec(clean);
  if (!m) throw new Error(`no label ${label}`);
  const tag = new RegExp(`<(input|select|textarea)[^>]*id="${m[1]}"[^>]*>`, 'u').exec(clean);
  if (!tag) throw new Error(`label ${label} points at nothing`);
  return tag[0];
}

function buttons(html: string): string[] {
  return [...decode(html).matchAll(/<button[^>]*>(.*?)<\/button>/gu)].map((m) => (m[1] ?? '').replace(/<[^>]+>/gu, ''));
}

describe('course forms', () => {
  useTestDatabase();

  it('the course form has the labelled fields and 创建读书班 / 保存', async () => {
    const created = renderToStaticMarkup(<CourseForm />);
    for (const l of ['名称', '栏目', '编印单位']) expect(control(created, l)).toMatch(/<input/u);
    expect(control(created, '开始日期')).toMatch(/type="date"/u);
    expect(control(created, '结束日期')).toMatch(/type="date"/u);
    expect(control(created, '简介')).toMatch(/<textarea/u);
    expect(buttons(created)).toEqual(['创建读书班']);

    const { a } = await twoCourses();
    const course = await getCourse(a.organizer, { id: a.courseId });
    const edit = renderToStaticMarkup(<CourseForm course={course} />);
    expect(control(edit, '名称')).toContain('value="2020年甲读书班"');
    expect(control(edit, '开始日期')).toContain('value="2020-05-09"');
    expect(buttons(edit)).toEqual(['保存']);
  });

  it('the meeting form has 标题, 时间 (datetime-local in Shanghai), 地点, 说明 and reading checkboxes', async () => {
    const { a } = await twoCourses();
    const choices = await listReadingChoices(a.organizer);
    const meeting = await getMeeting(a.organizer, { id: a.meetingId });
    const html = renderToStaticMarkup(
      <MeetingForm
        courseId={a.courseId}
        choices={choices}
        meeting={{
          id: meeting.id,
          title: meeting.title,
          startsAt: toDateTimeLocal(meeting.startsAt),
          place: meeting.place,
          description: meeting.description,
          readingIds: meeting.readings.map((r) => r.id),
        }}
      />,
    );
    expect(control(html, '标题')).toContain('value="开班式"');
    expect(control(html, '时间')).toMatch(/type="datetime-local"[^>]*value="2020-05-09T09:00"|value="2020-05-09T09:00"[^>]*type="datetime-local"/u);
    expect(control(html, '地点')).toContain('value="区委党校"');
    expect(control(html, '说明')).toMatch(/<textarea/u);
    expect(decode(html)).toContain('<legend class="text-sm font-medium text-stone-800">学习篇目</legend>');
    const own = control(html, '《甲篇目》');
    expect(own).toMatch(/type="checkbox"/u);
    expect(own).toContain('checked=""');
    expect(control(html, '《乙篇目》')).not.toContain('checked=""');
    expect(buttons(html)).toEqual(['保存']);
    expect(buttons(renderToStaticMarkup(<MeetingForm courseId={a.courseId} choices={choices} />))).toEqual(['添加集中学习']);
  });

  it('the assignment form has every field, 允许逾期提交 ticked for a new task, and 布置任务', async () => {
    const { a } = await twoCourses();
    const choices = await listReadingChoices(a.organizer);
    const html = renderToStaticMarkup(<AssignmentForm meetingId={a.meetingId} choices={choices} defaultReadingIds={[a.readingId]} />);
    expect(control(html, '任务名称')).toMatch(/<input/u);
    expect(control(html, '写作要求')).toMatch(/<textarea/u);
    expect(control(html, '截止时间')).toMatch(/type="datetime-local"/u);
    expect(control(html, '停止提交时间')).toMatch(/type="datetime-local"/u);
    expect(control(html, '最少字数')).toMatch(/type="number"/u);
    expect(control(html, '最多字数')).toMatch(/type="number"/u);
    const late = control(html, '允许逾期提交');
    expect(late).toMatch(/type="checkbox"/u);
    expect(late).toContain('checked=""');
    expect(control(html, '《甲篇目》')).toContain('checked=""');
    expect(buttons(html)).toEqual(['布置任务']);

    const existing = (await listAssignmentsForMeeting(a.organizer, { meetingId: a.meetingId }))[0];
    if (!existing) throw new Error('fixture has an assignment');
    const edit = renderToStaticMarkup(
      <AssignmentForm
        meetingId={a.meetingId}
        choices={choices}
        defaultReadingIds={[]}
        assignment={{
          id: existing.id,
          title: existing.title,
          prompt: existing.prompt,
          dueAt: toDateTimeLocal(existing.dueAt),
          cutoffAt: toDateTimeLocal(existing.cutoffAt),
          minChars: existing.minChars,
          maxChars: existing.maxChars,
          allowLate: false,
          readingIds: [],
        }}
      />,
    );
    expect(control(edit, '截止时间')).toContain('value="2020-05-16T18:00"');
    expect(control(edit, '最少字数')).toContain('value="300"');
    expect(control(edit, '允许逾期提交')).not.toContain('checked=""');
    expect(buttons(edit)).toEqual(['保存']);
  });

  it('the reading form has 篇名, 出处, 章节, 备注 and 添加篇目', () => {
    const html = renderToStaticMarkup(<ReadingForm />);
    for (const l of ['篇名', '出处', '章节']) expect(control(html, l)).toMatch(/<input/u);
    expect(control(html, '备注')).toMatch(/<textarea/u);
    expect(buttons(html)).toEqual(['添加篇目']);
  });
});

describe('course page sections', () => {
  useTestDatabase();

  it('renders every section from real data', async () => {
    const { admin, a } = await twoCourses();
    const v = a.organizer;
    const course = await getCourse(v, { id: a.courseId });

    const info = renderToStaticMarkup(<InfoSection course={course} />);
    expect(buttons(info)).toEqual(expect.arrayContaining(['保存', '归档', '删除读书班']));

    const meetings = renderToStaticMarkup(<MeetingsSection courseId={a.courseId} meetings={await listMeetings(v, { courseId: a.courseId })} />);
    expect(decode(meetings)).toContain('开班式');
    expect(decode(meetings)).toContain('2020年5月9日 09:00');

    const groups = await listGroups(v, { courseId: a.courseId });
    const members = renderToStaticMarkup(
      <MembersSection
        courseId={a.courseId}
        find="甲"
        candidates={await searchEnrollCandidates(v, { courseId: a.courseId, q: '甲' })}
        members={await listMembers(v, { courseId: a.courseId })}
        groups={groups}
        filter={{}}
      />,
    );
    expect(control(members, '搜索学员')).toMatch(/name="find"/u);
    expect(decode(members)).toContain('樊城区/牛首镇');
    for (const h of ['姓名', '职务', '单位', '小组']) expect(decode(members)).toMatch(new RegExp(`<th scope="col"[^>]*>${h}</th>`, 'u'));
    expect(control(members, '甲学员的小组')).toMatch(/<select/u);
    expect(buttons(members)).toEqual(expect.arrayContaining(['保存甲学员的小组', '移出甲学员']));
    // The candidate is already a member: listed, but not tickable.
    expect(control(members, '甲学员')).toMatch(/disabled=""/u);

    const groupHtml = renderToStaticMarkup(
      <GroupsSection courseId={a.courseId} groups={groups} members={await listMemberChoices(v, { courseId: a.courseId })} editing={undefined} />,
    );
    expect(control(groupHtml, '小组名称')).toMatch(/<input/u);
    expect(control(groupHtml, '组长')).toMatch(/<select/u);
    expect(buttons(groupHtml)).toEqual(expect.arrayContaining(['添加小组', '删除第一组']));

    const asOrganizer = renderToStaticMarkup(
      <OrganizersSection course={course} isAdmin={false} find="" candidates={{ items: [], more: false }} />,
    );
    expect(decode(asOrganizer)).toContain('组织者由管理员指派');
    expect(buttons(asOrganizer)).toEqual([]);

    const asAdmin = renderToStaticMarkup(
      <OrganizersSection
        course={await getCourse(admin, { id: a.courseId })}
        isAdmin
        find={a.organizer.username}
        candidates={await searchOrganizerCandidates(admin, { courseId: a.courseId, q: a.organizer.username })}
      />,
    );
    expect(control(asAdmin, '搜索组织者')).toMatch(/name="ofind"/u);
    expect(buttons(asAdmin)).toContain(`移除${a.organizer.name}`);
  });

  it('the course list shows the figures', async () => {
    const { admin } = await twoCourses();
    const html = decode(renderToStaticMarkup(<CourseList items={(await listCourses(admin)).items} showOrganizers />));
    expect(html).toContain('2020年甲读书班');
    expect(html).toContain('心得已交/应交');
    expect(html).toContain('组织者：');
  });
});
