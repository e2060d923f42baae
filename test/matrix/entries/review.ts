import { eq } from 'drizzle-orm';
import { getDb } from '@/db';
import { addReflection, twoCourses } from '@/db/queries/courses.fixtures';
import { addCommentBankEntry } from '@/db/queries/comment-bank';
import { createTag, setTagOnReflections } from '@/db/queries/tags';
import { assignments } from '@/db/schema';
import type { MatrixEntry, World } from '../types';

// The review desk: decisions, tags, the 评语库 and reminders. Each changes a course's data, so
// an organizer of the other course (b) is refused everywhere.

const ACTIONS = 'app/(organizer)/review/actions.ts';
const ORGANIZERS: MatrixEntry['roles'] = ['organizer', 'admin'];

function ok<T extends { ok: boolean }>(result: T | { ok: false; message: string }): Extract<T, { ok: true }> {
  if (!result.ok) throw new Error(`matrix setup: ${(result as { message: string }).message}`);
  return result as Extract<T, { ok: true }>;
}

/** Course a with one reflection handed in; b's organizer is the outsider. */
async function desk(status: 'submitted' | 'approved' = 'submitted') {
  const fx = await twoCourses();
  const reflectionId = await addReflection(fx.a, fx.a.memberId, status);
  const world = (input: Record<string, unknown>): World => ({ actor: fx.a.organizer, input, outsiders: [fx.b.organizer] });
  return { ...fx, reflectionId, world };
}

async function tagOf(fx: Awaited<ReturnType<typeof desk>>, name: string): Promise<number> {
  return ok(await createTag(fx.a.organizer, { courseId: fx.a.courseId, name })).id;
}

function entry(name: string, setup: () => World | Promise<World>, file = ACTIONS): MatrixEntry {
  return { file, name, roles: ORGANIZERS, kind: 'form', scope: 'course', setup };
}

export const entries: MatrixEntry[] = [
  entry('decideAction', async () => {
    const fx = await desk();
    // 保存并下一篇: the redirect after the commit looks for the next one still to review.
    return fx.world({ reflectionId: fx.reflectionId, expectedRevision: 1, decision: 'approve', comment: '很好', intent: 'next', filter: '' });
  }),
  entry('setExcellentAction', async () => {
    const fx = await desk('approved');
    return fx.world({ reflectionId: fx.reflectionId, expectedRevision: 1, excellent: 'on' });
  }),
  entry('addNoteAction', async () => {
    const fx = await desk();
    return fx.world({ reflectionId: fx.reflectionId, body: '可选入简报' });
  }),
  entry('createTagAction', async () => {
    const fx = await desk();
    return fx.world({ courseId: fx.a.courseId, name: '基层治理' });
  }),
  entry('renameTagAction', async () => {
    const fx = await desk();
    return fx.world({ tagId: await tagOf(fx, '基层治理'), name: '基层社会治理' });
  }),
  entry('mergeTagsAction', async () => {
    const fx = await desk();
    const fromId = await tagOf(fx, '基层社会治理');
    const intoId = await tagOf(fx, '基层治理');
    ok(await setTagOnReflections(fx.a.organizer, { tagId: fromId, reflectionIds: [fx.reflectionId], op: 'apply' }));
    return fx.world({ fromId, intoId });
  }),
  entry('deleteTagAction', async () => {
    const fx = await desk();
    return fx.world({ tagId: await tagOf(fx, '基层治理') });
  }),
  entry('bulkTagAction', async () => {
    const fx = await desk();
    return fx.world({ tagId: await tagOf(fx, '基层治理'), reflectionIds: [fx.reflectionId], op: 'apply' });
  }),
  entry('applyTagByNameAction', async () => {
    const fx = await desk();
    return fx.world({ reflectionId: fx.reflectionId, name: '三方共治' });
  }),
  entry('removeTagAction', async () => {
    const fx = await desk();
    const tagId = await tagOf(fx, '基层治理');
    ok(await setTagOnReflections(fx.a.organizer, { tagId, reflectionIds: [fx.reflectionId], op: 'apply' }));
    return fx.world({ tagId, reflectionIds: [fx.reflectionId] });
  }),
  entry('addCommentBankAction', async () => {
    const fx = await desk();
    // Shared with course a: the other course's organizer may not put an entry there.
    return fx.world({ body: '观点鲜明，事例具体。', courseId: fx.a.courseId });
  }),
  entry('deleteCommentBankAction', async () => {
    const fx = await desk();
    return fx.world({ id: ok(await addCommentBankEntry(fx.a.organizer, { body: '观点鲜明，事例具体。', courseId: String(fx.a.courseId) })).id });
  }),
  entry(
    'remindMissingAction',
    async () => {
      // Course a's member has handed nothing in, and the assignment is open for another day.
      const { a, b } = await twoCourses();
      await getDb().update(assignments).set({ dueAt: new Date(Date.now() + 86_400_000) }).where(eq(assignments.id, a.assignmentId)).run();
      return { actor: a.organizer, input: { assignmentId: a.assignmentId }, outsiders: [b.organizer] };
    },
    'app/(organizer)/review/tracker/actions.ts',
  ),
];
