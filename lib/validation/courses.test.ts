import { describe, expect, it } from 'vitest';
import {
  createAssignmentSchema,
  createCourseSchema,
  createGroupSchema,
  createMeetingSchema,
  createReadingSchema,
  CUTOFF_BEFORE_DUE,
  enrollSchema,
  MIN_OVER_MAX,
  parseDay,
  parseShanghaiDateTime,
  setCourseArchivedSchema,
  setMemberGroupSchema,
  toDateTimeLocal,
  updateCourseSchema,
} from './courses';

const course = (over: Record<string, string> = {}) => ({
  name: '2020年全区党组织书记读书班',
  columnName: '书记读书班',
  publisher: '中共樊城区委组织部',
  startsOn: '2020-05-09',
  endsOn: '2020-06-30',
  description: '',
  ...over,
});

const assignment = (over: Record<string, string | string[] | undefined> = {}) => ({
  meetingId: '3',
  title: '第六次集中学习心得',
  prompt: '谈谈体会',
  dueAt: '2020-05-16T18:00',
  cutoffAt: '',
  minChars: '500',
  maxChars: '2000',
  ...over,
});

function fieldErrors(result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) {
  return Object.fromEntries((result.error?.issues ?? []).map((i) => [i.path.map(String).join('.'), i.message]));
}

describe('dates and times typed in Asia/Shanghai', () => {
  it('reads a datetime-local value as Shanghai wall-clock time', () => {
    expect(parseShanghaiDateTime('2020-05-09T09:00')?.toISOString()).toBe('2020-05-09T01:00:00.000Z');
    expect(parseShanghaiDateTime('2020-05-09T09:00:30')?.toISOString()).toBe('2020-05-09T01:00:30.000Z');
    expect(parseShanghaiDateTime('2020-05-09T06:00')?.toISOString()).toBe('2020-05-08T22:00:00.000Z');
  });

  it('refuses times that do not exist', () => {
    for (const bad of ['2020-02-30T09:00', '2020-05-09T24:00', '2020-05-09T09:60', '2020-13-01T09:00', '2020-05-09', 'tomorrow', '']) {
      expect(parseShanghaiDateTime(bad), bad).toBeNull();
    }
  });

  it('writes an instant back as a datetime-local value in Shanghai, round-tripping', () => {
    expect(toDateTimeLocal(new Date('2020-05-09T01:00:00Z'))).toBe('2020-05-09T09:00');
    expect(toDateTimeLocal(new Date('2020-05-08T22:00:00Z'))).toBe('2020-05-09T06:00');
    expect(toDateTimeLocal(null)).toBe('');
    const d = parseShanghaiDateTime('2021-12-31T23:59');
    expect(toDateTimeLocal(d)).toBe('2021-12-31T23:59');
  });

  it('checks yyyy-mm-dd days against the calendar', () => {
    expect(parseDay('2020-02-29')).toBe('2020-02-29');
    expect(parseDay('2021-02-29')).toBeNull();
    expect(parseDay('2020-5-9')).toBeNull();
  });
});

describe('course form', () => {
  it('accepts a full course and trims its text', () => {
    const r = createCourseSchema.safeParse(course({ name: '  2020年全区党组织书记读书班 ', description: '第一段\r\n\r\n\r\n第二段  ' }));
    expect(r.success).toBe(true);
    expect(r.data).toMatchObject({ name: '2020年全区党组织书记读书班', description: '第一段\n\n第二段' });
  });

  it('dates are optional', () => {
    expect(createCourseSchema.parse(course({ startsOn: '', endsOn: '' }))).toMatchObject({ startsOn: null, endsOn: null });
  });

  it('refuses an empty name, bad dates, an end before the start and unknown fields', () => {
    expect(fieldErrors(createCourseSchema.safeParse(course({ name: '   ' })))).toEqual({ name: '请填写名称' });
    expect(fieldErrors(createCourseSchema.safeParse(course({ startsOn: '2020-02-30' })))).toEqual({ startsOn: '开始日期不是有效的日期' });
    expect(fieldErrors(createCourseSchema.safeParse(course({ startsOn: '2020-06-01', endsOn: '2020-05-01' })))).toEqual({
      endsOn: '结束日期不能早于开始日期',
    });
    expect(createCourseSchema.safeParse({ ...course(), archived: 'true' }).success).toBe(false);
    expect(updateCourseSchema.safeParse(course()).success).toBe(false);
    expect(updateCourseSchema.safeParse({ ...course(), id: '7' }).data?.id).toBe(7);
  });

  it('archiving needs an explicit value', () => {
    expect(setCourseArchivedSchema.parse({ id: '1', archived: 'false' })).toEqual({ id: 1, archived: false });
    expect(setCourseArchivedSchema.safeParse({ id: '1' }).success).toBe(false);
  });
});

describe('meeting form', () => {
  it('reads the time in Shanghai and the checked readings as ids', () => {
    const r = createMeetingSchema.parse({
      courseId: '1',
      title: '第六次集中学习',
      startsAt: '2020-05-09T09:00',
      place: '区委党校',
      description: '',
      readingIds: ['3', '5', '3'],
    });
    expect(r).toMatchObject({ courseId: 1, startsAt: new Date('2020-05-09T01:00:00Z'), readingIds: [3, 5] });
    expect(createMeetingSchema.parse({ courseId: '1', title: '开班式', readingIds: '4' }).readingIds).toEqual([4]);
    expect(createMeetingSchema.parse({ courseId: '1', title: '开班式', startsAt: '' }).startsAt).toBeNull();
  });

  it('refuses an empty title, a bad time and a bad reading id', () => {
    expect(fieldErrors(createMeetingSchema.safeParse({ courseId: '1', title: '' }))).toEqual({ title: '请填写标题' });
    expect(fieldErrors(createMeetingSchema.safeParse({ courseId: '1', title: '开班式', startsAt: '2020-05-09T25:00' }))).toEqual({
      startsAt: '时间不是有效的日期和时间',
    });
    expect(createMeetingSchema.safeParse({ courseId: '1', title: '开班式', readingIds: ['x'] }).success).toBe(false);
  });
});

describe('assignment form', () => {
  it('parses limits, the checkbox and times', () => {
    const r = createAssignmentSchema.parse(assignment({ allowLate: 'on', cutoffAt: '2020-05-17T18:00', readingIds: ['2'] }));
    expect(r).toMatchObject({
      meetingId: 3,
      dueAt: new Date('2020-05-16T10:00:00Z'),
      cutoffAt: new Date('2020-05-17T10:00:00Z'),
      minChars: 500,
      maxChars: 2000,
      allowLate: true,
      readingIds: [2],
    });
    const plain = createAssignmentSchema.parse(assignment({ minChars: '', maxChars: '0' }));
    expect(plain).toMatchObject({ minChars: 0, maxChars: 0, allowLate: false, cutoffAt: null, readingIds: [] });
  });

  it('refuses a cut-off before the due time and a minimum over the maximum', () => {
    expect(fieldErrors(createAssignmentSchema.safeParse(assignment({ cutoffAt: '2020-05-16T17:59' })))).toEqual({
      cutoffAt: CUTOFF_BEFORE_DUE,
    });
    expect(createAssignmentSchema.safeParse(assignment({ cutoffAt: '2020-05-16T18:00' })).success).toBe(true);
    expect(fieldErrors(createAssignmentSchema.safeParse(assignment({ minChars: '3000', maxChars: '1000' })))).toEqual({
      maxChars: MIN_OVER_MAX,
    });
    // No maximum: any minimum.
    expect(createAssignmentSchema.safeParse(assignment({ minChars: '3000', maxChars: '' })).success).toBe(true);
  });

  it('refuses a missing due time, bad numbers and an empty name', () => {
    expect(fieldErrors(createAssignmentSchema.safeParse(assignment({ dueAt: '' })))).toEqual({ dueAt: '请填写截止时间' });
    expect(fieldErrors(createAssignmentSchema.safeParse(assignment({ minChars: '-5' })))).toEqual({
      minChars: '最少字数应为 0 到 100000 之间的整数',
    });
    expect(fieldErrors(createAssignmentSchema.safeParse(assignment({ maxChars: '1.5' })))).toEqual({
      maxChars: '最多字数应为 0 到 100000 之间的整数',
    });
    expect(fieldErrors(createAssignmentSchema.safeParse(assignment({ title: '' })))).toEqual({ title: '请填写任务名称' });
  });
});

describe('reading, group and member forms', () => {
  it('a reading needs a 篇名', () => {
    expect(createReadingSchema.parse({ title: '《论党的自我革命》', source: '', chapters: '', notes: '' }).title).toBe('《论党的自我革命》');
    expect(fieldErrors(createReadingSchema.safeParse({ title: ' ', source: '', chapters: '', notes: '' }))).toEqual({ title: '请填写篇名' });
  });

  it('a group needs a name; the leader is optional', () => {
    expect(createGroupSchema.parse({ courseId: '1', name: '第一组', leaderId: '' })).toEqual({ courseId: 1, name: '第一组', leaderId: null });
    expect(createGroupSchema.parse({ courseId: '1', name: '第一组', leaderId: '8' }).leaderId).toBe(8);
    expect(fieldErrors(createGroupSchema.safeParse({ courseId: '1', name: '', leaderId: '' }))).toEqual({ name: '请填写小组名称' });
  });

  it('enrolling needs at least one ticked cadre', () => {
    expect(enrollSchema.parse({ courseId: '1', userIds: ['4', '5'], groupId: '' })).toEqual({ courseId: 1, userIds: [4, 5], groupId: null });
    expect(fieldErrors(enrollSchema.safeParse({ courseId: '1', groupId: '' }))).toEqual({ userIds: '请勾选要加入的学员' });
  });

  it('a member may be put in no group', () => {
    expect(setMemberGroupSchema.parse({ courseId: '1', userId: '2', groupId: '' })).toEqual({ courseId: 1, userId: 2, groupId: null });
  });
});
