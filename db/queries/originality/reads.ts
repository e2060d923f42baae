import 'server-only';
import { and, desc, eq, gte, inArray, sql } from 'drizzle-orm';
import { notFound } from 'next/navigation';
import { getDb } from '@/db';
import { courseManagedBy } from '@/db/queries/scope';
import { prepared } from '@/db/queries/reflections/prepared';
import { HANDED_IN } from '@/db/queries/review/scope';
import { managedCourse } from '@/db/queries/review/statements';
import {
  bulletinItems,
  bulletins,
  courses,
  originalityChecks,
  originalityDocs,
  readings,
  readingSections,
  reflections,
  reflectionVersions,
  users,
} from '@/db/schema';
import { assertRole } from '@/lib/auth/guard';
import type { Viewer } from '@/lib/auth/viewer-type';
import { analyse, normalise, originalSpan } from '@/lib/originality/engine';
import { docTexts, type StoredSource } from './index';

// What the organizer sees of 查重: the share, the top sources with links, and the matched
// passages side by side. Only organizers of the reflection's course and admins: a cadre never
// reaches another person's text through this (every read asserts the role and scopes the
// reflection by courseManagedBy). A source from a course this viewer does not run shows only
// its matched passages, not the whole text.

/** Characters of context shown either side of a matched passage. */
const CONTEXT = 24;

export interface PassageDto {
  /** Plain / marked / plain: the passage with a little context either side. */
  ours: { before: string; match: string; after: string };
  theirs: { before: string; match: string; after: string };
}

export interface OriginalitySourceDto {
  kind: 'reflection' | 'section' | 'bulletin';
  quote: boolean;
  /** per mille */
  share: number;
  label: string;
  href: string | null;
  passages: PassageDto[];
}

export interface OriginalityDto {
  status: 'pending' | 'done';
  /** per mille */
  share: number;
  quoteShare: number;
  /** percent */
  threshold: number;
  flagged: boolean;
  checkedAt: Date | null;
  sources: OriginalitySourceDto[];
}

function cut(text: string, [s, e]: [number, number]) {
  return { before: text.slice(Math.max(0, s - CONTEXT), s), match: text.slice(s, e), after: text.slice(e, e + CONTEXT) };
}

async function labels(sources: StoredSource[]): Promise<Map<number, { label: string; href: string | null }>> {
  const db = getDb();
  const out = new Map<number, { label: string; href: string | null }>();
  const refl = sources.filter((s) => s.kind === 'reflection').map((s) => s.refId);
  const sect = sources.filter((s) => s.kind === 'section').map((s) => s.refId);
  const items = sources.filter((s) => s.kind === 'bulletin').map((s) => s.refId);
  const rRows = refl.length
    ? await db
        .select({ id: reflections.id, title: reflections.title, author: users.name, course: courses.name })
        .from(reflections)
        .innerJoin(users, eq(users.id, reflections.authorId))
        .innerJoin(courses, eq(courses.id, reflections.courseId))
        .where(inArray(reflections.id, refl))
        .all()
    : [];
  const sRows = sect.length
    ? await db
        .select({ id: readingSections.id, heading: readingSections.heading, title: readings.title })
        .from(readingSections)
        .innerJoin(readings, eq(readings.id, readingSections.readingId))
        .where(inArray(readingSections.id, sect))
        .all()
    : [];
  const bRows = items.length
    ? await db
        .select({ id: bulletinItems.id, heading: bulletinItems.heading, number: bulletins.number, bulletinId: bulletins.id, course: courses.name })
        .from(bulletinItems)
        .innerJoin(bulletins, eq(bulletins.id, bulletinItems.bulletinId))
        .innerJoin(courses, eq(courses.id, bulletins.courseId))
        .where(inArray(bulletinItems.id, items))
        .all()
    : [];
  for (const s of sources) {
    if (s.kind === 'reflection') {
      const r = rRows.find((x) => x.id === s.refId);
      if (r) out.set(s.docId, { label: `${r.author}《${r.title || '无标题'}》（${r.course}）`, href: `/review/${r.id}` });
    } else if (s.kind === 'section') {
      const r = sRows.find((x) => x.id === s.refId);
      if (r) out.set(s.docId, { label: `${r.title}${r.heading ? ` ${r.heading}` : ''}`, href: null });
    } else {
      const r = bRows.find((x) => x.id === s.refId);
      if (r) out.set(s.docId, { label: `${r.course}简报第${r.number}期 ${r.heading}`, href: `/bulletins/${r.bulletinId}` });
    }
  }
  return out;
}

/** 查重 of one reflection for the review detail; null before its first check. */
export async function getOriginalityForReview(viewer: Viewer, { id }: { id: number }): Promise<OriginalityDto | null> {
  assertRole(viewer, 'organizer', 'admin');
  const db = getDb();
  // The reflection in the viewer's reach (as reviewableReflection), its check and the text the
  // check read, in one statement prepared once: the review detail asks on every load, and each
  // statement of a page costs the server far more than SQLite's work for it (issue 15).
  const row = await prepared(`originality:review-row:${viewer.role}`, (d) =>
    d
      .select({
        id: reflections.id,
        threshold: courses.similarityThreshold,
        checked: originalityChecks.reflectionId,
        status: originalityChecks.status,
        share: originalityChecks.share,
        quoteShare: originalityChecks.quoteShare,
        sources: originalityChecks.sources,
        checkedAt: originalityChecks.checkedAt,
        body: reflectionVersions.body,
      })
      .from(reflections)
      .innerJoin(courses, eq(courses.id, reflections.courseId))
      .leftJoin(originalityChecks, eq(originalityChecks.reflectionId, reflections.id))
      .leftJoin(reflectionVersions, eq(reflectionVersions.id, originalityChecks.versionId))
      .where(and(eq(reflections.id, sql.placeholder('id')), managedCourse(viewer.role, reflections.courseId), inArray(reflections.status, HANDED_IN)))
      .prepare(),
  ).get({ id, viewerId: viewer.id });
  if (!row) notFound();
  if (row.checked === null || row.status === null) return null;
  const check = { status: row.status, share: row.share ?? 0, quoteShare: row.quoteShare ?? 0, sources: row.sources ?? '[]', checkedAt: row.checkedAt };
  const threshold = row.threshold ?? 30;
  const base = { status: check.status, share: check.share, quoteShare: check.quoteShare, threshold, flagged: check.status === 'done' && check.share >= threshold * 10, checkedAt: check.checkedAt };
  const stored = JSON.parse(check.sources) as StoredSource[];
  const version = row.body === null ? null : { body: row.body };
  if (!version || stored.length === 0) return { ...base, sources: [] };
  const docs = await db.select().from(originalityDocs).where(inArray(originalityDocs.id, stored.map((s) => s.docId))).all();
  const texts = await docTexts(db, docs);
  const ours = normalise(version.body);
  const names = await labels(stored);
  const sources: OriginalitySourceDto[] = [];
  for (const s of stored) {
    const text = texts.get(s.docId);
    if (text === undefined) continue;
    const theirs = normalise(text);
    const [result] = analyse(ours, [{ key: s.docId, text, quote: s.quote }]).sources;
    const name = names.get(s.docId);
    sources.push({
      kind: s.kind,
      quote: s.quote,
      share: s.share,
      label: name?.label ?? '（来源已删除）',
      href: name?.href ?? null,
      passages: (result?.passages ?? []).map((p) => ({ ours: cut(version.body, originalSpan(ours.map, p.a)), theirs: cut(text, originalSpan(theirs.map, p.b)) })),
    });
  }
  return { ...base, sources };
}

export interface SimilarPairDto {
  reflectionId: number;
  authorName: string;
  title: string;
  share: number;
  source: { label: string; href: string | null; share: number } | null;
}

/** 查重报告: every reflection of the course at or above its threshold, with its main source. */
export async function listSimilarPairs(viewer: Viewer, { courseId }: { courseId: number }): Promise<{ courseName: string; threshold: number; pairs: SimilarPairDto[]; pending: number; checked: number }> {
  assertRole(viewer, 'organizer', 'admin');
  const db = getDb();
  const course = await db
    .select({ name: courses.name, threshold: courses.similarityThreshold })
    .from(courses)
    .where(and(eq(courses.id, courseId), courseManagedBy(viewer, courses.id)))
    .get();
  if (!course) notFound();
  const rows = await db
    .select({ reflectionId: originalityChecks.reflectionId, share: originalityChecks.share, sources: originalityChecks.sources, authorName: users.name, title: reflections.title })
    .from(originalityChecks)
    .innerJoin(reflections, eq(reflections.id, originalityChecks.reflectionId))
    .innerJoin(users, eq(users.id, reflections.authorId))
    .where(and(eq(originalityChecks.courseId, courseId), eq(originalityChecks.status, 'done'), gte(originalityChecks.share, course.threshold * 10)))
    .orderBy(desc(originalityChecks.share))
    .all();
  const mains = rows.map((r) => (JSON.parse(r.sources) as StoredSource[]).find((s) => !s.quote) ?? null);
  const names = await labels(mains.filter((m): m is StoredSource => m !== null));
  const counts = await db
    .select({ status: originalityChecks.status, n: sql<number>`count(*)` })
    .from(originalityChecks)
    .where(eq(originalityChecks.courseId, courseId))
    .groupBy(originalityChecks.status)
    .all();
  return {
    courseName: course.name,
    threshold: course.threshold,
    pending: counts.find((c) => c.status === 'pending')?.n ?? 0,
    checked: counts.find((c) => c.status === 'done')?.n ?? 0,
    pairs: rows.map((r, i) => {
      const m = mains[i];
      const name = m ? names.get(m.docId) : undefined;
      return { reflectionId: r.reflectionId, authorName: r.authorName, title: r.title, share: r.share, source: m ? { label: name?.label ?? '（来源已删除）', href: name?.href ?? null, share: m.share } : null };
    }),
  };
}

/** The queue's 疑似雷同 condition over a reflections alias: its latest check at or above its course's threshold. */
export const similarCondition = sql`exists (select 1 from originality_checks oc join courses oc_c on oc_c.id = oc.course_id
  where oc.reflection_id = "reflections"."id" and oc.status = 'done' and oc.share >= oc_c.similarity_threshold * 10)`;

/** The queue's column: the share (per mille) of the latest check, null before one. */
export const similarShareColumn = sql<number | null>`(select oc.share from originality_checks oc where oc.reflection_id = "reflections"."id" and oc.status = 'done')`;
