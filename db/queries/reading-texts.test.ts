import { randomUUID } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/db';
import { addMeetingReading, enroll, makeAssignment, makeReading, makeReadingText, makeUser, viewerFor } from '@/db/factories';
import { auditLog, readings, readingSections, reflectionQuotes, users } from '@/db/schema';
import { formatQuote } from '@/lib/readings/quotes';
import { NOT_FOUND, nextDigest, signedIn, useTestDatabase } from '@/test/db';
import { req, twoCourses } from './courses.fixtures';
import {
  getReaderReading,
  getReadingText,
  listMyVersionQuotes,
  searchReadingTexts,
  setReaderTextSize,
  setReadingText,
} from './reading-texts';
import { submitReflection } from './reflections/submit';

const TEXT = ['第一章　自我革命', '勇于自我革命是我们党最鲜明的品格。', '第二章　全面从严治党', '全面从严治党永远在路上。'].join('\n');

async function sectionsOf(readingId: number) {
  return await getDb().select().from(readingSections).where(eq(readingSections.readingId, readingId)).orderBy(asc(readingSections.position)).all();
}

describe('reading texts', () => {
  useTestDatabase();

  it('an organizer of a course using the reading replaces its text, split into sections, audited', async () => {
    const { a } = await twoCourses();
    expect(await setReadingText(a.organizer, { id: a.readingId, source: '中央文献出版社', text: TEXT }, req)).toMatchObject({ ok: true, sections: 2 });
    expect((await sectionsOf(a.readingId)).map((s) => [s.heading, s.body])).toEqual([
      ['第一章　自我革命', '勇于自我革命是我们党最鲜明的品格。'],
      ['第二章　全面从严治党', '全面从严治党永远在路上。'],
    ]);
    expect((await getDb().select({ s: readings.source }).from(readings).where(eq(readings.id, a.readingId)).get())?.s).toBe('中央文献出版社');
    expect(await setReadingText(a.organizer, { id: a.readingId, source: '', text: '只有一段。' }, req)).toMatchObject({ ok: true, sections: 1 });
    expect(await sectionsOf(a.readingId)).toHaveLength(1);
    expect(await getReadingText(a.organizer, { id: a.readingId })).toMatchObject({ editable: true, sections: [{ heading: '', paragraphs: ['只有一段。'] }] });
    const audit = await getDb().select().from(auditLog).where(eq(auditLog.action, 'reading.text')).all();
    expect(audit).toHaveLength(2);
  });

  it("another course's organizer and a cadre are refused, the text unchanged", async () => {
    const { a, b, cadre } = await twoCourses();
    await makeReadingText(a.readingId, [{ body: '原文。' }]);
    expect(await setReadingText(b.organizer, { id: a.readingId, source: '', text: TEXT }, req)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await setReadingText(cadre, { id: a.readingId, source: '', text: TEXT }, req)).toMatchObject({ ok: false, code: 'forbidden' });
    expect((await sectionsOf(a.readingId)).map((s) => s.body)).toEqual(['原文。']);
  });

  it("organizers search their courses' reading texts, admins all, with marked snippets", async () => {
    const { a, b, admin } = await twoCourses();
    await makeReadingText(a.readingId, [{ heading: '第一章', body: '勇于自我革命是我们党最鲜明的品格。' }]);
    await makeReadingText(b.readingId, [{ body: '自我革命永远在路上。' }]);
    const mine = await searchReadingTexts(a.organizer, { q: '自我革命' });
    expect(mine.hits.map((h) => h.readingId)).toEqual([a.readingId]);
    expect(mine.hits[0]!.excerpt.segments.filter((s) => s.hit).map((s) => s.text)).toEqual(['自我革命']);
    expect((await searchReadingTexts(admin, { q: '自我革命' })).total).toBe(2);
    expect((await searchReadingTexts(a.organizer, { q: '' })).hits).toEqual([]);
  });
});

/** A new cadre in the course. */
async function enrolledCadre(courseId: number): Promise<number> {
  const id = await makeUser('cadre');
  await enroll(courseId, [id]);
  return id;
}

describe('the reader and quotations', () => {
  useTestDatabase();

  it("a member reads an assigned reading; another course's cadre and an unlisted reading are not found", async () => {
    const { a, b } = await twoCourses();
    await makeReadingText(a.readingId, [{ heading: '第一章', body: '甲段。\n乙段。' }]);
    const member = await viewerFor(a.memberId);
    const r = await getReaderReading(member, { assignmentId: a.assignmentId, readingId: a.readingId });
    expect(r).toMatchObject({ reading: { id: a.readingId }, textSize: 0, sections: [{ heading: '第一章', paragraphs: ['甲段。', '乙段。'] }] });
    const other = await viewerFor(b.memberId);
    expect(await nextDigest(async () => await getReaderReading(other, { assignmentId: a.assignmentId, readingId: a.readingId }))).toBe(NOT_FOUND);
    expect(await nextDigest(async () => await getReaderReading(member, { assignmentId: a.assignmentId, readingId: b.readingId }))).toBe(NOT_FOUND);

    // An assignment that lists no readings offers its meeting's; one that lists its own does not.
    const meetingOnly = await makeReading({ title: '《会上篇目》', source: '' });
    await addMeetingReading(a.meetingId, meetingOnly);
    const bare = await makeAssignment(a.meetingId, { courseId: a.courseId, title: '不指定篇目的心得' });
    expect((await getReaderReading(member, { assignmentId: bare, readingId: meetingOnly })).reading).toEqual({ id: meetingOnly, title: '《会上篇目》', source: '' });
    expect((await getReaderReading(member, { assignmentId: bare, readingId: a.readingId })).assignment).toEqual({ id: bare, title: '不指定篇目的心得' });
    expect(await nextDigest(async () => await getReaderReading(member, { assignmentId: a.assignmentId, readingId: meetingOnly }))).toBe(NOT_FOUND);
    expect(await nextDigest(async () => await getReaderReading(other, { assignmentId: bare, readingId: meetingOnly }))).toBe(NOT_FOUND);
    // The cadre's own text size comes with it.
    expect(await setReaderTextSize(member, { size: 2 }, req)).toMatchObject({ ok: true });
    expect((await getReaderReading(member, { assignmentId: a.assignmentId, readingId: a.readingId })).textSize).toBe(2);
    expect((await getReaderReading(await viewerFor(await enrolledCadre(a.courseId)), { assignmentId: a.assignmentId, readingId: a.readingId })).textSize).toBe(0);
  });

  it('the text size is remembered per user', async () => {
    const cadre = await signedIn('cadre');
    expect(await setReaderTextSize(cadre, { size: 2 }, req)).toMatchObject({ ok: true });
    expect((await getDb().select({ s: users.readerTextSize }).from(users).where(eq(users.id, cadre.id)).get())?.s).toBe(2);
    expect(await setReaderTextSize(cadre, { size: 3 }, req)).toMatchObject({ ok: false, code: 'invalid' });
  });

  it('a submitted version records the passages it quotes from the assigned reading', async () => {
    const { a } = await twoCourses();
    const [sectionId] = await makeReadingText(a.readingId, [{ heading: '第一章', body: '勇于自我革命是我们党最鲜明的品格。' }]);
    const assignmentId = await makeAssignment(a.meetingId, { readingIds: [a.readingId], minChars: 0 });
    const author = await viewerFor(await makeUser('cadre'));
    await enroll(a.courseId, [author.id]);
    const body = `我深有体会：${formatQuote('勇于自我革命是我们党最鲜明的品格。', '《甲篇目》')}\n“编造的话。”（《甲篇目》）`;
    const r = await submitReflection(author, { assignmentId, title: '体会', body, readingIds: [], baseRevision: 0, submitKey: randomUUID(), declaration: true }, req);
    expect(r).toMatchObject({ ok: true, version: 1 });
    const rows = await getDb().select().from(reflectionQuotes).all();
    expect(rows).toMatchObject([{ readingId: a.readingId, sectionId, passage: '勇于自我革命是我们党最鲜明的品格。' }]);
    expect(await listMyVersionQuotes(author, { assignmentId, version: 1 })).toEqual([
      { readingTitle: '《甲篇目》', heading: '第一章', passage: '勇于自我革命是我们党最鲜明的品格。' },
    ]);
    expect(await listMyVersionQuotes(await viewerFor(a.memberId), { assignmentId, version: 1 })).toEqual([]);
  });
});
