import 'server-only';
import { and, desc, eq, inArray, ne } from 'drizzle-orm';
import { notFound } from 'next/navigation';
import type { DB, Tx } from '@/db';
import { actorOf, writeAudit } from '@/db/audit';
import { mutation } from '@/db/mutation';
import { auditLog, bulletinItems, bulletins, reflections, users } from '@/db/schema';
import { fail, type Failure } from '@/lib/action-result';
import { defaultBulletinTitle, DEFAULT_TRANSITION } from '@/lib/bulletin/format';
import { courseIdSchema, saveBulletinSchema } from '@/lib/validation/bulletins';
import { bulletinFieldsOf, editDto, managedBulletin, managedCourse, numberTaken, suggestNumber, todayInShanghai, type BulletinEditDto } from './shared';

// Writing a draft: 新建 gives it the next number; 保存 writes the fields and items in order.

/**
 * A new draft with the next number, the default title, today's date and the course's 编印单位;
 * 报/送/发 and 共印 come from the course's latest issue, since they rarely change between issues.
 */
export const createBulletin = mutation({
  roles: ['organizer', 'admin'],
  schema: courseIdSchema,
  async run(tx, { viewer, request }, { courseId }) {
    const course = await managedCourse(tx, viewer, courseId);
    const number = await suggestNumber(tx, course.id);
    const previous = await tx
      .select({ reportTo: bulletins.reportTo, sendTo: bulletins.sendTo, issueTo: bulletins.issueTo, copies: bulletins.copies })
      .from(bulletins)
      .where(eq(bulletins.courseId, course.id))
      .orderBy(desc(bulletins.number))
      .limit(1)
      .get();
    const id = (await tx
      .insert(bulletins)
      .values({
        courseId: course.id,
        number,
        title: defaultBulletinTitle({ columnName: course.columnName, courseName: course.name, number }),
        issuedOn: todayInShanghai(),
        publisher: course.publisher,
        editor: viewer.name,
        transition: DEFAULT_TRANSITION,
        ...(previous ?? {}),
        createdBy: viewer.id,
      })
      .returning({ id: bulletins.id })
      .get()).id;
    await writeAudit(tx, { ...actorOf(viewer, request), action: 'bulletin.create', targetType: 'bulletin', targetId: id, detail: { courseId, number, tailFrom: previous ? number - 1 : null } });
    return { ok: true as const, id };
  },
});

export type SaveSuccess = { ok: true; revision: number; bulletin: BulletinEditDto };
/** A save refused because another organizer saved first: the current copy comes with it. */
export type StaleSave = Failure & { code: 'stale'; current: BulletinEditDto };
export type SaveResult = SaveSuccess | Failure | StaleSave;

async function lastEditorName(tx: DB | Tx, bulletinId: number): Promise<string | null> {
  const row = await tx
    .select({ name: users.name })
    .from(auditLog)
    .innerJoin(users, eq(users.id, auditLog.actorId))
    .where(and(eq(auditLog.targetType, 'bulletin'), eq(auditLog.targetId, String(bulletinId)), eq(auditLog.action, 'bulletin.save')))
    .orderBy(desc(auditLog.id))
    .limit(1)
    .get();
  return row?.name ?? null;
}

/**
 * Saves the whole draft: fields and items in order. The save names the revision it started
 * from; when another organizer saved in between, nothing is written and the current copy comes
 * back so the screen can offer to reload or keep the typed text. A published bulletin is read-
 * only until 更正 reopens it.
 */
export const saveBulletin = mutation<typeof saveBulletinSchema, SaveSuccess>({
  roles: ['organizer', 'admin'],
  schema: saveBulletinSchema,
  onUniqueViolation: (input) => numberTaken(input.number),
  async run(tx, { viewer, request }, input) {
    const row = await managedBulletin(tx, viewer, input.id);
    if (row.revision !== input.expectedRevision) {
      const stale: StaleSave = {
        ...fail('stale', `这期简报已被${await lastEditorName(tx, row.id) ?? '其他组织者'}修改并保存。你的修改还在页面上，没有丢失；请载入最新内容后再合并，或以你的版本覆盖。`),
        code: 'stale',
        current: await editDto(tx, row),
      };
      return stale;
    }
    if (row.status === 'published') return fail('read_only', '已发布的简报是只读的。要修改，请先点“更正”。');
    const taken = await tx
      .select({ id: bulletins.id })
      .from(bulletins)
      .where(and(eq(bulletins.courseId, row.courseId), eq(bulletins.number, input.number), ne(bulletins.id, row.id)))
      .get();
    if (taken) return numberTaken(input.number);

    const existing = new Map(
      (await tx.select().from(bulletinItems).where(eq(bulletinItems.bulletinId, row.id)).all()).map((i) => [i.id, i]),
    );
    // An item keeps its row (and id) from save to save, so that a save sent before the previous
    // one's answer arrived, or a copy kept over another organizer's, still names rows that exist.
    // An id that is gone (the other organizer removed the item) is added again from its reflection.
    const kept = (i: (typeof input.items)[number]) => (i.id ? existing.get(i.id) : undefined);
    const wanted = input.items.filter((i) => i.reflectionId && !kept(i)).map((i) => i.reflectionId as number);
    const refreshIds = input.items.filter((i) => i.refreshed && i.reflectionId).map((i) => i.reflectionId as number);
    const sourceIds = [...new Set([...wanted, ...refreshIds])];
    const sources = new Map(
      (sourceIds.length
        ? await tx
            .select({
              id: reflections.id,
              revision: reflections.revision,
              authorId: reflections.authorId,
              name: users.name,
              title: users.title,
            })
            .from(reflections)
            .innerJoin(users, eq(users.id, reflections.authorId))
            .where(and(inArray(reflections.id, sourceIds), eq(reflections.courseId, row.courseId), eq(reflections.status, 'approved')))
            .all()
        : []
      ).map((r) => [r.id, r]),
    );
    const keep = new Set<number>();
    const added: (typeof bulletinItems.$inferInsert)[] = [];
    for (const [position, item] of input.items.entries()) {
      const old = kept(item);
      if (old && !keep.has(old.id)) {
        keep.add(old.id);
        const src = item.refreshed && old.reflectionId ? sources.get(old.reflectionId) : undefined;
        await tx.update(bulletinItems)
          .set({ position, heading: item.heading, body: item.body, sourceRevision: src ? src.revision : old.sourceRevision })
          .where(and(eq(bulletinItems.id, old.id), eq(bulletinItems.bulletinId, row.id)))
          .run();
      } else {
        const src = item.reflectionId ? sources.get(item.reflectionId) : undefined;
        if (!src) {
          return item.id
            ? fail('invalid', '有一条发言已被另一位组织者删除，请刷新页面后再保存')
            : fail('invalid', '所选的学习心得已不是“已通过”状态或不属于本读书班，请重新选择');
        }
        added.push({
          bulletinId: row.id,
          position,
          reflectionId: src.id,
          authorId: src.authorId,
          heading: item.heading,
          authorName: src.name,
          authorTitle: src.title,
          body: item.body,
          sourceRevision: src.revision,
        });
      }
    }
    const gone = [...existing.keys()].filter((id) => !keep.has(id));
    if (gone.length) await tx.delete(bulletinItems).where(and(eq(bulletinItems.bulletinId, row.id), inArray(bulletinItems.id, gone))).run();
    if (added.length) await tx.insert(bulletinItems).values(added).run();
    const itemCount = keep.size + added.length;
    const revision = row.revision + 1;
    await tx.update(bulletins)
      .set({
        ...bulletinFieldsOf(input),
        revision,
        updatedAt: new Date(),
      })
      .where(and(eq(bulletins.id, row.id), eq(bulletins.revision, row.revision)))
      .run();
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: 'bulletin.save',
      targetType: 'bulletin',
      targetId: row.id,
      detail: { revision, items: itemCount },
    });
    const fresh = await tx.select().from(bulletins).where(eq(bulletins.id, row.id)).get();
    if (!fresh) notFound();
    return { ok: true, revision, bulletin: await editDto(tx, fresh) };
  },
});
