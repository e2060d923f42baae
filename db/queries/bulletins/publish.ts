import 'server-only';
import { eq } from 'drizzle-orm';
import { actorOf, writeAudit } from '@/db/audit';
import { mutation } from '@/db/mutation';
import { notify } from '@/db/queries/notifications';
import { indexPublishedBulletin, unindexBulletin } from '@/db/queries/originality';
import { bulletinRevisions, bulletins } from '@/db/schema';
import { fail } from '@/lib/action-result';
import { bulletinIdSchema, publishBulletinSchema, unpublishBulletinSchema } from '@/lib/validation/bulletins';
import { memberIds } from './members';
import { contentOf, editDto, managedBulletin } from './shared';

// Publish, correct, withdraw, delete: a bulletin's life after it is composed.

/**
 * Publishes the draft as revision publishedRevision+1: a JSON snapshot is kept, members are
 * notified, and the bulletin becomes read-only. A correction publishes the next revision and
 * the earlier ones stay readable.
 */
export const publishBulletin = mutation({
  roles: ['organizer', 'admin'],
  schema: publishBulletinSchema,
  async run(tx, { viewer, request }, input) {
    const row = await managedBulletin(tx, viewer, input.id);
    if (row.revision !== input.expectedRevision) return fail('stale', '这期简报在你打开后又被修改过，请刷新页面核对后再发布。');
    if (row.status === 'published') return fail('already_published', '这期简报已经发布。');
    const dto = await editDto(tx, row);
    if (dto.items.length === 0) return fail('empty', '简报里还没有发言，请先加入学习心得。');
    const revisionNo = row.publishedRevision + 1;
    const content = contentOf(dto);
    const now = new Date();
    await tx.insert(bulletinRevisions)
      .values({ bulletinId: row.id, revisionNo, snapshot: JSON.stringify(content), note: input.note ?? '', publishedBy: viewer.id, publishedAt: now })
      .run();
    await tx.update(bulletins)
      .set({ status: 'published', publishedRevision: revisionNo, publishedAt: now, revision: row.revision + 1, updatedAt: now })
      .where(eq(bulletins.id, row.id))
      .run();
    const correction = revisionNo > 1;
    await notify(tx, await memberIds(tx, row.courseId), {
      kind: 'bulletin',
      title: correction ? `简报更正：${row.title}` : `新简报：${row.title}`,
      body: correction ? `第${row.number}期简报已更正${input.note ? `：${input.note}` : ''}` : `${dto.course.name}第${row.number}期简报已发布`,
      link: `/my/bulletins/${row.id}`,
    });
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: 'bulletin.publish',
      targetType: 'bulletin',
      targetId: row.id,
      detail: { courseId: row.courseId, number: row.number, revisionNo, note: input.note ?? '' },
    });
    if (input.wordingKept.length) await writeAudit(tx, { ...actorOf(viewer, request), action: 'bulletin.wordingKept', targetType: 'bulletin', targetId: row.id, detail: { revisionNo, kept: input.wordingKept } });
    await indexPublishedBulletin(tx, row.id);
    return { ok: true as const, id: row.id, revisionNo };
  },
});

/** Reopens a published bulletin for a correction; members keep reading the published revision meanwhile. */
export const startBulletinCorrection = mutation({
  roles: ['organizer', 'admin'],
  schema: bulletinIdSchema,
  async run(tx, { viewer, request }, { id }) {
    const row = await managedBulletin(tx, viewer, id);
    if (row.status !== 'published') return fail('not_published', '只有已发布的简报需要更正。');
    await tx.update(bulletins).set({ status: 'draft', revision: row.revision + 1, updatedAt: new Date() }).where(eq(bulletins.id, row.id)).run();
    await writeAudit(tx, { ...actorOf(viewer, request), action: 'bulletin.correct', targetType: 'bulletin', targetId: row.id, detail: { from: row.publishedRevision } });
    return { ok: true as const, id: row.id };
  },
});

/** Withdraws a published bulletin: members no longer see it; the reason is audited. */
export const unpublishBulletin = mutation({
  roles: ['organizer', 'admin'],
  schema: unpublishBulletinSchema,
  async run(tx, { viewer, request }, { id, reason }) {
    const row = await managedBulletin(tx, viewer, id);
    if (row.publishedRevision === 0 || row.status === 'unpublished') return fail('not_published', '这期简报没有发布，无需撤回。');
    await tx.update(bulletins).set({ status: 'unpublished', revision: row.revision + 1, updatedAt: new Date() }).where(eq(bulletins.id, row.id)).run();
    await unindexBulletin(tx, row.id);
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: 'bulletin.unpublish',
      targetType: 'bulletin',
      targetId: row.id,
      detail: { courseId: row.courseId, number: row.number, reason },
    });
    return { ok: true as const, id: row.id };
  },
});

/** Deletes a draft that was never published (published ones are withdrawn, not deleted). */
export const deleteBulletin = mutation({
  roles: ['organizer', 'admin'],
  schema: bulletinIdSchema,
  async run(tx, { viewer, request }, { id }) {
    const row = await managedBulletin(tx, viewer, id);
    if (row.publishedRevision > 0) return fail('published', '发布过的简报不能删除，可以撤回发布。');
    await tx.delete(bulletins).where(eq(bulletins.id, row.id)).run();
    await writeAudit(tx, { ...actorOf(viewer, request), action: 'bulletin.delete', targetType: 'bulletin', targetId: row.id, detail: { courseId: row.courseId, number: row.number } });
    return { ok: true as const, id: row.id, courseId: row.courseId };
  },
});
