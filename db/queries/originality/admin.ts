import 'server-only';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { actorOf, writeAudit } from '@/db/audit';
import { mutation } from '@/db/mutation';
import { managedCourseOrNotFound } from '@/db/queries/scope';
import { HANDED_IN } from '@/db/queries/review/scope';
import { courses, originalityChecks, reflections, reflectionVersions } from '@/db/schema';
import { courseIdInputSchema, similarityThresholdSchema } from '@/lib/validation/originality';
import { processPending } from './index';

// 查重's settings and re-runs. The threshold is the course's (its organizers set it); a re-run
// over a course is an admin's: it puts every handed-in reflection of the course back in the
// durable queue (originality_checks 'pending'), and the page works through it batch by batch,
// showing progress. A restart loses nothing: what is pending stays pending until processed.

/** Reflections checked per call of processCourseRecheck: short transactions, visible progress. */
export const RECHECK_BATCH = 25;

export const setSimilarityThreshold = mutation({
  roles: ['organizer', 'admin'],
  schema: similarityThresholdSchema,
  async run(tx, { viewer, request }, input) {
    await managedCourseOrNotFound(tx, viewer, input.courseId);
    const before = (await tx.select({ t: courses.similarityThreshold }).from(courses).where(eq(courses.id, input.courseId)).get())?.t;
    await tx.update(courses).set({ similarityThreshold: input.threshold }).where(eq(courses.id, input.courseId)).run();
    await writeAudit(tx, { ...actorOf(viewer, request), action: 'originality.threshold', targetType: 'course', targetId: input.courseId, detail: { from: before, to: input.threshold } });
    return { ok: true as const };
  },
});

export const queueCourseRecheck = mutation({
  roles: ['admin'],
  schema: courseIdInputSchema,
  async run(tx, { viewer, request }, input) {
    await managedCourseOrNotFound(tx, viewer, input.courseId);
    const rows = await tx
      .select({ id: reflections.id, versionId: sql<number>`max(${reflectionVersions.id})` })
      .from(reflections)
      .innerJoin(reflectionVersions, eq(reflectionVersions.reflectionId, reflections.id))
      .where(and(eq(reflections.courseId, input.courseId), inArray(reflections.status, HANDED_IN)))
      .groupBy(reflections.id)
      .all();
    for (const r of rows) {
      await tx.insert(originalityChecks)
        .values({ reflectionId: r.id, courseId: input.courseId, versionId: r.versionId, status: 'pending' })
        .onConflictDoUpdate({ target: originalityChecks.reflectionId, set: { status: 'pending', versionId: r.versionId } })
        .run();
    }
    await writeAudit(tx, { ...actorOf(viewer, request), action: 'originality.rerun', targetType: 'course', targetId: input.courseId, detail: { queued: rows.length } });
    return { ok: true as const, queued: rows.length };
  },
});

export const processCourseRecheck = mutation({
  roles: ['admin'],
  schema: courseIdInputSchema,
  async run(tx, { viewer }, input) {
    await managedCourseOrNotFound(tx, viewer, input.courseId);
    const { processed, left } = await processPending(tx, { courseId: input.courseId, limit: RECHECK_BATCH });
    return { ok: true as const, processed, left };
  },
});
