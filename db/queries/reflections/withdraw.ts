import { changesOf } from '@/db';
import 'server-only';
import { and, eq } from 'drizzle-orm';
import { actorOf, writeAudit } from '@/db/audit';
import { mutation } from '@/db/mutation';
import { reflectionComments, reflections } from '@/db/schema';
import { fail } from '@/lib/action-result';
import { submitClosedReason } from '@/lib/reflection/deadline';
import { nextStatus } from '@/lib/reflection/state';
import { withdrawReflectionSchema } from '@/lib/validation/reflections';
import { indexReflection } from '../search';
import { ASSIGNMENT_NOT_FOUND_MESSAGE, COURSE_ARCHIVED_MESSAGE, memberAssignment, ownReflection } from './access';

export const WITHDRAW_DECIDED_MESSAGE = '组织者已经审阅了这篇心得，不能再撤回';

/**
 * 撤回: the author takes a submitted reflection back to fix it while nobody has decided on it.
 * The versions stay (they are what was handed in); the working copy becomes editable again.
 * The decision race is settled by the UPDATE itself: it only changes a row that is still
 * 'submitted' at the revision read, so an approval or return that commits first wins.
 */
export const withdrawReflection = mutation({
  roles: ['cadre'],
  schema: withdrawReflectionSchema,
  async run(tx, { viewer, request }, input) {
    const now = new Date();
    const a = await memberAssignment(tx, viewer, input.assignmentId);
    if (!a) return fail('not_found', ASSIGNMENT_NOT_FOUND_MESSAGE);
    const row = await ownReflection(tx, viewer, a.id);
    if (!row) return fail('not_found', '还没有提交过这篇心得');
    if (row.status === 'approved' || row.status === 'returned') return fail('locked', WITHDRAW_DECIDED_MESSAGE);
    if (!nextStatus(row.status, 'withdraw')) return fail('locked', '这篇心得还没有提交，无需撤回');
    if (a.courseArchived) return fail('closed', COURSE_ARCHIVED_MESSAGE);

    // After an earlier 退回修改 the organizer has asked for a new version: it goes back to that
    // state, which may be resubmitted after the deadline. Otherwise it is a draft again, and a
    // draft can only be handed in while the assignment is open, so a withdrawal that could
    // never be resubmitted is refused.
    const wasReturned = !!await tx
      .select({ id: reflectionComments.id })
      .from(reflectionComments)
      .where(and(eq(reflectionComments.reflectionId, row.id), eq(reflectionComments.decision, 'return')))
      .get();
    if (!wasReturned) {
      const closed = submitClosedReason(a, now, false);
      if (closed) return fail('closed', `${closed}；撤回后无法再提交，所以不能撤回`);
    }
    const status = wasReturned ? 'returned' : 'draft';

    const changed = await tx
      .update(reflections)
      .set({ status, revision: row.revision + 1, submittedAt: wasReturned ? row.submittedAt : null, updatedAt: now })
      .where(and(eq(reflections.id, row.id), eq(reflections.status, 'submitted'), eq(reflections.revision, row.revision)))
      .run();
    if (changesOf(changed) !== 1) return fail('locked', WITHDRAW_DECIDED_MESSAGE);
    await indexReflection(tx, row.id);
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: 'reflection.withdraw',
      targetType: 'reflection',
      targetId: row.id,
      detail: { assignmentId: a.id, version: row.versionCount, to: status },
    });
    return { ok: true as const, reflectionId: row.id, revision: row.revision + 1, status, version: row.versionCount };
  },
});
