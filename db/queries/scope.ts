import 'server-only';
import { and, eq, exists, sql, type SQL } from 'drizzle-orm';
import { getDb, type DB, type Tx } from '@/db';
import { notFound } from 'next/navigation';
import { courseMembers, courseOrganizers, courses } from '@/db/schema';
import type { Viewer } from '@/lib/auth/viewer-type';

// Course scope as SQL, for the WHERE clause of every query that touches course data:
// an admin sees every course, an organizer the courses they run, a cadre those they are in.

/** A condition on a course id column (courses.id, meetings.courseId, reflections.courseId …). */
export function courseVisibleTo(viewer: Viewer, courseIdColumn: SQL.Aliased | Parameters<typeof eq>[0]): SQL {
  if (viewer.role === 'admin') return sql`1 = 1`;
  const db = getDb();
  if (viewer.role === 'organizer') {
    return exists(
      db
        .select({ one: sql`1` })
        .from(courseOrganizers)
        .where(and(eq(courseOrganizers.courseId, courseIdColumn), eq(courseOrganizers.userId, viewer.id))),
    );
  }
  return exists(
    db
      .select({ one: sql`1` })
      .from(courseMembers)
      .where(and(eq(courseMembers.courseId, courseIdColumn), eq(courseMembers.userId, viewer.id))),
  );
}

/** A condition on a course id column: courses this viewer may manage (admin: all; organizer: theirs). */
export function courseManagedBy(viewer: Viewer, courseIdColumn: Parameters<typeof eq>[0]): SQL {
  if (viewer.role === 'admin') return sql`1 = 1`;
  if (viewer.role !== 'organizer') return sql`0 = 1`;
  return exists(
    getDb()
      .select({ one: sql`1` })
      .from(courseOrganizers)
      .where(and(eq(courseOrganizers.courseId, courseIdColumn), eq(courseOrganizers.userId, viewer.id))),
  );
}

/** True when the viewer manages this course. */
export async function managesCourse(viewer: Viewer, courseId: number): Promise<boolean> {
  return !!await getDb()
    .select({ id: courses.id })
    .from(courses)
    .where(and(eq(courses.id, courseId), courseManagedBy(viewer, courses.id)))
    .get();
}

/** The course row when this viewer manages it; notFound() otherwise. Use inside the transaction. */
export async function managedCourseOrNotFound(tx: DB | Tx, viewer: Viewer, courseId: number) {
  const row = await tx
    .select({ id: courses.id, name: courses.name, archived: courses.archived })
    .from(courses)
    .where(and(eq(courses.id, courseId), courseManagedBy(viewer, courses.id)))
    .get();
  if (!row) notFound();
  return row;
}
