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

function addReading(title: string): number {
  return getDb().insert(readings).values({ title }).returning({ id: readings.id }).get().id;
}

describe('reading queries: who may do what', () => {
  useTestDatabase();

  it('a cadre is refused everything', () => {
    const { a, cadre } = twoCourses();
    const before = snapshot();
    expect(nextDigest(() => listReadings(cadre))).toBe(FORBIDDEN);
    expect(nextDigest(() => listReadingChoices(cadre))).toBe(FORBIDDEN);
    expect(nextDigest(() => getReading(cadre, { id: a.readingId }))).toBe(FORBIDDEN);
    const refused = { ok: false, code: 'forbidden' };
    expect(createReading(cadre, fields(), req)).toMatchObject(refused);
    expect(updateReading(cadre, { id: a.readingId, ...fields() }, req)).toMatchObject(refused);
    expect(deleteReading(cadre, { id: a.readingId }, req)).toMatchObject(refused);
    expect(snapshot()).toEqual(before);
  });

  it('an organizer cannot change a reading that a course they do not run uses', () => {
    const { a, b } = twoCourses();
    const before = snapshot();
    expect(getReading(a.organizer, { id: b.readingId })).toMatchObject({ editable: false, deletable: false });
    expect(updateReading(a.organizer, { id: b.readingId, ...fields() }, req)).toMatchObject({ ok: false, message: READING_SHARED });
    expect(deleteReading(a.organizer, { id: b.readingId }, req)).toMatchObject({ ok: false });
    expect(snapshot()).toEqual(before);
    // Their own course's reading is theirs to edit.
    expect(getReading(a.organizer, { id: a.readingId }).editable).toBe(true);
    expect(updateReading(a.organizer, { id: a.readingId, ...fields() }, req).ok).toBe(true);
  });

  it('an admin may change any reading', () => {
    const { admin, b } = twoCourses();
    expect(getReading(admin, { id: b.readingId }).editable).toBe(true);
    expect(updateReading(admin, { id: b.readingId, ...fields({ title: '《乙篇目(修订)》' }) }, req).ok).toBe(true);
  });

  it('an unknown reading is notFound', () => {
    const v = signedIn('organizer');
    expect(nextDigest(() => getReading(v, { id: 999999 }))).toBe(NOT_FOUND);
    expect(updateReading(v, { id: 999999, ...fields() }, req)).toMatchObject({ ok: false, code: 'not_found' });
    expect(deleteReading(v, { id: 999999 }, req)).toMatchObject({ ok: false, code: 'not_found' });
  });
});

describe('the reading library', () => {
  useTestDatabase();

  it('creates, edits and deletes an unused reading, with audit rows', () => {
    const v = signedIn('organizer');
    const r = createReading(v, fields(), req);
    if (!r.ok) throw new Error(r.message);
    expect(getReading(v, { id: r.id })).toMatchObject({ title: '《论党的自我革命》', source: '中央文献出版社', editable: true, deletable: true });
    expect(updateReading(v, { id: r.id, ...fields({ notes: '重点读第三篇' }) }, req).ok).toBe(true);
    expect(getReading(v, { id: r.id }).notes).toBe('重点读第三篇');
    expect(deleteReading(v, { id: r.id }, req)).toEqual({ ok: true, id: r.id });
    expect(auditOf('reading.create')).toHaveLength(1);
    expect(auditOf('reading.update')[0]?.detail).toMatchObject({ title: '《论党的自我革命》' });
    expect(auditOf('reading.delete')).toHaveLength(1);
  });

  it('keeps a reading that is in use, and refuses an empty title', () => {
    const { a } = twoCourses();
    const before = snapshot();
    expect(deleteReading(a.organizer, { id: a.readingId }, req)).toMatchObject({ ok: false, message: READING_IN_USE });
    expect(createReading(a.organizer, fields({ title: '' }), req)).toMatchObject({ ok: false });
    expect(updateReading(a.organizer, { id: a.readingId, ...fields({ title: ' ' }) }, req)).toMatchObject({ ok: false });
    expect(snapshot()).toEqual(before);
  });

  it('lists by 篇名, searches 篇名 / 出处 / 章节, pages by 25, and counts uses', () => {
    const { a } = twoCourses();
    for (let i = 0; i < 30; i++) addReading(`《摘编${String(i).padStart(2, '0')}》`);
    const first = listReadings(a.organizer);
    expect(first).toMatchObject({ total: 32, pageCount: 2 });
    expect(first.items).toHaveLength(PAGE_SIZE);
    expect(listReadings(a.organizer, { q: '甲篇' }).items).toEqual([
      expect.objectContaining({ id: a.readingId, useCount: 2, editable: true, deletable: false }),
    ]);
    expect(listReadings(a.organizer, { q: '人民出版社' }).total).toBe(2);
    expect(listReadings(a.organizer, { q: '摘编0' }).total).toBe(10);
    expect(listReadings(a.organizer, { q: '乙篇' }).items[0]).toMatchObject({ editable: false });
    expect(listReadingChoices(a.organizer)).toHaveLength(32);
  });
});
