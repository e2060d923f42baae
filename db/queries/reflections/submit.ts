import { changesOf } from '@/db';
import 'server-only';
import { and, eq, sql } from 'drizzle-orm';
import { actorOf, writeAudit } from '@/db/audit';
import { mutation } from '@/db/mutation';
import { reflections, reflectionVersions } from '@/db/schema';
import { fail, type FieldErrors } from '@/lib/action-result';
import { submitClosedReason } from '@/lib/reflection/deadline';
import { charLimitProblem, finalBody, finalTitle, normalizeBody, sameContent } from '@/lib/reflection/limits';
import { authorCanEdit, nextStatus } from '@/lib/reflection/state';
import { countChars } from '@/lib/text/char-count';
import { submitReflectionSchema } from '@/lib/validation/reflections';
import { checkOnSubmit } from '../originality';
import { indexReflection } from '../search';
import { recordQuotes } from '../reading-texts';
import { ASSIGNMENT_NOT_FOUND_MESSAGE, COURSE_ARCHIVED_MESSAGE, memberAssignment, ownReflection, readingIdsOf, readingOptions } from './access';
import { prepared } from './prepared';
import { allowedReadings, conflict, ensureOwnRow, locked, setReadings } from './working-copy';

/** A retry's first answer: the version this submit key made (prepared once, see ./prepared.ts). */
const versionBySubmitKey = () =>
  prepared('version-by-submit-key', (db) =>
    db
      .select()
      .from(reflectionVersions)
      .where(and(eq(reflectionVersions.reflectionId, sql.placeholder('reflectionId')), eq(reflectionVersions.submitKey, sql.placeholder('submitKey'))))
      .prepare(),
  );

/**
 * Submits the reflection as a new version. A retry with the same submitKey (double click, a
 * timeout, a second request in flight) returns the first one's result and writes nothing.
 */
export const submitReflection = mutation({
  roles: ['cadre'],
  schema: submitReflectionSchema,
  async run(tx, { viewer, request }, input) {
    const now = new Date();
    const a = await memberAssignment(tx, viewer, input.assignmentId);
    if (!a) return fail('not_found', ASSIGNMENT_NOT_FOUND_MESSAGE);
    let row = await ownReflection(tx, viewer, a.id);

    if (row) {
      const done = await versionBySubmitKey().get({ reflectionId: row.id, submitKey: input.submitKey });
      if (done) {
        return {
          ok: true as const,
          reflectionId: row.id,
          version: done.version,
          revision: row.revision,
          status: row.status,
          late: done.late,
          submittedAt: done.submittedAt.getTime(),
          repeated: true,
        };
      }
      if (!authorCanEdit(row.status)) return locked(row);
    }

    if (a.courseArchived) return fail('closed', COURSE_ARCHIVED_MESSAGE);
    const closed = submitClosedReason(a, now, row?.status === 'returned');
    if (closed) return fail('closed', closed);

    // Many speeches have no title of their own: the assignment's name stands in for an empty one.
    const title = finalTitle(input.title) || finalTitle(a.title);
    const body = finalBody(input.body);
    const readingIds = await allowedReadings(tx, a, input.readingIds);
    if (row && row.revision !== input.baseRevision) {
      const stored = { title: row.title, body: row.body, readingIds: await readingIdsOf(tx, row.id) };
      const asSent = { title: input.title, body: normalizeBody(input.body), readingIds };
      if (!sameContent(stored, asSent) && !sameContent(stored, { title, body, readingIds })) return await conflict(tx, row);
    }

    const charCount = countChars(body);
    const errors: FieldErrors = {};
    if (!body) errors.body = ['请填写正文'];
    else {
      const problem = charLimitProblem(charCount, a.minChars, a.maxChars);
      if (problem) errors.body = [problem];
    }
    if (!input.declaration) errors.declaration = ['请勾选“本人承诺所交心得为本人撰写”'];
    const problems = Object.values(errors).flatMap((e) => e ?? []);
    if (problems.length > 0) return fail('invalid', `未能提交：${problems.join('；')}`, errors);

    if (!row) row = (await ensureOwnRow(tx, viewer, request, a, { title, body }, now)).row;
    const status = nextStatus(row.status, 'submit');
    if (!status) return locked(row);
    const version = row.versionCount + 1;
    // A resubmission after 退回修改 keeps the reflection's own punctuality: the organizer asked for it.
    const late = row.status === 'returned' ? row.late : now.getTime() > a.dueAt.getTime();

    const changed = await tx
      .update(reflections)
      .set({
        title,
        body,
        charCount,
        status,
        revision: row.revision + 1,
        versionCount: version,
        submittedAt: now,
        late,
        updatedAt: now,
      })
      .where(and(eq(reflections.id, row.id), eq(reflections.revision, row.revision)))
      .run();
    if (changesOf(changed) !== 1) throw new Error('reflection changed inside its own transaction');
    await setReadings(tx, row.id, readingIds);
    const { id: versionId } = await tx
      .insert(reflectionVersions)
      .values({ reflectionId: row.id, version, title, body, charCount, late, submitKey: input.submitKey, submittedAt: now })
      .returning({ id: reflectionVersions.id })
      .get();
    await recordQuotes(tx, { versionId, readingIds: (await readingOptions(tx, a.id, a.meetingId)).map((r) => r.id), body });
    await indexReflection(tx, row.id);
    await checkOnSubmit(tx, { reflectionId: row.id, courseId: row.courseId, versionId });
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: 'reflection.submit',
      targetType: 'reflection',
      targetId: row.id,
      detail: { assignmentId: a.id, version, charCount, late, from: row.status },
    });
    return {
      ok: true as const,
      reflectionId: row.id,
      version,
      revision: row.revision + 1,
      status,
      late,
      submittedAt: now.getTime(),
      repeated: false,
    };
  },
});
