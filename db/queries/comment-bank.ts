import 'server-only';
import { and, desc, eq, isNull, or, sql } from 'drizzle-orm';
import { notFound } from 'next/navigation';
import { getDb } from '@/db';
import { actorOf, writeAudit } from '@/db/audit';
import { mutation } from '@/db/mutation';
import { courseManagedBy, managedCourseOrNotFound } from '@/db/queries/scope';
import { commentBank, courses } from '@/db/schema';
import { assertRole } from '@/lib/auth/guard';
import type { Viewer } from '@/lib/auth/viewer-type';
import { commentBankAddSchema, commentBankIdSchema } from '@/lib/validation/review';

// 评语库: comments an organizer reuses. A personal entry belongs to its owner alone; a course
// entry is shared by everyone who runs that course.

export interface CommentBankEntryDto {
  id: number;
  body: string;
  /** null for a personal entry */
  courseId: number | null;
  courseName: string | null;
  mine: boolean;
}

/**
 * The viewer's personal entries and those of the courses they run (only the given course's when
 * one is named: the decision form of a reflection offers its own course's comments).
 */
export async function listCommentBank(viewer: Viewer, { courseId }: { courseId?: number } = {}): Promise<CommentBankEntryDto[]> {
  assertRole(viewer, 'organizer', 'admin');
  const personal = and(eq(commentBank.ownerId, viewer.id), isNull(commentBank.courseId));
  const shared = and(
    courseManagedBy(viewer, commentBank.courseId),
    courseId ? eq(commentBank.courseId, courseId) : undefined,
  );
  const rows = await getDb()
    .select({
      id: commentBank.id,
      body: commentBank.body,
      courseId: commentBank.courseId,
      courseName: courses.name,
      ownerId: commentBank.ownerId,
    })
    .from(commentBank)
    .leftJoin(courses, eq(courses.id, commentBank.courseId))
    .where(or(personal, shared))
    // Personal entries (no course) first, as SQLite orders nulls in asc; PostgreSQL needs saying so.
    .orderBy(sql`${commentBank.courseId} asc nulls first`, desc(commentBank.createdAt), desc(commentBank.id))
    .limit(500)
    .all();
  return rows.map(({ ownerId, ...r }) => ({ ...r, mine: ownerId === viewer.id }));
}

const ORGANIZERS = ['organizer', 'admin'] as const;

/** A personal entry, or (with a course this viewer runs) one shared with that course's organizers. */
export const addCommentBankEntry = mutation({
  roles: ORGANIZERS,
  schema: commentBankAddSchema,
  async run(tx, { viewer, request }, input) {
    if (input.courseId !== null) await managedCourseOrNotFound(tx, viewer, input.courseId);
    const { id } = await tx
      .insert(commentBank)
      .values({ body: input.body, courseId: input.courseId, ownerId: viewer.id })
      .returning({ id: commentBank.id })
      .get();
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: 'commentBank.create',
      targetType: 'comment_bank',
      targetId: id,
      detail: { courseId: input.courseId },
    });
    return { ok: true as const, id };
  },
});

/** Deletes the viewer's own personal entry, or a shared entry of a course they run. */
export const deleteCommentBankEntry = mutation({
  roles: ORGANIZERS,
  schema: commentBankIdSchema,
  async run(tx, { viewer, request }, { id }) {
    const row = await tx
      .select({ id: commentBank.id, courseId: commentBank.courseId })
      .from(commentBank)
      .where(
        and(
          eq(commentBank.id, id),
          or(and(eq(commentBank.ownerId, viewer.id), isNull(commentBank.courseId)), courseManagedBy(viewer, commentBank.courseId)),
        ),
      )
      .get();
    if (!row) notFound();
    await tx.delete(commentBank).where(eq(commentBank.id, row.id)).run();
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: 'commentBank.delete',
      targetType: 'comment_bank',
      targetId: row.id,
      detail: { courseId: row.courseId },
    });
    return { ok: true as const, id: row.id };
  },
});
