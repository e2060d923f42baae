import { describe, expect, it } from 'vitest';
import { makeAuditEntries, makeSession, unitPath, viewerFor } from '@/db/factories';
import { makeUser, useTestDatabase } from '@/test/db';
import { getMyAccount, unitPathOf } from './account';

// /my's 我的账号 card: its queries are prepared once per connection and run with the viewer's id.

describe('getMyAccount', () => {
  useTestDatabase();

  it('is the viewer’s own account: unit path, recent sign-ins, failures since the previous sign-in', async () => {
    const unitId = await unitPath(['樊城区', '牛首镇']);
    const me = await makeUser('cadre', { name: '王建国', username: 'wangjg', unitId });
    const other = await makeUser('cadre');
    const hour = 3_600_000;
    const now = Date.now();
    await makeSession(me, { createdAt: new Date(now - 3 * hour), ip: '10.0.0.1' });
    await makeSession(me, { createdAt: new Date(now - 2 * hour), ip: '10.0.0.2' });
    await makeSession(other, { createdAt: new Date(now - hour), ip: '10.9.9.9' });
    await makeAuditEntries([
      { actorId: me, actorUsername: 'wangjg', action: 'login.failure', ip: '10.0.0.7', at: new Date(now - 150 * 60_000) },
      { actorId: me, actorUsername: 'wangjg', action: 'login.failure', ip: '10.0.0.7', at: new Date(now - 30 * 60_000) },
      { actorId: me, actorUsername: 'wangjg', action: 'login.failure', ip: '10.0.0.7', at: new Date(now - 20 * 60_000) },
      { actorId: other, actorUsername: 'other', action: 'login.failure', ip: '10.0.0.8', at: new Date(now - 10 * 60_000) },
    ]);
    const viewer = await viewerFor(me);

    const account = await getMyAccount(viewer);
    expect(account).toMatchObject({ name: '王建国', username: 'wangjg', unitPath: '樊城区/牛首镇', failedSinceLastSignIn: 2 });
    expect(account.recentSignIns.map((s) => [s.ip, s.current])).toEqual([
      [null, true],
      ['10.0.0.2', false],
      ['10.0.0.1', false],
    ]);
    // The same prepared queries, another viewer: only their own rows.
    const theirs = await getMyAccount(await viewerFor(other));
    expect(theirs.failedSinceLastSignIn).toBe(1);
    expect(theirs.recentSignIns.map((s) => s.ip)).toEqual([null, '10.9.9.9']);
  });

  it('counts every failure when there is no earlier sign-in, and no unit is an empty path', async () => {
    const me = await makeUser('cadre', { username: 'first' });
    await makeAuditEntries([{ actorId: me, actorUsername: 'first', action: 'login.failure', ip: '10.0.0.7', at: new Date(Date.now() - 86_400_000) }]);
    expect(await getMyAccount(await viewerFor(me))).toMatchObject({ unitPath: '', failedSinceLastSignIn: 1 });
    expect(await unitPathOf(null)).toBe('');
  });
});
