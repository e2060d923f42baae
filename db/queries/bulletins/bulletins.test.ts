import { asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/db';
import { makeUser } from '@/db/factories';
import { bulletinItems, bulletinRevisions, bulletins, notifications, reflections, reflectionTags, tags } from '@/db/schema';
import { FORBIDDEN, NOT_FOUND, nextDigest, signedIn, useTestDatabase, viewerFor } from '@/test/db';
import { addReflection, auditOf, req, twoCourses, type CourseFixture } from '@/db/queries/courses.fixtures';
import { databaseChecksum } from '@/test/matrix/checksum';
import { createBulletin, saveBulletin, type StaleSave } from './compose';
import { previewBulletinImport } from './import';
import { getBulletinForEdit, listBulletinCandidates, listBulletins } from './list';
import { bulletinContentForExport, getMyBulletin, listMyBulletins } from './published';
import { deleteBulletin, publishBulletin, startBulletinCorrection, unpublishBulletin } from './publish';
import type { BulletinEditDto } from './shared';

function approved(fx: CourseFixture, authorId = fx.memberId, body = '一是坚持学用结合。\n二是坚持问题导向。') {
  const id = addReflection(fx, authorId, 'approved');
  getDb().update(reflections).set({ body, title: '把学习成果转化为治理实效' }).where(eq(reflections.id, id)).run();
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
function draftWithItem(fx: ReturnType<typeof twoCourses>) {
  const reflectionId = approved(fx.a);
  const created = createBulletin(fx.a.organizer, { courseId: fx.a.courseId }, req);
  if (!created.ok) throw new Error(created.message);
  const dto = getBulletinForEdit(fx.a.organizer, { id: created.id });
  const saved = saveBulletin(
    fx.a.organizer,
    { ...fieldsOf(dto), lead: '导语。', items: [{ reflectionId, heading: '街道党工委副书记 甲学员', body: '一是坚持学用结合。' }] },
    req,
  );
  if (!saved.ok) throw new Error(saved.message);
  return { id: created.id, reflectionId, dto: saved.bulletin };
}

describe('composing a bulletin', () => {
  useTestDatabase();

  it('numbers drafts per course, with the default title, and snapshots items', () => {
    const fx = twoCourses();
    const { id, reflectionId, dto } = draftWithItem(fx);
    expect(dto.number).toBe(1);
    expect(dto.title).toBe('【甲读书班】2020年甲读书班简报（第1期）');
    expect(dto.items).toMatchObject([{ reflectionId, authorName: '甲学员', authorTitle: '街道党工委副书记', sourceRevision: 1, changed: false }]);
    const second = createBulletin(fx.a.organizer, { courseId: fx.a.courseId }, req);
    expect(second.ok && getBulletinForEdit(fx.a.organizer, { id: second.id }).number).toBe(2);
    // Course B numbers on its own.
    const b = createBulletin(fx.b.organizer, { courseId: fx.b.courseId }, req);
    expect(b.ok && getBulletinForEdit(fx.b.organizer, { id: b.id }).number).toBe(1);
    expect(listBulletins(fx.a.organizer, { courseId: fx.a.courseId }).items.map((i) => i.id)).toContain(id);
    expect(auditOf('bulletin.save')).toHaveLength(1);
  });

  it('carries 报/送/发 and 共印 over from the course\'s latest issue into a new one', () => {
    const fx = twoCourses();
    const first = createBulletin(fx.a.organizer, { courseId: fx.a.courseId }, req);
    if (!first.ok) throw new Error(first.message);
    // The first issue of a course has nothing to carry over.
    const d1 = getBulletinForEdit(fx.a.organizer, { id: first.id });
    expect(d1).toMatchObject({ reportTo: '', sendTo: '', issueTo: '', copies: 0 });
    const tail = { reportTo: '区委组织部', sendTo: '区委宣传部', issueTo: '各党（工）委', copies: 40 };
    expect(saveBulletin(fx.a.organizer, { ...fieldsOf(d1), ...tail }, req).ok).toBe(true);
    const second = createBulletin(fx.a.organizer, { courseId: fx.a.courseId }, req);
    if (!second.ok) throw new Error(second.message);
    expect(getBulletinForEdit(fx.a.organizer, { id: second.id })).toMatchObject({ number: 2, ...tail });
    // Another course's issues stay its own.
    const b = createBulletin(fx.b.organizer, { courseId: fx.b.courseId }, req);
    if (!b.ok) throw new Error(b.message);
    expect(getBulletinForEdit(fx.b.organizer, { id: b.id })).toMatchObject({ reportTo: '', copies: 0 });
  });

  it('keeps item ids from save to save, and adds an item again from its reflection when its row is gone', () => {
    const fx = twoCourses();
    const { dto } = draftWithItem(fx);
    const other = approved(fx.a, makeUser('cadre', { name: '乙学员' }));
    const first = saveBulletin(
      fx.a.organizer,
      { ...fieldsOf(dto), items: [...fieldsOf(dto).items, { reflectionId: other, heading: '社区书记 乙', body: '乙的发言。' }] },
      req,
    );
    if (!first.ok) throw new Error(first.message);
    const ids = first.bulletin.items.map((i) => i.id);
    expect(ids[0]).toBe(dto.items[0]?.id);
    // Reordered and edited: the same rows.
    const second = saveBulletin(fx.a.organizer, { ...fieldsOf(first.bulletin), items: [...fieldsOf(first.bulletin).items].reverse() }, req);
    if (!second.ok) throw new Error(second.message);
    expect(second.bulletin.items.map((i) => i.id)).toEqual([...ids].reverse());
    // A copy that still names a row removed meanwhile takes the item again from its reflection.
    const removed = saveBulletin(fx.a.organizer, { ...fieldsOf(second.bulletin), items: fieldsOf(second.bulletin).items.slice(0, 1) }, req);
    if (!removed.ok) throw new Error(removed.message);
    const kept = saveBulletin(fx.a.organizer, { ...fieldsOf(second.bulletin), expectedRevision: removed.revision }, req);
    if (!kept.ok) throw new Error(kept.message);
    expect(kept.bulletin.items.map((i) => i.reflectionId)).toEqual(second.bulletin.items.map((i) => i.reflectionId));
    expect(kept.bulletin.items[0]?.id).toBe(second.bulletin.items[0]?.id);
  });

  it('refuses a taken 期号 with 第N期已存在', () => {
    const fx = twoCourses();
    const { dto } = draftWithItem(fx);
    const second = createBulletin(fx.a.organizer, { courseId: fx.a.courseId }, req);
    if (!second.ok) throw new Error();
    const d2 = getBulletinForEdit(fx.a.organizer, { id: second.id });
    const r = saveBulletin(fx.a.organizer, { ...fieldsOf(d2), number: dto.number }, req);
    expect(r).toMatchObject({ ok: false, code: 'number_taken', message: expect.stringContaining('第1期已存在') });
  });

  it('refuses a stale save, returns the current copy and changes nothing', () => {
    const fx = twoCourses();
    const { id, dto } = draftWithItem(fx);
    const other = signedIn('organizer');
    getDb().run(`insert into course_organizers (course_id, user_id) values (${fx.a.courseId}, ${other.id})`);
    const first = saveBulletin(other, { ...fieldsOf(dto), summary: '第一位组织者的小结。' }, req);
    expect(first.ok).toBe(true);
    const before = getDb().select().from(bulletins).where(eq(bulletins.id, id)).get();
    const itemsBefore = getDb().select().from(bulletinItems).orderBy(asc(bulletinItems.id)).all();
    const stale = saveBulletin(fx.a.organizer, { ...fieldsOf(dto), summary: '第二位组织者的小结。', items: [] }, req);
    expect(stale).toMatchObject({ ok: false, code: 'stale' });
    expect('current' in stale && (stale as StaleSave).current.summary).toBe('第一位组织者的小结。');
    expect(getDb().select().from(bulletins).where(eq(bulletins.id, id)).get()).toEqual(before);
    expect(getDb().select().from(bulletinItems).orderBy(asc(bulletinItems.id)).all()).toEqual(itemsBefore);
  });

  it('warns when the reflection changed after it was added, and refreshes from it', () => {
    const fx = twoCourses();
    const { id, reflectionId } = draftWithItem(fx);
    getDb().update(reflections).set({ body: '修改后的心得。', revision: 2 }).where(eq(reflections.id, reflectionId)).run();
    const dto = getBulletinForEdit(fx.a.organizer, { id });
    expect(dto.items[0]).toMatchObject({ changed: true, currentBody: '修改后的心得。', sourceRevision: 1 });
    const fields = fieldsOf(dto);
    const saved = saveBulletin(
      fx.a.organizer,
      { ...fields, items: [{ ...fields.items[0]!, body: '修改后的心得。', refreshed: true }] },
      req,
    );
    expect(saved.ok && saved.bulletin.items[0]).toMatchObject({ changed: false, sourceRevision: 2, body: '修改后的心得。' });
    // The cadre's text was never touched by the excerpt.
    expect(getDb().select().from(reflections).where(eq(reflections.id, reflectionId)).get()?.body).toBe('修改后的心得。');
  });

  it('finds candidates by meeting, tag, 优秀 and search, only approved ones of the course', () => {
    const fx = twoCourses();
    const r1 = approved(fx.a, fx.a.memberId, '关于三方共治的体会。');
    addReflection(fx.a, signedIn('cadre').id, 'submitted');
    approved(fx.b, fx.b.memberId);
    const tagId = getDb().insert(tags).values({ courseId: fx.a.courseId, name: '三方共治' }).returning({ id: tags.id }).get().id;
    getDb().insert(reflectionTags).values({ reflectionId: r1, tagId }).run();
    const found = (f: Omit<Parameters<typeof listBulletinCandidates>[1], 'courseId'> = {}) => {
      const r = listBulletinCandidates(fx.a.organizer, { courseId: fx.a.courseId, ...f });
      if (!r.ok) throw new Error(r.message);
      return r.items.map((c) => c.reflectionId);
    };
    expect(found()).toEqual([r1]);
    expect(found({ tagId })).toEqual([r1]);
    expect(found({ meetingId: fx.a.meetingId })).toEqual([r1]);
    expect(found({ excellent: true })).toEqual([]);
    expect(found({ q: '三方' })).toEqual([r1]);
    expect(found({ q: '100%' })).toEqual([]);
    // Another course's organizer gets nothing from course A.
    expect(listBulletinCandidates(fx.b.organizer, { courseId: fx.a.courseId })).toMatchObject({ ok: false, code: 'not_found' });
  });
});

describe('who may reach a bulletin', () => {
  useTestDatabase();

  it('an organizer of course B can neither see, edit, export, publish, correct, withdraw nor delete course A bulletins', () => {
    const fx = twoCourses();
    const { id, dto } = draftWithItem(fx);
    const b = fx.b.organizer;
    const before = databaseChecksum();
    const notFound = { ok: false, code: 'not_found' };
    expect(nextDigest(() => getBulletinForEdit(b, { id }))).toBe(NOT_FOUND);
    expect(saveBulletin(b, fieldsOf(dto), req)).toMatchObject(notFound);
    expect(nextDigest(() => bulletinContentForExport(b, { id }))).toBe(NOT_FOUND);
    expect(publishBulletin(b, { id, expectedRevision: dto.revision }, req)).toMatchObject(notFound);
    expect(startBulletinCorrection(b, { id }, req)).toMatchObject(notFound);
    expect(unpublishBulletin(b, { id, reason: '不该发' }, req)).toMatchObject(notFound);
    expect(deleteBulletin(b, { id }, req)).toMatchObject(notFound);
    expect(createBulletin(b, { courseId: fx.a.courseId }, req)).toMatchObject(notFound);
    expect(listBulletinCandidates(b, { courseId: fx.a.courseId })).toMatchObject(notFound);
    expect(nextDigest(() => listBulletins(b, { courseId: fx.a.courseId }))).toBe(NOT_FOUND);
    expect(previewBulletinImport(b, { courseId: fx.a.courseId, text: '标题' })).toMatchObject(notFound);
    expect(databaseChecksum()).toBe(before);
    // The admin reaches every course; a cadre reaches no compose function.
    expect(getBulletinForEdit(fx.admin, { id }).id).toBe(id);
    expect(nextDigest(() => getBulletinForEdit(fx.cadre, { id }))).toBe(FORBIDDEN);
    expect(saveBulletin(fx.cadre, fieldsOf(dto), req)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(createBulletin(fx.cadre, { courseId: fx.a.courseId }, req)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(nextDigest(() => listMyBulletins(fx.a.organizer))).toBe(FORBIDDEN);
    expect(databaseChecksum()).toBe(before);
  });

  it('a cadre sees published bulletins of their courses only, never drafts, never other courses', () => {
    const fx = twoCourses();
    const { id, dto } = draftWithItem(fx);
    expect(listMyBulletins(fx.cadre)).toEqual([]);
    expect(nextDigest(() => getMyBulletin(fx.cadre, { id }))).toBe(NOT_FOUND);
    expect(nextDigest(() => bulletinContentForExport(fx.cadre, { id }))).toBe(NOT_FOUND);
    expect(publishBulletin(fx.a.organizer, { id, expectedRevision: dto.revision }, req).ok).toBe(true);
    expect(listMyBulletins(fx.cadre).map((b) => [b.id, b.title])).toEqual([[id, dto.title]]);
    expect(getMyBulletin(fx.cadre, { id }).content.items).toHaveLength(1);
    const outsider = viewerFor(fx.b.memberId);
    expect(listMyBulletins(outsider)).toEqual([]);
    expect(nextDigest(() => getMyBulletin(outsider, { id }))).toBe(NOT_FOUND);
    expect(nextDigest(() => bulletinContentForExport(outsider, { id }))).toBe(NOT_FOUND);
  });
});

describe('publish, correct, unpublish', () => {
  useTestDatabase();

  it('publishes revision 1, notifies members, is read-only; a correction publishes revision 2 and keeps 1', () => {
    const fx = twoCourses();
    const { id, dto } = draftWithItem(fx);
    const pub = publishBulletin(fx.a.organizer, { id, expectedRevision: dto.revision }, req);
    expect(pub).toMatchObject({ ok: true, revisionNo: 1 });
    const published = getBulletinForEdit(fx.a.organizer, { id });
    expect(published).toMatchObject({ status: 'published', publishedRevision: 1 });
    const note = getDb().select().from(notifications).where(eq(notifications.userId, fx.a.memberId)).all();
    expect(note).toMatchObject([{ kind: 'bulletin', link: `/my/bulletins/${id}` }]);
    expect(getDb().select().from(notifications).where(eq(notifications.userId, fx.b.memberId)).all()).toEqual([]);
    expect(auditOf('bulletin.publish')).toHaveLength(1);

    const ro = saveBulletin(fx.a.organizer, { ...fieldsOf(published), title: '改了' }, req);
    expect(ro).toMatchObject({ ok: false, code: 'read_only' });

    expect(startBulletinCorrection(fx.a.organizer, { id }, req).ok).toBe(true);
    // During the correction members still read revision 1.
    expect(getMyBulletin(fx.cadre, { id }).revisionNo).toBe(1);
    const reopened = getBulletinForEdit(fx.a.organizer, { id });
    const fixed = saveBulletin(fx.a.organizer, { ...fieldsOf(reopened), title: '更正后的标题' }, req);
    if (!fixed.ok) throw new Error(fixed.message);
    expect(publishBulletin(fx.a.organizer, { id, expectedRevision: fixed.revision, note: '更正职务' }, req)).toMatchObject({ ok: true, revisionNo: 2 });
    const latest = getMyBulletin(fx.cadre, { id });
    expect([latest.revisionNo, latest.content.title, latest.revisions.map((r) => r.revisionNo)]).toEqual([2, '更正后的标题', [2, 1]]);
    expect(getMyBulletin(fx.cadre, { id, revision: 1 }).content.title).toBe(dto.title);
    expect(getDb().select().from(bulletinRevisions).all()).toHaveLength(2);
    expect(getDb().select().from(notifications).where(eq(notifications.userId, fx.a.memberId)).all()).toHaveLength(2);
  });

  it('unpublishing needs a published bulletin, is audited with the reason, and hides it from members', () => {
    const fx = twoCourses();
    const { id, dto } = draftWithItem(fx);
    expect(unpublishBulletin(fx.a.organizer, { id, reason: '内容有误' }, req)).toMatchObject({ ok: false, code: 'not_published' });
    publishBulletin(fx.a.organizer, { id, expectedRevision: dto.revision }, req);
    expect(unpublishBulletin(fx.a.organizer, { id, reason: '内容有误' }, req).ok).toBe(true);
    expect(auditOf('bulletin.unpublish')).toMatchObject([{ detail: { reason: '内容有误' } }]);
    expect(listMyBulletins(fx.cadre)).toEqual([]);
    expect(nextDigest(() => getMyBulletin(fx.cadre, { id }))).toBe(NOT_FOUND);
  });

  it('refuses to publish a stale or empty draft', () => {
    const fx = twoCourses();
    const { id, dto } = draftWithItem(fx);
    expect(publishBulletin(fx.a.organizer, { id, expectedRevision: dto.revision - 1 }, req)).toMatchObject({ ok: false, code: 'stale' });
    const empty = createBulletin(fx.a.organizer, { courseId: fx.a.courseId }, req);
    if (!empty.ok) throw new Error();
    const e = getBulletinForEdit(fx.a.organizer, { id: empty.id });
    expect(publishBulletin(fx.a.organizer, { id: empty.id, expectedRevision: e.revision }, req)).toMatchObject({ ok: false, code: 'empty' });
  });
});
