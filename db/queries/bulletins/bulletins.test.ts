import { asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/db';
import { makeUser } from '@/db/factories';
import { bulletinItems, bulletinRevisions, bulletins, notifications, reflections, reflectionTags, tags } from '@/db/schema';
import { FORBIDDEN, NOT_FOUND, nextDigest, signedIn, useTestDatabase, viewerFor } from '@/test/db';
import { addReflection, auditOf, req, twoCourses, type CourseFixture } from '@/db/queries/courses.fixtures';
import { checksumOfDatabase } from '@/test/matrix/checksum';
import { createBulletin, saveBulletin, type StaleSave } from './compose';
import { previewBulletinImport } from './import';
import { getBulletinForEdit, listBulletinCandidates, listBulletins } from './list';
import { bulletinContentForExport, getMyBulletin, listMyBulletins } from './published';
import { deleteBulletin, publishBulletin, startBulletinCorrection, unpublishBulletin } from './publish';
import type { BulletinEditDto } from './shared';

async function approved(fx: CourseFixture, authorId = fx.memberId, body = '一是坚持学用结合。\n二是坚持问题导向。') {
  const id = await addReflection(fx, authorId, 'approved');
  await getDb().update(reflections).set({ body, title: '把学习成果转化为治理实效' }).where(eq(reflections.id, id)).run();
  return id;
}

function fieldsOf(dto: BulletinEditDto) {
  return {
    id: dto.id,
    expectedRevision: dto.revision,
    number: dto.number,
    title: dto.title,
    editor: dto.editor,
    issuedOn: dto.issuedOn,
    publisher: dto.publisher,
    lead: dto.lead,
    summary: dto.summary,
    transition: dto.transition,
    reportTo: dto.reportTo,
    sendTo: dto.sendTo,
    issueTo: dto.issueTo,
    copies: dto.copies,
    items: dto.items.map((i) => ({ id: i.id, reflectionId: i.reflectionId, heading: i.heading, body: i.body })),
  };
}

/** A draft of course A with one approved reflection in it. */
async function draftWithItem(fx: Awaited<ReturnType<typeof twoCourses>>) {
  const reflectionId = await approved(fx.a);
  const created = await createBulletin(fx.a.organizer, { courseId: fx.a.courseId }, req);
  if (!created.ok) throw new Error(created.message);
  const dto = await getBulletinForEdit(fx.a.organizer, { id: created.id });
  const saved = await saveBulletin(
    fx.a.organizer,
    { ...fieldsOf(dto), lead: '导语。', items: [{ reflectionId, heading: '街道党工委副书记 甲学员', body: '一是坚持学用结合。' }] },
    req,
  );
  if (!saved.ok) throw new Error(saved.message);
  return { id: created.id, reflectionId, dto: saved.bulletin };
}

describe('composing a bulletin', () => {
  useTestDatabase();

  it('numbers drafts per course, with the default title, and snapshots items', async () => {
    const fx = await twoCourses();
    const { id, reflectionId, dto } = await draftWithItem(fx);
    expect(dto.number).toBe(1);
    expect(dto.title).toBe('【甲读书班】2020年甲读书班简报（第1期）');
    expect(dto.items).toMatchObject([{ reflectionId, authorName: '甲学员', authorTitle: '街道党工委副书记', sourceRevision: 1, changed: false }]);
    const second = await createBulletin(fx.a.organizer, { courseId: fx.a.courseId }, req);
    expect(second.ok && (await getBulletinForEdit(fx.a.organizer, { id: second.id })).number).toBe(2);
    // Course B numbers on its own.
    const b = await createBulletin(fx.b.organizer, { courseId: fx.b.courseId }, req);
    expect(b.ok && (await getBulletinForEdit(fx.b.organizer, { id: b.id })).number).toBe(1);
    expect((await listBulletins(fx.a.organizer, { courseId: fx.a.courseId })).items.map((i) => i.id)).toContain(id);
    expect(await auditOf('bulletin.save')).toHaveLength(1);
  });

  it('carries 报/送/发 and 共印 over from the course\'s latest issue into a new one', async () => {
    const fx = await twoCourses();
    const first = await createBulletin(fx.a.organizer, { courseId: fx.a.courseId }, req);
    if (!first.ok) throw new Error(first.message);
    // The first issue of a course has nothing to carry over.
    const d1 = await getBulletinForEdit(fx.a.organizer, { id: first.id });
    expect(d1).toMatchObject({ reportTo: '', sendTo: '', issueTo: '', copies: 0 });
    const tail = { reportTo: '区委组织部', sendTo: '区委宣传部', issueTo: '各党（工）委', copies: 40 };
    expect((await saveBulletin(fx.a.organizer, { ...fieldsOf(d1), ...tail }, req)).ok).toBe(true);
    const second = await createBulletin(fx.a.organizer, { courseId: fx.a.courseId }, req);
    if (!second.ok) throw new Error(second.message);
    expect(await getBulletinForEdit(fx.a.organizer, { id: second.id })).toMatchObject({ number: 2, ...tail });
    // Another course's issues stay its own.
    const b = await createBulletin(fx.b.organizer, { courseId: fx.b.courseId }, req);
    if (!b.ok) throw new Error(b.message);
    expect(await getBulletinForEdit(fx.b.organizer, { id: b.id })).toMatchObject({ reportTo: '', copies: 0 });
  });

  it('keeps item ids from save to save, and adds an item again from its reflection when its row is gone', async () => {
    const fx = await twoCourses();
    const { dto } = await draftWithItem(fx);
    const other = await approved(fx.a, await makeUser('cadre', { name: '乙学员' }));
    const first = await saveBulletin(
      fx.a.organizer,
      { ...fieldsOf(dto), items: [...fieldsOf(dto).items, { reflectionId: other, heading: '社区书记 乙', body: '乙的发言。' }] },
      req,
    );
    if (!first.ok) throw new Error(first.message);
    const ids = first.bulletin.items.map((i) => i.id);
    expect(ids[0]).toBe(dto.items[0]?.id);
    // Reordered and edited: the same rows.
    const second = await saveBulletin(fx.a.organizer, { ...fieldsOf(first.bulletin), items: [...fieldsOf(first.bulletin).items].reverse() }, req);
    if (!second.ok) throw new Error(second.message);
    expect(second.bulletin.items.map((i) => i.id)).toEqual([...ids].reverse());
    // A copy that still names a row removed meanwhile takes the item again from its reflection.
    const removed = await saveBulletin(fx.a.organizer, { ...fieldsOf(second.bulletin), items: fieldsOf(second.bulletin).items.slice(0, 1) }, req);
    if (!removed.ok) throw new Error(removed.message);
    const kept = await saveBulletin(fx.a.organizer, { ...fieldsOf(second.bulletin), expectedRevision: removed.revision }, req);
    if (!kept.ok) throw new Error(kept.message);
    expect(kept.bulletin.items.map((i) => i.reflectionId)).toEqual(second.bulletin.items.map((i) => i.reflectionId));
    expect(kept.bulletin.items[0]?.id).toBe(second.bulletin.items[0]?.id);
  });

  it('refuses a taken 期号 with 第N期已存在', async () => {
    const fx = await twoCourses();
    const { dto } = await draftWithItem(fx);
    const second = await createBulletin(fx.a.organizer, { courseId: fx.a.courseId }, req);
    if (!second.ok) throw new Error();
    const d2 = await getBulletinForEdit(fx.a.organizer, { id: second.id });
    const r = await saveBulletin(fx.a.organizer, { ...fieldsOf(d2), number: dto.number }, req);
    expect(r).toMatchObject({ ok: false, code: 'number_taken', message: expect.stringContaining('第1期已存在') });
  });

  it('refuses a stale save, returns the current copy and changes nothing', async () => {
    const fx = await twoCourses();
    const { id, dto } = await draftWithItem(fx);
    const other = await signedIn('organizer');
    await getDb().run(`insert into course_organizers (course_id, user_id) values (${fx.a.courseId}, ${other.id})`);
    const first = await saveBulletin(other, { ...fieldsOf(dto), summary: '第一位组织者的小结。' }, req);
    expect(first.ok).toBe(true);
    const before = await getDb().select().from(bulletins).where(eq(bulletins.id, id)).get();
    const itemsBefore = await getDb().select().from(bulletinItems).orderBy(asc(bulletinItems.id)).all();
    const stale = await saveBulletin(fx.a.organizer, { ...fieldsOf(dto), summary: '第二位组织者的小结。', items: [] }, req);
    expect(stale).toMatchObject({ ok: false, code: 'stale' });
    expect('current' in stale && (stale as StaleSave).current.summary).toBe('第一位组织者的小结。');
    expect(await getDb().select().from(bulletins).where(eq(bulletins.id, id)).get()).toEqual(before);
    expect(await getDb().select().from(bulletinItems).orderBy(asc(bulletinItems.id)).all()).toEqual(itemsBefore);
  });

  it('warns when the reflection changed after it was added, and refreshes from it', async () => {
    const fx = await twoCourses();
    const { id, reflectionId } = await draftWithItem(fx);
    await getDb().update(reflections).set({ body: '修改后的心得。', revision: 2 }).where(eq(reflections.id, reflectionId)).run();
    const dto = await getBulletinForEdit(fx.a.organizer, { id });
    expect(dto.items[0]).toMatchObject({ changed: true, currentBody: '修改后的心得。', sourceRevision: 1 });
    const fields = fieldsOf(dto);
    const saved = await saveBulletin(
      fx.a.organizer,
      { ...fields, items: [{ ...fields.items[0]!, body: '修改后的心得。', refreshed: true }] },
      req,
    );
    expect(saved.ok && saved.bulletin.items[0]).toMatchObject({ changed: false, sourceRevision: 2, body: '修改后的心得。' });
    // The cadre's text was never touched by the excerpt.
    expect((await getDb().select().from(reflections).where(eq(reflections.id, reflectionId)).get())?.body).toBe('修改后的心得。');
  });

  it('finds candidates by meeting, tag, 优秀 and search, only approved ones of the course', async () => {
    const fx = await twoCourses();
    const r1 = await approved(fx.a, fx.a.memberId, '关于三方共治的体会。');
    await addReflection(fx.a, (await signedIn('cadre')).id, 'submitted');
    await approved(fx.b, fx.b.memberId);
    const tagId = (await getDb().insert(tags).values({ courseId: fx.a.courseId, name: '三方共治' }).returning({ id: tags.id }).get()).id;
    await getDb().insert(reflectionTags).values({ reflectionId: r1, tagId }).run();
    const found = async (f: Omit<Parameters<typeof listBulletinCandidates>[1], 'courseId'> = {}) => {
      const r = await listBulletinCandidates(fx.a.organizer, { courseId: fx.a.courseId, ...f });
      if (!r.ok) throw new Error(r.message);
      return r.items.map((c) => c.reflectionId);
    };
    expect(await found()).toEqual([r1]);
    expect(await found({ tagId })).toEqual([r1]);
    expect(await found({ meetingId: fx.a.meetingId })).toEqual([r1]);
    expect(await found({ excellent: true })).toEqual([]);
    expect(await found({ q: '三方' })).toEqual([r1]);
    expect(await found({ q: '100%' })).toEqual([]);
    // Another course's organizer gets nothing from course A.
    expect(await listBulletinCandidates(fx.b.organizer, { courseId: fx.a.courseId })).toMatchObject({ ok: false, code: 'not_found' });
  });
});

describe('who may reach a bulletin', () => {
  useTestDatabase();

  it('an organizer of course B can neither see, edit, export, publish, correct, withdraw nor delete course A bulletins', async () => {
    const fx = await twoCourses();
    const { id, dto } = await draftWithItem(fx);
    const b = fx.b.organizer;
    const before = await checksumOfDatabase();
    const notFound = { ok: false, code: 'not_found' };
    expect(await nextDigest(async () => await getBulletinForEdit(b, { id }))).toBe(NOT_FOUND);
    expect(await saveBulletin(b, fieldsOf(dto), req)).toMatchObject(notFound);
    expect(await nextDigest(async () => await bulletinContentForExport(b, { id }))).toBe(NOT_FOUND);
    expect(await publishBulletin(b, { id, expectedRevision: dto.revision }, req)).toMatchObject(notFound);
    expect(await startBulletinCorrection(b, { id }, req)).toMatchObject(notFound);
    expect(await unpublishBulletin(b, { id, reason: '不该发' }, req)).toMatchObject(notFound);
    expect(await deleteBulletin(b, { id }, req)).toMatchObject(notFound);
    expect(await createBulletin(b, { courseId: fx.a.courseId }, req)).toMatchObject(notFound);
    expect(await listBulletinCandidates(b, { courseId: fx.a.courseId })).toMatchObject(notFound);
    expect(await nextDigest(async () => await listBulletins(b, { courseId: fx.a.courseId }))).toBe(NOT_FOUND);
    expect(await previewBulletinImport(b, { courseId: fx.a.courseId, text: '标题' })).toMatchObject(notFound);
    expect(await checksumOfDatabase()).toBe(before);
    // The admin reaches every course; a cadre reaches no compose function.
    expect((await getBulletinForEdit(fx.admin, { id })).id).toBe(id);
    expect(await nextDigest(async () => await getBulletinForEdit(fx.cadre, { id }))).toBe(FORBIDDEN);
    expect(await saveBulletin(fx.cadre, fieldsOf(dto), req)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await createBulletin(fx.cadre, { courseId: fx.a.courseId }, req)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await nextDigest(async () => await listMyBulletins(fx.a.organizer))).toBe(FORBIDDEN);
    expect(await checksumOfDatabase()).toBe(before);
  });

  it('a cadre sees published bulletins of their courses only, never drafts, never other courses', async () => {
    const fx = await twoCourses();
    const { id, dto } = await draftWithItem(fx);
    expect(await listMyBulletins(fx.cadre)).toEqual([]);
    expect(await nextDigest(async () => await getMyBulletin(fx.cadre, { id }))).toBe(NOT_FOUND);
    expect(await nextDigest(async () => await bulletinContentForExport(fx.cadre, { id }))).toBe(NOT_FOUND);
    expect((await publishBulletin(fx.a.organizer, { id, expectedRevision: dto.revision }, req)).ok).toBe(true);
    expect((await listMyBulletins(fx.cadre)).map((b) => [b.id, b.title])).toEqual([[id, dto.title]]);
    expect((await getMyBulletin(fx.cadre, { id })).content.items).toHaveLength(1);
    const outsider = await viewerFor(fx.b.memberId);
    expect(await listMyBulletins(outsider)).toEqual([]);
    expect(await nextDigest(async () => await getMyBulletin(outsider, { id }))).toBe(NOT_FOUND);
    expect(await nextDigest(async () => await bulletinContentForExport(outsider, { id }))).toBe(NOT_FOUND);
  });
});

describe('publish, correct, unpublish', () => {
  useTestDatabase();

  it('publishes revision 1, notifies members, is read-only; a correction publishes revision 2 and keeps 1', async () => {
    const fx = await twoCourses();
    const { id, dto } = await draftWithItem(fx);
    const pub = await publishBulletin(fx.a.organizer, { id, expectedRevision: dto.revision }, req);
    expect(pub).toMatchObject({ ok: true, revisionNo: 1 });
    const published = await getBulletinForEdit(fx.a.organizer, { id });
    expect(published).toMatchObject({ status: 'published', publishedRevision: 1 });
    const note = await getDb().select().from(notifications).where(eq(notifications.userId, fx.a.memberId)).all();
    expect(note).toMatchObject([{ kind: 'bulletin', link: `/my/bulletins/${id}` }]);
    expect(await getDb().select().from(notifications).where(eq(notifications.userId, fx.b.memberId)).all()).toEqual([]);
    expect(await auditOf('bulletin.publish')).toHaveLength(1);

    const ro = await saveBulletin(fx.a.organizer, { ...fieldsOf(published), title: '改了' }, req);
    expect(ro).toMatchObject({ ok: false, code: 'read_only' });

    expect((await startBulletinCorrection(fx.a.organizer, { id }, req)).ok).toBe(true);
    // During the correction members still read revision 1.
    expect((await getMyBulletin(fx.cadre, { id })).revisionNo).toBe(1);
    const reopened = await getBulletinForEdit(fx.a.organizer, { id });
    const fixed = await saveBulletin(fx.a.organizer, { ...fieldsOf(reopened), title: '更正后的标题' }, req);
    if (!fixed.ok) throw new Error(fixed.message);
    expect(await publishBulletin(fx.a.organizer, { id, expectedRevision: fixed.revision, note: '更正职务' }, req)).toMatchObject({ ok: true, revisionNo: 2 });
    const latest = await getMyBulletin(fx.cadre, { id });
    expect([latest.revisionNo, latest.content.title, latest.revisions.map((r) => r.revisionNo)]).toEqual([2, '更正后的标题', [2, 1]]);
    expect((await getMyBulletin(fx.cadre, { id, revision: 1 })).content.title).toBe(dto.title);
    expect(await getDb().select().from(bulletinRevisions).all()).toHaveLength(2);
    expect(await getDb().select().from(notifications).where(eq(notifications.userId, fx.a.memberId)).all()).toHaveLength(2);
  });

  it('unpublishing needs a published bulletin, is audited with the reason, and hides it from members', async () => {
    const fx = await twoCourses();
    const { id, dto } = await draftWithItem(fx);
    expect(await unpublishBulletin(fx.a.organizer, { id, reason: '内容有误' }, req)).toMatchObject({ ok: false, code: 'not_published' });
    await publishBulletin(fx.a.organizer, { id, expectedRevision: dto.revision }, req);
    expect((await unpublishBulletin(fx.a.organizer, { id, reason: '内容有误' }, req)).ok).toBe(true);
    expect(await auditOf('bulletin.unpublish')).toMatchObject([{ detail: { reason: '内容有误' } }]);
    expect(await listMyBulletins(fx.cadre)).toEqual([]);
    expect(await nextDigest(async () => await getMyBulletin(fx.cadre, { id }))).toBe(NOT_FOUND);
  });

  it('refuses to publish a stale or empty draft', async () => {
    const fx = await twoCourses();
    const { id, dto } = await draftWithItem(fx);
    expect(await publishBulletin(fx.a.organizer, { id, expectedRevision: dto.revision - 1 }, req)).toMatchObject({ ok: false, code: 'stale' });
    const empty = await createBulletin(fx.a.organizer, { courseId: fx.a.courseId }, req);
    if (!empty.ok) throw new Error();
    const e = await getBulletinForEdit(fx.a.organizer, { id: empty.id });
    expect(await publishBulletin(fx.a.organizer, { id: empty.id, expectedRevision: e.revision }, req)).toMatchObject({ ok: false, code: 'empty' });
  });
});
