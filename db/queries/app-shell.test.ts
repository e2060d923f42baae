import { describe, expect, it } from 'vitest';
import { getDb } from '@/db';
import { signedIn, useTestDatabase } from '@/test/db';
import { shellFacts } from './app-shell';
import { markNotificationsRead, notify } from './notifications';

// The header of every signed-in page: 大字模式 and the unread count, each the viewer's own.

describe('shellFacts', () => {
  useTestDatabase();

  it('is the viewer’s own 大字模式 and unread notifications, never another’s', async () => {
    const me = await signedIn('cadre', { largeUi: true });
    const other = await signedIn('organizer');
    await getDb().transaction(async (tx) => {
      await notify(tx, [me.id], { kind: 'returned', title: '心得被退回修改' });
      await notify(tx, [me.id, other.id], { kind: 'reminder', title: '请尽快提交心得' });
    });
    expect(await shellFacts(me)).toEqual({ largeUi: true, unread: 2 });
    expect(await shellFacts(other)).toEqual({ largeUi: false, unread: 1 });
    expect(await markNotificationsRead(me, {})).toMatchObject({ ok: true, changed: 2 });
    expect(await shellFacts(me)).toEqual({ largeUi: true, unread: 0 });
    expect(await shellFacts(other)).toEqual({ largeUi: false, unread: 1 });
    expect(await shellFacts(await signedIn('admin'))).toEqual({ largeUi: false, unread: 0 });
  });
});
