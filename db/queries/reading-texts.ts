import 'server-only';
import { and, asc, count, eq, exists, inArray, or, sql, type SQL } from 'drizzle-orm';
import { notFound } from 'next/navigation';
import { z } from 'zod';
import { getDb, queryCached, type Tx } from '@/db';
import { actorOf, writeAudit } from '@/db/audit';
import { mutation } from '@/db/mutation';
import { getReading, readingForChange, READING_SHARED } from '@/db/queries/readings';
import { courseManagedBy } from '@/db/queries/scope';
import {
  assignmentReadings,
  assignments,
  meetingReadings,
  meetings,
  readings,
  readingSections,
  reflectionQuotes,
  reflections,
  reflectionVersions,
  units,
  users,
} from '@/db/schema';
import { likeAnywhere } from '@/db/sql-kit';
import { fail } from '@/lib/action-result';
import { assertRole } from '@/lib/auth/guard';
import type { Viewer } from '@/lib/auth/viewer-type';
import { matchQuotes } from '@/lib/readings/quotes';
import { MAX_SECTIONS, splitSections } from '@/lib/readings/split';
import type { Author } from '@/lib/reflection/heading';
import { excerptAround, type Excerpt } from '@/lib/search/excerpt';
import { searchReadingTextsSchema, setReadingTextSchema } from '@/lib/validation/courses';

// The text of a reading (reading_sections), the cadre's reader, the organizers' search of the
// texts, and the passages a submitted version quotes (reflection_quotes).

export interface SectionDto {
  id: number;
  position: number;
  heading: string;
  /** Paragraphs */
  paragraphs: string[];
}

export interface ReadingTextDto {
  id: number;
  title: string;
  source: string;
  editable: boolean;
  sections: SectionDto[];
  charCount: number;
}

async function sectionsOf(db: Tx | ReturnType<typeof getDb>, readingId: number): Promise<SectionDto[]> {
  return (await db
    .select({ id: readingSections.id, position: readingSections.position, heading: readingSections.heading, body: readingSections.body })
    .from(readingSections)
    .where(eq(readingSections.readingId, readingId))
    .orderBy(asc(readingSections.position))
    .all())
    .map(({ body, ...s }) => ({ ...s, paragraphs: body ? body.split('\n') : [] }));
}

function charsOf(sections: SectionDto[]): number {
  return sections.reduce((n, s) => n + s.heading.length + s.paragraphs.reduce((m, p) => m + p.length, 0), 0);
}

/** A reading with its text, for the organizers' text page (the library is every organizer's to read). */
export async function getReadingText(viewer: Viewer, { id }: { id: number }): Promise<ReadingTextDto> {
  assertRole(viewer, 'organizer', 'admin');
  const r = await getReading(viewer, { id });
  const sections = await sectionsOf(getDb(), id);
  return { id, title: r.title, source: r.source, editable: r.editable, sections, charCount: charsOf(sections) };
}

/** Replaces a reading's text (and its 出处) with the pasted or imported text, split into 章/节. */
export const setReadingText = mutation({
  roles: ['organizer', 'admin'],
  schema: setReadingTextSchema,
  async run(tx, { viewer, request }, input) {
    const row = await readingForChange(tx, viewer, input.id);
    if (row.outside) return fail('forbidden', READING_SHARED);
    const sections = splitSections(input.text);
    if (sections.length > MAX_SECTIONS) {
      return fail('invalid', `章节过多（超过 ${MAX_SECTIONS} 个），请检查标题行`, { text: [`章节不能超过 ${MAX_SECTIONS} 个`] });
    }
    await tx.delete(readingSections).where(eq(readingSections.readingId, input.id)).run();
    if (sections.length > 0) {
      await tx.insert(readingSections)
        .values(sections.map((s, position) => ({ readingId: input.id, position, heading: s.heading, body: s.body })))
        .run();
    }
    await tx.update(readings).set({ source: input.source }).where(eq(readings.id, input.id)).run();
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: 'reading.text',
      targetType: 'reading',
      targetId: input.id,
      detail: { title: row.title, sections: sections.length, chars: input.text.length },
    });
    return { ok: true as const, id: input.id, sections: sections.length };
  },
});

// ---------------------------------------------------------------------------------------------
// Search of the texts

export interface ReadingTextHitDto {
  readingId: number;
  title: string;
  sectionId: number;
  heading: string;
  excerpt: Excerpt;
}

export const READING_SEARCH_CAP = 100;

/** Readings of the viewer's courses (by meeting or assignment) or of their own entering; admins reach all. */
function readingInReach(viewer: Viewer): SQL {
  if (viewer.role === 'admin') return sql`1 = 1`;
  const db = getDb();
  return or(
    eq(readings.createdBy, viewer.id),
    exists(
      db
        .select({ one: sql`1` })
        .from(meetingReadings)
        .innerJoin(meetings, eq(meetings.id, meetingReadings.meetingId))
        .where(and(eq(meetingReadings.readingId, readings.id), courseManagedBy(viewer, meetings.courseId))),
    ),
    exists(
      db
        .select({ one: sql`1` })
        .from(assignmentReadings)
        .innerJoin(assignments, eq(assignments.id, assignmentReadings.assignmentId))
        .where(and(eq(assignmentReadings.readingId, readings.id), courseManagedBy(viewer, assignments.courseId))),
    ),
  ) as SQL;
}

/**
 * Sections whose heading or text contains the words, first 100 in reading order. A LIKE scan
 * of reading_sections: the texts of a district's readings are a few megabytes at most.
 */
export async function searchReadingTexts(
  viewer: Viewer,
  input: z.input<typeof searchReadingTextsSchema>,
): Promise<{ q: string | undefined; hits: ReadingTextHitDto[]; total: number }> {
  assertRole(viewer, 'organizer', 'admin');
  const { q } = searchReadingTextsSchema.parse(input);
  if (!q) return { q, hits: [], total: 0 };
  const words = q.split(/\s+/u).filter(Boolean).slice(0, 5);
  const match = and(...words.map((w) => or(likeAnywhere(readingSections.body, w), likeAnywhere(readingSections.heading, w))));
  const where = and(match, readingInReach(viewer));
  const db = getDb();
  const total =
    (await db.select({ n: count() }).from(readingSections).innerJoin(readings, eq(readings.id, readingSections.readingId)).where(where).get())?.n ?? 0;
  const rows = await db
    .select({
      readingId: readings.id,
      title: readings.title,
      sectionId: readingSections.id,
      heading: readingSections.heading,
      body: readingSections.body,
    })
    .from(readingSections)
    .innerJoin(readings, eq(readings.id, readingSections.readingId))
    .where(where)
    .orderBy(asc(readings.title), asc(readings.id), asc(readingSections.position))
    .limit(READING_SEARCH_CAP)
    .all();
  return { q, total, hits: rows.map(({ body, ...r }) => ({ ...r, excerpt: excerptAround(body, words, 80) })) };
}

// ---------------------------------------------------------------------------------------------
// The cadre's reader

export const READER_TEXT_SIZES = [
  { value: 0, label: '标准' },
  { value: 1, label: '大' },
  { value: 2, label: '特大' },
] as const;

export interface ReaderDto {
  assignment: { id: number; title: string };
  reading: { id: number; title: string; source: string };
  sections: SectionDto[];
  textSize: number;
}

/**
 * A reading of an assignment, for a member of the assignment's course, when the assignment (or
 * its meeting, when the assignment names none) lists it. Anything else is not found.
 */
export async function getReaderReading(viewer: Viewer, { assignmentId, readingId }: { assignmentId: number; readingId: number }): Promise<ReaderDto> {
  assertRole(viewer, 'cadre');
  // The assignment in a course the cadre is a member of, the reading when the assignment lists it
  // (or its meeting does, when the assignment lists none: readingOptions), and the cadre's text
  // size: one statement built once (each statement of a page costs the server far more than
  // SQLite's work for it, issue 15); then the text.
  const found = (
    await queryCached<{ assignmentId: number; assignmentTitle: string; readingId: number; title: string; source: string; textSize: number | null }>(
      'reader:reading',
      () => sql`select a.id as "assignmentId", a.title as "assignmentTitle", r.id as "readingId", r.title as title, r.source as source,
                       (select u.reader_text_size from users u where u.id = ${sql.placeholder('uid')}) as "textSize"
                from assignments a join readings r on r.id = ${sql.placeholder('readingId')}
                where a.id = ${sql.placeholder('assignmentId')}
                  and exists (select 1 from course_members cm where cm.course_id = a.course_id and cm.user_id = ${sql.placeholder('uid')})
                  and (exists (select 1 from assignment_readings ar where ar.assignment_id = a.id and ar.reading_id = r.id)
                       or (not exists (select 1 from assignment_readings ar where ar.assignment_id = a.id)
                           and exists (select 1 from meeting_readings mr where mr.meeting_id = a.meeting_id and mr.reading_id = r.id)))`,
      { uid: viewer.id, assignmentId, readingId },
    )
  )[0];
  if (!found) notFound();
  const sections = (
    await queryCached<{ id: number; position: number; heading: string; body: string }>(
      'reader:sections',
      () => sql`select "id", "position", "heading", "body" from "reading_sections" where "reading_id" = ${sql.placeholder('readingId')} order by "position" asc`,
      { readingId: found.readingId },
    )
  ).map(({ body, ...sec }) => ({ ...sec, paragraphs: body ? body.split('\n') : [] }));
  return {
    assignment: { id: found.assignmentId, title: found.assignmentTitle },
    reading: { id: found.readingId, title: found.title, source: found.source },
    sections,
    textSize: found.textSize ?? 0,
  };
}

export const setReaderTextSize = mutation({
  roles: ['cadre', 'organizer', 'admin'],
  schema: z.strictObject({
    size: z.coerce.number({ error: '请选择字号' }).int().min(0, { error: '请选择字号' }).max(2, { error: '请选择字号' }),
  }),
  async run(tx, { viewer, request }, { size }) {
    await tx.update(users).set({ readerTextSize: size }).where(eq(users.id, viewer.id)).run();
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: 'user.reader_text_size',
      targetType: 'user',
      targetId: viewer.id,
      detail: { size },
    });
    return { ok: true as const, size };
  },
});

/** The writer's name and unit names (innermost first), for recognising a byline in an imported file. */
export async function authorOf(viewer: Viewer): Promise<Author> {
  const names: string[] = [];
  let unitId = viewer.unitId;
  const db = getDb();
  for (let depth = 0; unitId !== null && depth < 8; depth++) {
    const u = await db.select({ name: units.name, parentId: units.parentId }).from(units).where(eq(units.id, unitId)).get();
    if (!u) break;
    names.push(u.name);
    unitId = u.parentId;
  }
  return { name: viewer.name, unitNames: names };
}

// ---------------------------------------------------------------------------------------------
// Quotations recorded with a version

/** Records the quotations of the assignment's readings in a submitted version's 正文. Inside the submit transaction. */
export async function recordQuotes(tx: Tx, { versionId, readingIds, body }: { versionId: number; readingIds: number[]; body: string }): Promise<number> {
  if (readingIds.length === 0 || !body.includes('》）')) return 0;
  const rs = await tx.select({ id: readings.id, title: readings.title }).from(readings).where(inArray(readings.id, readingIds)).all();
  const secs = await tx
    .select({ id: readingSections.id, readingId: readingSections.readingId, body: readingSections.body })
    .from(readingSections)
    .where(inArray(readingSections.readingId, readingIds))
    .orderBy(asc(readingSections.position))
    .all();
  const texts = rs.map((r) => ({ ...r, sections: secs.filter((s) => s.readingId === r.id) }));
  const quotes = matchQuotes(body, texts);
  if (quotes.length > 0) await tx.insert(reflectionQuotes).values(quotes.map((q) => ({ versionId, ...q }))).run();
  return quotes.length;
}

export interface QuoteDto {
  readingTitle: string;
  heading: string;
  passage: string;
}

/** The quotations one of the cadre's own submitted versions records. */
export async function listMyVersionQuotes(viewer: Viewer, { assignmentId, version }: { assignmentId: number; version: number }): Promise<QuoteDto[]> {
  assertRole(viewer, 'cadre');
  return await getDb()
    .select({ readingTitle: readings.title, heading: sql<string>`coalesce(${readingSections.heading}, '')`, passage: reflectionQuotes.passage })
    .from(reflectionQuotes)
    .innerJoin(reflectionVersions, eq(reflectionVersions.id, reflectionQuotes.versionId))
    .innerJoin(reflections, eq(reflections.id, reflectionVersions.reflectionId))
    .innerJoin(readings, eq(readings.id, reflectionQuotes.readingId))
    .leftJoin(readingSections, eq(readingSections.id, reflectionQuotes.sectionId))
    .where(and(eq(reflections.authorId, viewer.id), eq(reflections.assignmentId, assignmentId), eq(reflectionVersions.version, version)))
    .orderBy(asc(reflectionQuotes.id))
    .all();
}
