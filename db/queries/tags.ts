import { changesOf } from '@/db';
import 'server-only';
import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import { notFound } from 'next/navigation';
import { getDb } from '@/db';
import { actorOf, writeAudit } from '@/db/audit';
import { mutation } from '@/db/mutation';
import { HANDED_IN, reviewableReflection, type Reader } from '@/db/queries/review/scope';
import { courseManagedBy, managedCourseOrNotFound } from '@/db/queries/scope';
import { insertOrIgnore, qualified } from '@/db/sql-kit';
import { courses, reflections, reflectionTags, tags } from '@/db/schema';
import { fail, type Failure } from '@/lib/action-result';
import { assertRole } from '@/lib/auth/guard';
import type { Viewer } from '@/lib/auth/viewer-type';
import {
  applyTagByNameSchema,
  bulkTagSchema,
  createTagSchema,
  mergeTagsSchema,
  renameTagSchema,
  tagIdSchema,
} from '@/lib/validation/review';
import { rememberedKeywords } from '@/lib/search/keywords';

// 标签, per course: create, rename, merge, delete; put on and take off reflections one at a time
// or on a selection; and suggestions from the text's keywords. Every change writes its audit row
// in the same transaction. A tag only ever goes on reflections of its own course.

export const DUPLICATE_TAG = '已有同名标签';

/** Words jieba should keep whole, whatever the course's tags are. */
export const DOMAIN_WORDS = ['三方共治', '两个确立', '两个维护', '主题教育', '基层治理', '疫情防控', '作风建设', '党建引领', '人民城市', '自我革命'];

export interface TagDto {
  id: number;
  courseId: number;
  name: string;
  uses: number;
}

export type TagResult = { ok: true; id: number } | Failure;
export type BulkTagResult = { ok: true; changed: number; skipped: number } | Failure;

async function tagInScope(tx: Reader, viewer: Viewer, tagId: number) {
  const row = await tx
    .select({ id: tags.id, courseId: tags.courseId, name: tags.name })
    .from(tags)
    .where(and(eq(tags.id, tagId), courseManagedBy(viewer, tags.courseId)))
    .get();
  if (!row) notFound();
  return row;
}

const uses = sql<number>`(select count(*) from reflection_tags rt where rt.tag_id = ${qualified(tags.id)})`;

/** The tags of every course this viewer manages, with how many reflections carry each. */
export async function listTags(viewer: Viewer, { courseId }: { courseId?: number } = {}): Promise<(TagDto & { courseName: string })[]> {
  assertRole(viewer, 'organizer', 'admin');
  return await getDb()
    .select({ id: tags.id, courseId: tags.courseId, name: tags.name, uses, courseName: courses.name })
    .from(tags)
    .innerJoin(courses, eq(courses.id, tags.courseId))
    .where(and(courseManagedBy(viewer, tags.courseId), courseId ? eq(tags.courseId, courseId) : undefined))
    .orderBy(asc(courses.name), asc(tags.courseId), asc(tags.name))
    .all();
}

const ORGANIZERS = ['organizer', 'admin'] as const;
const duplicateName = () => fail('duplicate', DUPLICATE_TAG, { name: [DUPLICATE_TAG] });

export const createTag = mutation({
  roles: ORGANIZERS,
  schema: createTagSchema,
  onUniqueViolation: duplicateName,
  async run(tx, { viewer, request }, input): Promise<TagResult> {
    await managedCourseOrNotFound(tx, viewer, input.courseId);
    const { id } = await tx.insert(tags).values({ courseId: input.courseId, name: input.name }).returning({ id: tags.id }).get();
    await writeAudit(tx, { ...actorOf(viewer, request), action: 'tag.create', targetType: 'tag', targetId: id, detail: { courseId: input.courseId, name: input.name } });
    return { ok: true, id };
  },
});

export const renameTag = mutation({
  roles: ORGANIZERS,
  schema: renameTagSchema,
  onUniqueViolation: duplicateName,
  async run(tx, { viewer, request }, input): Promise<TagResult> {
    const tag = await tagInScope(tx, viewer, input.tagId);
    if (tag.name === input.name) return { ok: true, id: tag.id };
    await tx.update(tags).set({ name: input.name }).where(eq(tags.id, tag.id)).run();
    await writeAudit(tx, { ...actorOf(viewer, request), action: 'tag.rename', targetType: 'tag', targetId: tag.id, detail: { from: tag.name, to: input.name } });
    return { ok: true, id: tag.id };
  },
});

/** Moves every application of one tag onto another of the same course (no duplicates), then deletes the first. */
export const mergeTags = mutation({
  roles: ORGANIZERS,
  schema: mergeTagsSchema,
  async run(tx, { viewer, request }, input): Promise<TagResult> {
    const from = await tagInScope(tx, viewer, input.fromId);
    const into = await tagInScope(tx, viewer, input.intoId);
    if (from.courseId !== into.courseId) return fail('invalid', '只能合并同一个读书班的标签', { intoId: ['只能合并同一个读书班的标签'] });
    const moved = changesOf((await tx.run(
      insertOrIgnore(
        sql`reflection_tags (reflection_id, tag_id, created_by, created_at)`,
        sql`select reflection_id, cast(${into.id} as integer), created_by, created_at from reflection_tags where tag_id = ${from.id}`,
      ),
    )));
    await tx.delete(reflectionTags).where(eq(reflectionTags.tagId, from.id)).run();
    await tx.delete(tags).where(eq(tags.id, from.id)).run();
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: 'tag.merge',
      targetType: 'tag',
      targetId: into.id,
      detail: { from: from.name, fromId: from.id, into: into.name, moved },
    });
    return { ok: true, id: into.id };
  },
});

export const deleteTag = mutation({
  roles: ORGANIZERS,
  schema: tagIdSchema,
  async run(tx, { viewer, request }, input): Promise<TagResult> {
    const tag = await tagInScope(tx, viewer, input.tagId);
    const applied = (await tx.select({ n: count() }).from(reflectionTags).where(eq(reflectionTags.tagId, tag.id)).get())?.n ?? 0;
    await tx.delete(reflectionTags).where(eq(reflectionTags.tagId, tag.id)).run();
    await tx.delete(tags).where(eq(tags.id, tag.id)).run();
    await writeAudit(tx, { ...actorOf(viewer, request), action: 'tag.delete', targetType: 'tag', targetId: tag.id, detail: { name: tag.name, applied } });
    return { ok: true, id: tag.id };
  },
});

/** Puts a tag on (or takes it off) the given reflections; those of another course, drafts and unknown ids are skipped and counted. */
export const setTagOnReflections = mutation({
  roles: ORGANIZERS,
  schema: bulkTagSchema,
  async run(tx, { viewer, request }, input): Promise<BulkTagResult> {
    const wanted = input.reflectionIds;
    const tag = await tagInScope(tx, viewer, input.tagId);
    const ids = (await tx
      .select({ id: reflections.id })
      .from(reflections)
      .where(
        and(
          inArray(reflections.id, wanted),
          eq(reflections.courseId, tag.courseId),
          courseManagedBy(viewer, reflections.courseId),
          inArray(reflections.status, HANDED_IN),
        ),
      )
      .all())
      .map((r) => r.id);
    let changed = 0;
    if (ids.length > 0) {
      changed =
        input.op === 'apply'
          ? changesOf((await tx
              .insert(reflectionTags)
              .values(ids.map((reflectionId) => ({ reflectionId, tagId: tag.id, createdBy: viewer.id })))
              .onConflictDoNothing()
              .run()))
          : changesOf((await tx
              .delete(reflectionTags)
              .where(and(eq(reflectionTags.tagId, tag.id), inArray(reflectionTags.reflectionId, ids)))
              .run()));
    }
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: input.op === 'apply' ? 'tag.apply' : 'tag.remove',
      targetType: 'tag',
      targetId: tag.id,
      detail: { name: tag.name, reflectionIds: ids, changed, skipped: wanted.length - ids.length },
    });
    return { ok: true, changed, skipped: wanted.length - ids.length };
  },
});

/**
 * Puts the tag of this name on the reflection, creating it in the reflection's course first when
 * the course has none of that name (the tag box on the detail page, and 采用 of a suggestion).
 */
export const applyTagByName = mutation({
  roles: ORGANIZERS,
  schema: applyTagByNameSchema,
  async run(tx, { viewer, request }, input): Promise<TagResult> {
    const r = await reviewableReflection(tx, viewer, input.reflectionId);
    let tag = await tx
      .select({ id: tags.id })
      .from(tags)
      .where(and(eq(tags.courseId, r.courseId), eq(tags.name, input.name)))
      .get();
    if (!tag) {
      tag = await tx.insert(tags).values({ courseId: r.courseId, name: input.name }).returning({ id: tags.id }).get();
      await writeAudit(tx, { ...actorOf(viewer, request), action: 'tag.create', targetType: 'tag', targetId: tag.id, detail: { courseId: r.courseId, name: input.name } });
    }
    const changed = changesOf((await tx
      .insert(reflectionTags)
      .values({ reflectionId: r.id, tagId: tag.id, createdBy: viewer.id })
      .onConflictDoNothing()
      .run()));
    if (changed > 0) {
      await writeAudit(tx, {
        ...actorOf(viewer, request),
        action: 'tag.apply',
        targetType: 'tag',
        targetId: tag.id,
        detail: { name: input.name, reflectionIds: [r.id], changed, skipped: 0 },
      });
    }
    return { ok: true, id: tag.id };
  },
});

export interface TagSuggestions {
  /** Tags the course already has whose name is in the text or among its keywords. */
  existing: { id: number; name: string }[];
  /** Keywords that are not yet tags of the course, to accept with one click. */
  candidates: string[];
}

/** Suggested tags for one reflection, from the keywords of its title and text. */
export async function suggestTags(viewer: Viewer, { reflectionId }: { reflectionId: number }, limit = 6): Promise<TagSuggestions> {
  assertRole(viewer, 'organizer', 'admin');
  const db = getDb();
  const r = await reviewableReflection(db, viewer, reflectionId);
  const text = await db.select({ title: reflections.title, body: reflections.body }).from(reflections).where(eq(reflections.id, r.id)).get();
  if (!text) notFound();
  const courseTags = await db.select({ id: tags.id, name: tags.name }).from(tags).where(eq(tags.courseId, r.courseId)).orderBy(asc(tags.name)).all();
  const applied = await db
    .select({ id: reflectionTags.tagId })
    .from(reflectionTags)
    .where(eq(reflectionTags.reflectionId, r.id))
    .all();
  return tagSuggestionsFor(viewer, { title: text.title, body: text.body, tags: applied, courseTags }, limit);
}

function keywordsOf(text: string, userWords: string[]): string[] {
  return rememberedKeywords(text, userWords, 20);
}

/**
 * Suggested tags for a reflection the viewer has already read through a scoped query (the review
 * detail's getReviewReflection): its title, text, applied tags and its course's tags.
 */
export function tagSuggestionsFor(
  viewer: Viewer,
  r: { title: string; body: string; tags: readonly { id: number }[]; courseTags: readonly { id: number; name: string }[] },
  limit = 6,
): TagSuggestions {
  assertRole(viewer, 'organizer', 'admin');
  const applied = new Set(r.tags.map((t) => t.id));
  const full = `${r.title}\n${r.body}`;
  const keywords = keywordsOf(full, [...DOMAIN_WORDS, ...r.courseTags.map((t) => t.name)]);
  const keywordSet = new Set(keywords);
  const existing = r.courseTags.filter((t) => !applied.has(t.id) && (keywordSet.has(t.name) || full.includes(t.name))).map((t) => ({ id: t.id, name: t.name }));
  const known = new Set(r.courseTags.map((t) => t.name));
  const candidates = keywords
    .filter((k) => !known.has(k) && Array.from(k).length >= 2 && Array.from(k).length <= 20 && !/^[\d\p{P}\s]+$/u.test(k))
    .slice(0, limit);
  return { existing, candidates };
}
