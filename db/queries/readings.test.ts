import { describe, expect, it } from 'vitest';
import { getDb } from '@/db';
import { readings } from '@/db/schema';
import { FORBIDDEN, NOT_FOUND, nextDigest, signedIn, useTestDatabase } from '@/test/db';
import { auditOf, req, snapshot, twoCourses } from './courses.fixtures';
import { PAGE_SIZE } from './courses';
import {
  createReading,
  deleteReading,
  getReading,
  listReadingChoices,
  listReadings,
  READING_IN_USE,
  READING_SHARED,
  updateReading,
} from './readings';

const fields = (over: Partial<Parameters<typeof updateReading>[1]> = {}) => ({
  title: '《论党的自我革命》',
  source: '中央文献出版社',
  chapters: '第一篇至第五篇',
  notes: '',
  ...over,
});

async function addReading(title: string): Promise<number> {
  return (await getDb().insert(readings).values({ title }).returning({ id: readings.id }).get()).id;
}

describe('reading queries: who may do what', () => {
  useTestDatabase();

  it('a cadre is refused everything', async () => {
    const { a, cadre } = await twoCourses();
    const before = await snapshot();
    expect(await nextDigest(async () => await listReadings(cadre))).toBe(FORBIDDEN);
    expect(await nextDigest(async () => await listReadingChoices(cadre))).toBe(FORBIDDEN);
    expect(await nextDigest(async () => await getReading(cadre, { id: a.readingId }))).toBe(FORBIDDEN);
    const refused = { ok: false, code: 'forbidden' };
    expect(await createReading(cadre, fields(), req)).toMatchObject(refused);
    expect(await updateReading(cadre, { id: a.readingId, ...fields() }, req)).toMatchObject(refused);
    expect(await deleteReading(cadre, { id: a.readingId }, req)).toMatchObject(refused);
    expect(await snapshot()).toEqual(before);
  });

  it('an organizer cannot change a reading that a course they do not run uses', async () => {
    const { a, b } = await twoCourses();
    const before = await snapshot();
    expect(await getReading(a.organizer, { id: b.readingId })).toMatchObject({ editable: false, deletable: false });
    expect(await updateReading(a.organizer, { id: b.readingId, ...fields() }, req)).toMatchObject({ ok: false, message: READING_SHARED });
    expect(await deleteReading(a.organizer, { id: b.readingId }, req)).toMatchObject({ ok: false });
    expect(await snapshot()).toEqual(before);
    // Their own course's reading is theirs to edit.
    expect((await getReading(a.organizer, { id: a.readingId })).editable).toBe(true);
    expect((await updateReading(a.organizer, { id: a.readingId, ...fields() }, req)).ok).toBe(true);
  });

  it('an admin may change any reading', async () => {
    const { admin, b } = await twoCourses();
    expect((await getReading(admin, { id: b.readingId })).editable).toBe(true);
    expect((await updateReading(admin, { id: b.readingId, ...fields({ title: '《乙篇目(修订)》' }) }, req)).ok).toBe(true);
  });

  it('an unknown reading is notFound', async () => {
    const v = await signedIn('organizer');
    expect(await nextDigest(async () => await getReading(v, { id: 999999 }))).toBe(NOT_FOUND);
    expect(await updateReading(v, { id: 999999, ...fields() }, req)).toMatchObject({ ok: false, code: 'not_found' });
    expect(await deleteReading(v, { id: 999999 }, req)).toMatchObject({ ok: false, code: 'not_found' });
  });
});

describe('the reading library', () => {
  useTestDatabase();

  it('creates, edits and deletes an unused reading, with audit rows', async () => {
    const v = await signedIn('organizer');
    const r = await createReading(v, fields(), req);
    if (!r.ok) throw new Error(r.message);
    expect(await getReading(v, { id: r.id })).toMatchObject({ title: '《论党的自我革命》', source: '中央文献出版社', editable: true, deletable: true });
    expect((await updateReading(v, { id: r.id, ...fields({ notes: '重点读第三篇' }) }, req)).ok).toBe(true);
    expect((await getReading(v, { id: r.id })).notes).toBe('重点读第三篇');
    expect(await deleteReading(v, { id: r.id }, req)).toEqual({ ok: true, id: r.id });
    expect(await auditOf('reading.create')).toHaveLength(1);
    expect((await auditOf('reading.update'))[0]?.detail).toMatchObject({ title: '《论党的自我革命》' });
    expect(await auditOf('reading.delete')).toHaveLength(1);
  });

  it('keeps a reading that is in use, and refuses an empty title', async () => {
    const { a } = await twoCourses();
    const before = await snapshot();
    expect(await deleteReading(a.organizer, { id: a.readingId }, req)).toMatchObject({ ok: false, message: READING_IN_USE });
    expect(await createReading(a.organizer, fields({ title: '' }), req)).toMatchObject({ ok: false });
    expect(await updateReading(a.organizer, { id: a.readingId, ...fields({ title: ' ' }) }, req)).toMatchObject({ ok: false });
    expect(await snapshot()).toEqual(before);
  });

  it('lists by 篇名, searches 篇名 / 出处 / 章节, pages by 25, and counts uses', async () => {
    const { a } = await twoCourses();
    for (let i = 0; i < 30; i++) await addReading(`《摘编${String(i).padStart(2, '0')}》`);
    const first = await listReadings(a.organizer);
    expect(first).toMatchObject({ total: 32, pageCount: 2 });
    expect(first.items).toHaveLength(PAGE_SIZE);
    expect((await listReadings(a.organizer, { q: '甲篇' })).items).toEqual([
      expect.objectContaining({ id: a.readingId, useCount: 2, editable: true, deletable: false }),
    ]);
    expect((await listReadings(a.organizer, { q: '人民出版社' })).total).toBe(2);
    expect((await listReadings(a.organizer, { q: '摘编0' })).total).toBe(10);
    expect((await listReadings(a.organizer, { q: '乙篇' })).items[0]).toMatchObject({ editable: false });
    expect(await listReadingChoices(a.organizer)).toHaveLength(32);
  });
});
