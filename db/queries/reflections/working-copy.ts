import 'server-only';
import { eq } from 'drizzle-orm';
import type { Tx } from '@/db';
import { actorOf, writeAudit } from '@/db/audit';
import { reflectionReadings, reflections, type Reflection, type ReflectionStatus } from '@/db/schema';
import type { Failure } from '@/lib/action-result';
import type { Viewer } from '@/lib/auth/viewer-type';
import { sortedIds } from '@/lib/reflection/limits';
import type { RequestInfo } from '@/lib/request';
import { countChars } from '@/lib/text/char-count';
import { lockedMessage, ownReflection, readingIdsOf, readingOptions } from './access';

// What saving and submitting share: the cadre's own row (made on first use), its readings, and
// the two refusals the editor acts on — a conflict with the server's copy, and a locked status.

/** The copy on the server, sent back when the editor's base revision is stale. */
export interface ServerCopy {
  title: string;
  body: string;
  readingIds: number[];
  charCount: number;
  revision: number;
  status: ReflectionStatus;
  /** ms since the epoch */
  updatedAt: number;
}

export type ConflictFailure = Failure & { code: 'conflict'; server: ServerCopy };
export type LockedFailure = Failure & { code: 'locked'; status: ReflectionStatus };

export const CONFLICT_MESSAGE = '这篇心得已在别处（另一个窗口或设备）修改过，请选择保留哪一份';

export async function conflict(tx: Tx, row: Reflection): Promise<ConflictFailure> {
  return {
    ok: false,
    code: 'conflict',
    message: CONFLICT_MESSAGE,
    server: {
      title: row.title,
      body: row.body,
      readingIds: await readingIdsOf(tx, row.id),
      charCount: row.charCount,
      revision: row.revision,
      status: row.status,
      updatedAt: row.updatedAt.getTime(),
    },
  };
}

export function locked(row: Reflection): LockedFailure {
  return { ok: false, code: 'locked', message: lockedMessage(row), status: row.status };
}

export async function setReadings(tx: Tx, reflectionId: number, readingIds: number[]): Promise<void> {
  await tx.delete(reflectionReadings).where(eq(reflectionReadings.reflectionId, reflectionId)).run();
  if (readingIds.length > 0) {
    await tx.insert(reflectionReadings)
      .values(readingIds.map((readingId) => ({ reflectionId, readingId })))
      .run();
  }
}

/** Only readings the assignment offers; one an organizer has since removed is quietly dropped. */
export async function allowedReadings(tx: Tx, a: { id: number; meetingId: number }, wanted: number[]): Promise<number[]> {
  const allowed = new Set((await readingOptions(tx, a.id, a.meetingId)).map((r) => r.id));
  return sortedIds(wanted.filter((id) => allowed.has(id)));
}

/**
 * The cadre's row for this assignment, made (as an empty draft) when there is none. Two
 * requests racing to make it both end with the one row: the loser re-reads the winner's.
 */
export async function ensureOwnRow(
  tx: Tx,
  viewer: Viewer,
  request: RequestInfo,
  a: { id: number; courseId: number },
  initial: { title: string; body: string },
  now: Date,
): Promise<{ row: Reflection; created: boolean }> {
  const existing = await ownReflection(tx, viewer, a.id);
  if (existing) return { row: existing, created: false };
  const inserted = await tx
    .insert(reflections)
    .values({
      assignmentId: a.id,
      courseId: a.courseId,
      authorId: viewer.id,
      title: initial.title,
      body: initial.body,
      charCount: countChars(initial.body),
      status: 'draft',
      revision: 1,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing()
    .returning()
    .get();
  if (inserted) {
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: 'reflection.create',
      targetType: 'reflection',
      targetId: inserted.id,
      detail: { assignmentId: a.id },
    });
    return { row: inserted, created: true };
  }
  const winner = await ownReflection(tx, viewer, a.id);
  if (!winner) throw new Error('reflection row vanished while being created');
  return { row: winner, created: false };
}
