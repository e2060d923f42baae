import { describe, expect, it } from 'vitest';
import { getDb } from '@/db';
import { notifications } from '@/db/schema';
import { signedIn, useTestDatabase } from '@/test/db';
import { countUnreadNotifications, listMyNotifications, markNotificationsRead, notify } from './notifications';

describe('notifications', () => {
  useTestDatabase();

  it('are each person’s own: counted, listed and marked read only for the viewer', async () => {
    const a = await signedIn('cadre');
    const b = await signedIn('cadre');
    await getDb().transaction(async (tx) => {
      await notify(tx, [a.id], { kind: 'returned', title: '心得被退回修改', body: '请补充具体举措', link: '/my/assignments/1' });
      await notify(tx, [a.id, b.id], { kind: 'reminder', title: '请尽快提交心得' });
    });
    expect(await countUnreadNotifications(a)).toBe(2);
    expect(await countUnreadNotifications(b)).toBe(1);
    expect((await listMyNotifications(b)).items.map((n) => n.title)).toEqual(['请尽快提交心得']);

    const bOwn = (await listMyNotifications(b)).items[0]?.id as number;
    const aIds = (await listMyNotifications(a)).items.map((n) => n.id);
    // b cannot mark a's notifications read by naming their ids.
    for (const id of aIds) expect(await markNotificationsRead(b, { id })).toMatchObject({ ok: true, changed: 0 });
    expect(await countUnreadNotifications(a)).toBe(2);
    expect(await markNotificationsRead(b, { id: bOwn })).toMatchObject({ ok: true, changed: 1 });
    expect(await markNotificationsRead(a, {})).toMatchObject({ ok: true, changed: 2 });
    expect(await countUnreadNotifications(a)).toBe(0);
    expect(await getDb().select().from(notifications).all()).toHaveLength(3);
  });

  it('are written only when the surrounding transaction commits', async () => {
    const a = await signedIn('cadre');
    await expect(
      getDb().transaction(async (tx) => {
        await notify(tx, [a.id], { kind: 'approved', title: '心得已通过' });
        throw new Error('the decision failed');
      }),
    ).rejects.toThrow('the decision failed');
    expect(await countUnreadNotifications(a)).toBe(0);
  });
});
