import { describe, expect, it } from 'vitest';
import { getDb } from '@/db';
import { signedIn, useTestDatabase, viewerFor } from '@/test/db';
import { setLargeUi } from './users/large-ui';
import { shellFacts } from './app-shell';
import { markNotificationsRead, notify } from './notifications';

// The header of every signed-in page: 大字模式 and the unread count, each the viewer's own.

describe('shellFacts', () => {
  useTestDatabase();

  it('is the viewer’s own 大字模式 and unread notifications, never another’s', async () => {
    const me = await signedIn('cadre', { largeUi: true });
    const other = await signedIn('organizer');
    // Read with the sign-in row: as they were when the viewer was loaded.
    expect(await shellFacts(me)).toEqual({ largeUi: true, unread: 0 });
    await getDb().transaction(async (tx) => {
      await notify(tx, [me.id], { kind: 'returned', title: '心得被退回修改' });
      await notify(tx, [me.id, other.id], { kind: 'reminder', title: '请尽快提交心得' });
    });
    // The next request loads its viewer afresh.
    expect(await shellFacts(await viewerFor(me.id))).toEqual({ largeUi: true, unread: 2 });
    expect(await shellFacts(await viewerFor(other.id))).toEqual({ largeUi: false, unread: 1 });
    // After a change of their own, the same viewer object reads them again.
    expect(await markNotificationsRead(me, {})).toMatchObject({ ok: true, changed: 2 });
    expect(await shellFacts(me)).toEqual({ largeUi: true, unread: 0 });
    expect(await setLargeUi(me, { largeUi: '0' })).toMatchObject({ ok: true });
    expect(await shellFacts(me)).toEqual({ largeUi: false, unread: 0 });
    expect(await shellFacts(await viewerFor(other.id))).toEqual({ largeUi: false, unread: 1 });
    expect(await shellFacts(await signedIn('admin'))).toEqual({ largeUi: false, unread: 0 });
  });
});
