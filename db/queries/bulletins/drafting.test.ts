import { inOrder } from '@/lib/in-order';
import { describe, expect, it } from 'vitest';
import { makeBulletin, makeReflection, makeTag, makeUser } from '@/db/factories';
import { req, twoCourses } from '@/db/queries/courses.fixtures';
import { getMeeting, updateMeeting } from '@/db/queries/meetings';
import { FORBIDDEN, NOT_FOUND, nextDigest, useTestDatabase, viewerFor } from '@/test/db';
import { halfWidthNextToChinese } from '@/lib/bulletin/punctuation';
import { getBulletinDrafts } from './drafting';
import { getBulletinForEdit } from './list';
import { contentOf } from './shared';

describe('drafting a bulletin’s routine parts', () => {
  useTestDatabase();

  async function setup() {
    const fx = await twoCourses();
    const saved = await updateMeeting(
      fx.a.organizer,
      {
        id: fx.a.meetingId,
        title: '开班式',
        startsAt: '2020-05-09T09:00',
        place: '区委党校',
        presider: '区委组织部副部长张华',
        speech: '区委常委、组织部部长王强作动员讲话',
        description: '',
        readingIds: [fx.a.readingId],
      },
      req,
    );
    if (!saved.ok) throw new Error(saved.message);
    const bodies = [
      '推进基层治理，要把网格建在楼道里，三方共治拧成一股绳。',
      '基层治理离不开三方共治，物业、业委会、居委会要各司其职。',
      '作风建设要从小事抓起，基层治理要让群众满意。',
    ];
    const ids = await inOrder(bodies, async (body, i) => {
      const author = await makeUser('cadre', { name: `学员${'甲乙丙'[i]}`, title: '社区党总支书记' });
      return await makeReflection({ assignmentId: fx.a.assignmentId, courseId: fx.a.courseId, authorId: author, status: 'approved', body });
    });
    await makeTag(fx.a.courseId, '基层治理', { reflectionIds: ids });
    await makeTag(fx.a.courseId, '三方共治', { reflectionIds: ids.slice(0, 2) });
    const id = await makeBulletin(fx.a.courseId, { reflectionIds: ids });
    return { fx, id, ids };
  }

  it('keeps 主持人 and 讲话 on the meeting', async () => {
    const { fx } = await setup();
    expect(await getMeeting(fx.a.organizer, { id: fx.a.meetingId })).toMatchObject({ presider: '区委组织部副部长张华', speech: '区委常委、组织部部长王强作动员讲话' });
  });

  it('drafts the 导语 from the meeting, the 小结 from the items’ themes, the 过渡语 and the headline', async () => {
    const { fx, id } = await setup();
    const d = await getBulletinDrafts(fx.a.organizer, { id });
    expect(d.defaultMeetingId).toBe(fx.a.meetingId);
    expect(d.meetings[0]?.lead).toBe(
      '5月9日上午，2020年甲读书班在区委党校举行开班式，区委组织部副部长张华主持。区委常委、组织部部长王强作动员讲话。学员们围绕《甲篇目》开展原文导读，并进行分组讨论，3名学员作交流发言。',
    );
    expect(d.themes.slice(0, 2)).toEqual(['基层治理', '三方共治']);
    expect(d.summary).toMatch(/^学员们结合各自工作实际，围绕基层治理和三方共治等/u);
    expect(d.transition).toBe('现将学员讨论发言情况整理如下：');
    expect(d.headline).toBe('开班式交流发言摘编');
    for (const text of [d.meetings[0]?.lead ?? '', d.summary, d.transition, d.headline]) expect(halfWidthNextToChinese(text)).toEqual([]);
    // The print view derives the same headline while the bulletin has none of its own.
    const dto = await getBulletinForEdit(fx.a.organizer, { id });
    expect(contentOf(dto).meetingTitle).toBe('开班式');
    // 全文 / 要点 are taken from the reflection as it stands.
    expect(dto.items[0]?.sourceBody).toBe('推进基层治理，要把网格建在楼道里，三方共治拧成一股绳。');
    expect(dto.transition).toBe('现将学员讨论发言情况整理如下：');
  });

  it('is for the course’s organizers only', async () => {
    const { fx, id } = await setup();
    expect(await nextDigest(async () => await getBulletinDrafts(fx.b.organizer, { id }))).toBe(NOT_FOUND);
    expect(await nextDigest(async () => await getBulletinDrafts(await viewerFor(fx.a.memberId), { id }))).toBe(FORBIDDEN);
    expect((await getBulletinDrafts(fx.admin, { id })).meetings).toHaveLength(1);
  });

  it('reads only approved reflections of the same course when named', async () => {
    const { fx, id } = await setup();
    const other = await makeReflection({ assignmentId: fx.b.assignmentId, courseId: fx.b.courseId, authorId: fx.b.memberId, status: 'approved', body: '乡村振兴乡村振兴乡村振兴。' });
    expect((await getBulletinDrafts(fx.a.organizer, { id, reflectionIds: [other] })).themes).toEqual([]);
  });
});
