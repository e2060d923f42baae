import { changesOf } from '@/db';
import 'server-only';
import { and, eq } from 'drizzle-orm';
import { mutation } from '@/db/mutation';
import { reflections } from '@/db/schema';
import { fail } from '@/lib/action-result';
import { normalizeBody, sameContent } from '@/lib/reflection/limits';
import { authorCanEdit, nextStatus } from '@/lib/reflection/state';
import { countChars } from '@/lib/text/char-count';
import { saveDraftSchema } from '@/lib/validation/reflections';
import { indexReflection } from '../search';
import { ASSIGNMENT_NOT_FOUND_MESSAGE, memberAssignment, readingIdsOf } from './access';
import { allowedReadings, conflict, ensureOwnRow, locked, setReadings } from './working-copy';

/**
 * Saves the cadre's working copy (the editor's autosave). The editor names the revision its text
 * started from; when the server's copy has moved on since (another tab, another device) and says
 * something else, nothing is written and both copies go back so that the cadre chooses. Saving
 * the same text again is a no-op that reports the current revision.
 */
export const saveDraft = mutation({
  roles: ['cadre'],
  schema: saveDraftSchema,
  async run(tx, { viewer, request }, input) {
    const now = new Date();
    const body = normalizeBody(input.body);
    const a = await memberAssignment(tx, viewer, input.assignmentId);
    if (!a) return fail('not_found', ASSIGNMENT_NOT_FOUND_MESSAGE);
    const readingIds = await allowedReadings(tx, a, input.readingIds);
    const content = { title: input.title, body, readingIds };

    const { row, created } = await ensureOwnRow(tx, viewer, request, a, { title: input.title, body }, now);
    if (created) {
      await setReadings(tx, row.id, readingIds);
      return { ok: true as const, reflectionId: row.id, revision: row.revision, savedAt: row.updatedAt.getTime(), created: true };
    }
    if (!authorCanEdit(row.status)) return locked(row);
    if (sameContent(content, { title: row.title, body: row.body, readingIds: await readingIdsOf(tx, row.id) })) {
      return { ok: true as const, reflectionId: row.id, revision: row.revision, savedAt: row.updatedAt.getTime(), created: false };
    }
    if (row.revision !== input.baseRevision) return await conflict(tx, row);

    const next = nextStatus(row.status, 'save');
    if (!next) return locked(row);
    const changed = await tx
      .update(reflections)
      .set({ title: input.title, body, charCount: countChars(body), status: next, revision: row.revision + 1, updatedAt: now })
      .where(and(eq(reflections.id, row.id), eq(reflections.revision, row.revision)))
      .run();
    if (changesOf(changed) !== 1) throw new Error('reflection changed inside its own transaction');
    await setReadings(tx, row.id, readingIds);
    await indexReflection(tx, row.id);
    return { ok: true as const, reflectionId: row.id, revision: row.revision + 1, savedAt: now.getTime(), created: false };
  },
});
