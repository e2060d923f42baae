import { changesOf } from '@/db';
import 'server-only';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Tx } from '@/db';
import { actorOf, writeAudit } from '@/db/audit';
import { mutation } from '@/db/mutation';
import { notify } from '@/db/queries/notifications';
import { reflectionComments, reflections, users, type ReflectionStatus } from '@/db/schema';
import { fail, type Failure } from '@/lib/action-result';
import { nextStatus, refusalMessage } from '@/lib/reflection/state';
import { decideSchema, internalNoteSchema, setExcellentSchema } from '@/lib/validation/review';
import { reviewableReflection, type Reader, type ScopedRow } from './scope';

// The decisions on one reflection: 通过 or 退回修改, 优秀, and internal notes. A decision or 优秀
// based on a revision that has since moved on changes nothing and reports the current state, so
// that two organizers never overwrite each other unseen.

export interface CurrentState {
  status: ReflectionStatus;
  revision: number;
  excellent: boolean;
  lastDecision: { decision: 'approve' | 'return'; body: string; authorName: string | null; createdAt: Date } | null;
}

export type StaleFailure = Failure & { code: 'stale'; current: CurrentState };
export type ReviewChange = { ok: true; status: ReflectionStatus; revision: number; excellent: boolean };

export const STALE_MESSAGE = '这篇心得刚被其他人处理过';

const ORGANIZERS = ['organizer', 'admin'] as const;

async function currentState(tx: Reader, row: ScopedRow): Promise<CurrentState> {
  const last = await tx
    .select({
      decision: reflectionComments.decision,
      body: reflectionComments.body,
      authorName: users.name,
      createdAt: reflectionComments.createdAt,
    })
    .from(reflectionComments)
    .leftJoin(users, eq(users.id, reflectionComments.authorId))
    .where(and(eq(reflectionComments.reflectionId, row.id), sql`${reflectionComments.decision} is not null`))
    .orderBy(desc(reflectionComments.createdAt), desc(reflectionComments.id))
    .limit(1)
    .get();
  return {
    status: row.status,
    revision: row.revision,
    excellent: row.excellent,
    lastDecision: last?.decision ? { decision: last.decision, body: last.body, authorName: last.authorName, createdAt: last.createdAt } : null,
  };
}

/** The page needs what now stands to show it; the kernel and the adapters pass the extra field through. */
async function stale(tx: Reader, row: ScopedRow): Promise<StaleFailure> {
  return { ok: false, code: 'stale', message: STALE_MESSAGE, current: await currentState(tx, row) };
}

/** Moves the revision on from the one the change was based on; the WHERE makes a lost race loud. */
async function bump(tx: Tx, row: ScopedRow, set: Partial<typeof reflections.$inferInsert>): Promise<number> {
  const changed = await tx
    .update(reflections)
    .set({ ...set, revision: row.revision + 1 })
    .where(and(eq(reflections.id, row.id), eq(reflections.revision, row.revision)))
    .run();
  if (changesOf(changed) !== 1) throw new Error('reflection changed inside its own transaction');
  return row.revision + 1;
}

/** 通过 or 退回修改, with its comments, the author's notification and the audit row. */
export const decideReflection = mutation({
  roles: ORGANIZERS,
  schema: decideSchema,
  async run(tx, { viewer, request }, input): Promise<ReviewChange | Failure> {
    const row = await reviewableReflection(tx, viewer, input.reflectionId);
    if (row.revision !== input.expectedRevision) return await stale(tx, row);
    const next = nextStatus(row.status, input.decision);
    if (!next) return fail('not_allowed', refusalMessage(row.status, input.decision));
    const excellent = input.decision === 'approve' ? input.excellent : false;
    const revision = await bump(tx, row, { status: next, excellent });
    await tx.insert(reflectionComments)
      .values({ reflectionId: row.id, authorId: viewer.id, decision: input.decision, body: input.comment, internal: false, version: row.versionCount })
      .run();
    if (input.internalNote) {
      await tx.insert(reflectionComments)
        .values({ reflectionId: row.id, authorId: viewer.id, decision: null, body: input.internalNote, internal: true, version: row.versionCount })
        .run();
    }
    const link = `/my/assignments/${row.assignmentId}`;
    if (input.decision === 'return') {
      await notify(tx, [row.authorId], { kind: 'returned', title: '心得被退回修改', body: input.comment, link });
    } else {
      await notify(tx, [row.authorId], { kind: 'approved', title: '心得已通过', body: input.comment, link });
    }
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: input.decision === 'approve' ? 'reflection.approve' : 'reflection.return',
      targetType: 'reflection',
      targetId: row.id,
      detail: { version: row.versionCount, from: row.status, to: next, excellent, internalNote: input.internalNote.length > 0 },
    });
    return { ok: true, status: next, revision, excellent };
  },
});

/** 优秀: only an approved reflection can carry it; taking it off is always possible. */
export const setReflectionExcellent = mutation({
  roles: ORGANIZERS,
  schema: setExcellentSchema,
  async run(tx, { viewer, request }, input): Promise<ReviewChange | Failure> {
    const row = await reviewableReflection(tx, viewer, input.reflectionId);
    if (row.revision !== input.expectedRevision) return await stale(tx, row);
    if (input.excellent && row.status !== 'approved') return fail('not_allowed', '通过之后才能标为优秀');
    if (row.excellent === input.excellent) return { ok: true, status: row.status, revision: row.revision, excellent: row.excellent };
    const revision = await bump(tx, row, { excellent: input.excellent });
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: 'reflection.excellent',
      targetType: 'reflection',
      targetId: row.id,
      detail: { excellent: input.excellent },
    });
    return { ok: true, status: row.status, revision, excellent: input.excellent };
  },
});

/**
 * An internal note: organizers of the course read it; the cadre never does. Notes are only ever
 * added, never overwrite anything, so they neither check nor bump the reflection's revision —
 * which the cadre's editor also checks, and must not see move for a note it cannot read.
 */
export const addInternalNote = mutation({
  roles: ORGANIZERS,
  schema: internalNoteSchema,
  async run(tx, { viewer, request }, input): Promise<ReviewChange> {
    const row = await reviewableReflection(tx, viewer, input.reflectionId);
    await tx.insert(reflectionComments)
      .values({ reflectionId: row.id, authorId: viewer.id, decision: null, body: input.body, internal: true, version: row.versionCount })
      .run();
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: 'reflection.note',
      targetType: 'reflection',
      targetId: row.id,
      detail: { version: row.versionCount, length: input.body.length },
    });
    return { ok: true, status: row.status, revision: row.revision, excellent: row.excellent };
  },
});
