import { inOrder } from '@/lib/in-order';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { getDb } from '@/db';
import { auditLog, authSessions, loginThrottle, units, users } from '@/db/schema';
import { verifyPassword } from '@/lib/auth/password';
import { createUserSchema, setUserActiveSchema, updateUserSchema } from '@/lib/validation/users';
import type { Viewer } from '@/lib/auth/viewer-type';
import { FORBIDDEN, NOT_FOUND, UNUSABLE_HASH, makeUser, nextDigest, signedIn, useTestDatabase, viewerFor } from '@/test/db';
import { loadViewer } from './auth';
import { resetUserPassword, setUserActive } from './users/access';
import { countUsersByRole, getUserDetail, listUsers, USERS_PAGE_SIZE } from './users/read';
import { LAST_ADMIN, ONE_TIME_PASSWORD_DAYS, USERNAME_TAKEN } from './users/shared';
import { createUser, updateUser } from './users/write';

const req = { ip: '198.51.100.4', userAgent: 'vitest' };
const DAY = 24 * 60 * 60 * 1000;

async function addUnit(name: string, parentId: number | null = null): Promise<number> {
  return (await getDb().insert(units).values({ name, parentId }).returning({ id: units.id }).get()).id;
}

async function snapshot() {
  const db = getDb();
  return {
    users: await db.select().from(users).orderBy(asc(users.id)).all(),
    sessions: await db.select().from(authSessions).orderBy(asc(authSessions.id)).all(),
    audit: await db.select().from(auditLog).orderBy(asc(auditLog.id)).all(),
    throttle: await db.select().from(loginThrottle).orderBy(asc(loginThrottle.key)).all(),
  };
}

async function userRow(id: number) {
  const row = await getDb().select().from(users).where(eq(users.id, id)).get();
  if (!row) throw new Error(`no user ${id}`);
  return row;
}

async function auditRows(action: string) {
  return (await getDb()
    .select()
    .from(auditLog)
    .where(eq(auditLog.action, action))
    .orderBy(asc(auditLog.id))
    .all())
    .map((r) => ({ ...r, detail: r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : null }));
}

type CreateInput = Parameters<typeof createUser>[1];
type UpdateInput = Parameters<typeof updateUser>[1];

// Form-shaped input: strings, as a server action receives them. Bad values are cast on purpose.
const fields = (over: Record<string, string> = {}) =>
  ({
    username: 'xiadingyang',
    name: '夏定阳',
    title: '牛首镇委书记、长寿岛国家湿地公园党委书记',
    unitId: '',
    role: 'cadre',
    ...over,
  }) as CreateInput;

const edit = (input: Record<string, unknown>) => input as UpdateInput;

describe('user queries refuse everyone but a working admin', () => {
  useTestDatabase();

  const outsiders: [string, () => Viewer | Promise<Viewer>, string][] = [
    ['cadre', async () => await signedIn('cadre'), 'forbidden'],
    ['organizer', async () => await signedIn('organizer'), 'forbidden'],
    ['admin who must change password', async () => await signedIn('admin', { mustChangePassword: true }), 'must_change_password'],
  ];

  for (const [who, make, code] of outsiders) {
    it(`${who}: every read and change is refused and nothing changes`, async () => {
      const target = await makeUser('cadre');
      await viewerFor(target);
      const v = await make();
      const before = await snapshot();
      expect(await nextDigest(async () => await countUsersByRole(v))).toBe(FORBIDDEN);
      expect(await nextDigest(async () => await listUsers(v, { page: '1' }))).toBe(FORBIDDEN);
      expect(await nextDigest(async () => await getUserDetail(v, { id: target }))).toBe(FORBIDDEN);
      const refused = { ok: false, code };
      expect(await updateUser(v, edit({ ...fields({ role: 'admin' }), id: String(target) }), req)).toMatchObject(refused);
      expect(await setUserActive(v, { id: String(target), active: 'false' }, req)).toMatchObject(refused);
      expect(await setUserActive(v, { id: String(v.id), active: 'true' }, req)).toMatchObject(refused);
      expect(await createUser(v, fields(), req)).toMatchObject(refused);
      expect(await resetUserPassword(v, { id: String(target) }, req)).toMatchObject(refused);
      expect(await snapshot()).toEqual(before);
    });
  }
});

describe('listUsers and countUsersByRole', () => {
  useTestDatabase();

  it('pages 25 at a time with a separate total, by 姓名', async () => {
    const admin = await signedIn('admin', { name: '管理员甲' });
    for (let i = 0; i < 30; i++) await makeUser('cadre', { name: `学员${String(i).padStart(2, '0')}` });
    const first = await listUsers(admin, { q: '学员', page: '1' });
    expect(first).toMatchObject({ total: 30, page: 1, pageCount: 2, pageSize: USERS_PAGE_SIZE });
    expect(first.items).toHaveLength(25);
    expect(first.items[0]?.name).toBe('学员00');
    const second = await listUsers(admin, { q: '学员', page: '2' });
    expect(second.items.map((u) => u.name)).toEqual(['学员25', '学员26', '学员27', '学员28', '学员29']);
    // A page past the end shows the last one, as the review queue does.
    expect(await listUsers(admin, { q: '学员', page: '3' })).toMatchObject({ page: 2, items: second.items });
    expect((await listUsers(admin, { page: '1' })).total).toBe(31);
    // Garbage paging falls back to the first page rather than failing.
    expect((await listUsers(admin, { page: 'abc' })).page).toBe(1);
  });

  it('下一页 and 上一页 show every account once, in 姓名 order, when many share a name', async () => {
    const admin = await signedIn('admin', { name: '管理员' });
    // 70 accounts under three names, made interleaved so that ids and names do not run together.
    const made = await inOrder(Array.from({ length: 70 }), async (_, i) => ({ id: await makeUser('cadre', { name: ['王芳', '李强', '张伟'][i % 3] }), name: ['王芳', '李强', '张伟'][i % 3]! }));
    made.push({ id: admin.id, name: '管理员' });
    const order = made.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : x.id - y.id)).map((m) => m.id);
    const byNumber = [0, 1, 2].map((i) => order.slice(i * USERS_PAGE_SIZE, (i + 1) * USERS_PAGE_SIZE));
    expect(await inOrder(byNumber, async (_, i) => (await listUsers(admin, { page: String(i + 1) })).items.map((u) => u.id))).toEqual(byNumber);
    // Forward by the cursors the 下一页 links carry.
    const seen: number[][] = [];
    let q = await listUsers(admin, { page: '1' });
    seen.push(q.items.map((u) => u.id));
    while (q.nextCursor) {
      q = await listUsers(admin, { page: String(q.page + 1) }, { after: q.nextCursor });
      seen.push(q.items.map((u) => u.id));
    }
    expect(seen).toEqual(byNumber);
    expect(q.page).toBe(3);
    // And back by 上一页's.
    const back: number[][] = [q.items.map((u) => u.id)];
    while (q.prevCursor) {
      q = await listUsers(admin, { page: String(q.page - 1) }, { before: q.prevCursor });
      back.unshift(q.items.map((u) => u.id));
    }
    expect(back).toEqual(byNumber);
    expect(q.page).toBe(1);
    expect(q.total).toBe(71);
  });

  it('matches 账号 or 姓名 anywhere, treating % and _ literally', async () => {
    const admin = await signedIn('admin');
    await makeUser('cadre', { username: 'zeng_jianhui', name: '曾建辉' });
    await makeUser('cadre', { username: 'zengxjianhui', name: '曾小辉' });
    await makeUser('cadre', { username: 'shaoxiaoyan', name: '邵晓燕' });
    await makeUser('cadre', { username: 'pct', name: '百分%号' });
    const names = async (q: string) => (await listUsers(admin, { q, page: '1' })).items.map((u) => u.name);
    expect(await names('建辉')).toEqual(['曾建辉']);
    expect(await names('ZENG')).toEqual(['曾小辉', '曾建辉'].sort());
    expect(await names('zeng_')).toEqual(['曾建辉']);
    expect(await names('%')).toEqual(['百分%号']);
    expect(await names('xiaoyan')).toEqual(['邵晓燕']);
    expect(await names('无此人')).toEqual([]);
  });

  it('filters by role, status and unit (the unit and everything below it)', async () => {
    const admin = await signedIn('admin');
    const district = await addUnit('樊城区');
    const town = await addUnit('牛首镇', district);
    const elsewhere = await addUnit('襄州区');
    const a = await makeUser('cadre', { name: '甲', unitId: town });
    const b = await makeUser('organizer', { name: '乙', unitId: district });
    await makeUser('cadre', { name: '丙', unitId: elsewhere, active: false });
    await makeUser('cadre', { name: '丁', mustChangePassword: true });

    const ids = async (f: Omit<Parameters<typeof listUsers>[1], 'page'>) =>
      (await listUsers(admin, { page: '1', ...f })).items.map((u) => u.id);
    expect((await ids({ unitId: String(district) })).sort()).toEqual([a, b].sort());
    expect(await ids({ unitId: String(town) })).toEqual([a]);
    expect(await ids({ unitId: '99999' })).toEqual([]);
    expect(await ids({ role: 'organizer' })).toEqual([b]);
    expect((await listUsers(admin, { page: '1', status: 'inactive' })).items.map((u) => u.name)).toEqual(['丙']);
    expect(await ids({ status: 'active', role: 'cadre', unitId: String(district) })).toEqual([a]);

    const row = (await listUsers(admin, { page: '1', q: '甲' })).items[0];
    expect(row).toEqual({
      id: a,
      username: expect.any(String) as string,
      name: '甲',
      title: '',
      unitId: expect.any(Number) as number,
      unitPath: '樊城区/牛首镇',
      role: 'cadre',
      active: true,
      mustChangePassword: false,
    });
    expect(row).not.toHaveProperty('passwordHash');
  });

  it('counts accounts by role and status', async () => {
    const admin = await signedIn('admin');
    await makeUser('admin', { active: false });
    await makeUser('organizer');
    await makeUser('cadre');
    await makeUser('cadre', { mustChangePassword: true });
    await makeUser('cadre', { active: false });
    const s = await countUsersByRole(admin);
    expect(s.admin).toEqual({ total: 2, active: 1 });
    expect(s.organizer).toEqual({ total: 1, active: 1 });
    expect(s.cadre).toEqual({ total: 3, active: 2 });
    expect(s).toMatchObject({ total: 6, active: 4, mustChangePassword: 1 });
  });
});

describe('getUserDetail', () => {
  useTestDatabase();

  it('returns the account without its hash, and 404 for an unknown id', async () => {
    const admin = await signedIn('admin');
    const unit = await addUnit('樊城区');
    const id = await makeUser('cadre', { name: '夏定阳', unitId: unit });
    await viewerFor(id);
    const dto = await getUserDetail(admin, { id });
    expect(dto).toMatchObject({ id, name: '夏定阳', unitPath: '樊城区', role: 'cadre', active: true, openSignIns: 1 });
    expect(dto).not.toHaveProperty('passwordHash');
    expect(JSON.stringify(dto)).not.toContain(UNUSABLE_HASH);
    expect(await nextDigest(async () => await getUserDetail(admin, { id: 987654 }))).toBe(NOT_FOUND);
  });
});

/** The kernel reads the clock itself; tests that check expiry fix it (only Date, so argon2 runs). */
function clockAt(now: Date): void {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(now);
}

describe('createUser', () => {
  useTestDatabase();
  afterEach(() => vi.useRealTimers());

  it('creates an account with a one-time password that works, must be changed and expires in 14 days', async () => {
    const admin = await signedIn('admin');
    const unit = await addUnit('牛首镇');
    const now = new Date('2026-03-01T02:00:00Z');
    clockAt(now);
    const result = await createUser(admin, fields({ username: ' XiaDingYang ', unitId: String(unit) }), req);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.password).toMatch(/^[A-Za-z0-9]{12}$/u);
    const row = await userRow(result.id);
    expect(row).toMatchObject({
      username: 'xiadingyang',
      name: '夏定阳',
      title: '牛首镇委书记、长寿岛国家湿地公园党委书记',
      unitId: unit,
      role: 'cadre',
      active: true,
      mustChangePassword: true,
    });
    expect(row.passwordExpiresAt?.getTime()).toBe(now.getTime() + ONE_TIME_PASSWORD_DAYS * DAY);
    expect(result.expiresAt.getTime()).toBe(now.getTime() + 14 * DAY);
    expect(row.passwordHash).not.toContain(result.password);
    expect(await verifyPassword(row.passwordHash, result.password)).toBe(true);

    const [audit] = await auditRows('user.create');
    expect(audit).toMatchObject({ actorId: admin.id, actorUsername: admin.username, targetType: 'user', targetId: String(result.id), ip: req.ip });
    expect(audit?.detail).toMatchObject({ username: 'xiadingyang', role: 'cadre', unit: '牛首镇' });
    const raw = JSON.stringify(await getDb().select().from(auditLog).all());
    expect(raw).not.toContain(result.password);
    expect(raw).not.toContain(row.passwordHash);
  });

  it('refuses a 账号 that exists (whatever its case) with a field error', async () => {
    const admin = await signedIn('admin');
    await makeUser('cadre', { username: 'xiadingyang' });
    const before = await snapshot();
    const result = await createUser(admin, fields({ username: 'XiaDingYang' }), req);
    expect(result).toMatchObject({ ok: false, message: USERNAME_TAKEN, fieldErrors: { username: [USERNAME_TAKEN] } });
    expect(await snapshot()).toEqual(before);
  });

  it('refuses bad input and a missing unit without writing anything', async () => {
    const admin = await signedIn('admin');
    const before = await snapshot();
    const bad = [
      fields({ username: '' }),
      fields({ username: 'a' }),
      fields({ username: '夏定阳' }),
      fields({ username: '-abc' }),
      fields({ name: '' }),
      fields({ name: '名'.repeat(41) }),
      fields({ title: '职'.repeat(201) }),
      fields({ role: 'root' }),
      fields({ unitId: 'abc' }),
      { ...fields(), passwordHash: 'x' },
    ];
    for (const input of bad) {
      const r = await createUser(admin, input as never, req);
      expect(r, JSON.stringify(input)).toMatchObject({ ok: false, code: 'invalid' });
      expect(r.ok ? undefined : r.fieldErrors).toBeTruthy();
    }
    expect(await createUser(admin, fields({ unitId: '99999' }), req)).toMatchObject({
      ok: false,
      fieldErrors: { unitId: ['所选单位不存在'] },
    });
    expect(await snapshot()).toEqual(before);
  });
});

describe('updateUser', () => {
  useTestDatabase();

  it('saves changed fields and audits them old → new, and a role change on its own', async () => {
    const admin = await signedIn('admin');
    const from = await addUnit('樊城区');
    const to = await addUnit('太平店镇', from);
    const id = await makeUser('cadre', { username: 'zengjianhui', name: '曾建辉', title: '镇长', unitId: from });
    const result = await updateUser(
      admin,
      { id: String(id), username: 'zengjh', name: '曾建辉', title: '太平店镇党委副书记、镇长', unitId: String(to), role: 'organizer' },
      req,
    );
    expect(result).toEqual({ ok: true, id, changed: true });
    expect(await userRow(id)).toMatchObject({ username: 'zengjh', title: '太平店镇党委副书记、镇长', unitId: to, role: 'organizer' });

    const [update] = await auditRows('user.update');
    expect(update).toMatchObject({ actorId: admin.id, targetType: 'user', targetId: String(id), ip: req.ip });
    expect(update?.detail).toEqual({
      username: 'zengjh',
      changes: {
        username: { from: 'zengjianhui', to: 'zengjh' },
        title: { from: '镇长', to: '太平店镇党委副书记、镇长' },
        unit: { from: '樊城区', to: '樊城区/太平店镇' },
      },
    });
    const [role] = await auditRows('user.role');
    expect(role?.detail).toEqual({ username: 'zengjh', from: 'cadre', to: 'organizer' });
  });

  it('only a role change writes only a user.role row; no change writes nothing', async () => {
    const admin = await signedIn('admin');
    const id = await makeUser('cadre', { username: 'shaoxy', name: '邵晓燕' });
    const same = { id: String(id), username: 'shaoxy', name: '邵晓燕', title: '', unitId: '', role: 'cadre' };
    const before = await snapshot();
    expect(await updateUser(admin, edit(same), req)).toEqual({ ok: true, id, changed: false });
    expect(await snapshot()).toEqual(before);
    expect(await updateUser(admin, edit({ ...same, role: 'admin' }), req)).toEqual({ ok: true, id, changed: true });
    expect(await auditRows('user.update')).toHaveLength(0);
    expect(await auditRows('user.role')).toHaveLength(1);
  });

  it('refuses a taken 账号, a missing unit, a missing user and bad input without writing', async () => {
    const admin = await signedIn('admin');
    await makeUser('cadre', { username: 'taken' });
    const id = await makeUser('cadre', { username: 'mine' });
    const base = { id: String(id), username: 'mine', name: '某人', title: '', unitId: '', role: 'cadre' };
    const before = await snapshot();
    expect(await updateUser(admin, edit({ ...base, username: 'TAKEN' }), req)).toMatchObject({
      ok: false,
      fieldErrors: { username: [USERNAME_TAKEN] },
    });
    expect(await updateUser(admin, edit({ ...base, unitId: '99999' }), req)).toMatchObject({ ok: false });
    expect(await updateUser(admin, edit({ ...base, id: '99999' }), req)).toMatchObject({ ok: false, code: 'not_found' });
    expect(await updateUser(admin, edit({ ...base, id: 'abc' }), req)).toMatchObject({ ok: false, code: 'invalid' });
    expect(await updateUser(admin, edit({ ...base, name: '' }), req)).toMatchObject({ ok: false, code: 'invalid' });
    expect(await updateUser(admin, edit({ ...base, role: 'superuser' }), req)).toMatchObject({ ok: false, code: 'invalid' });
    expect(await updateUser(admin, edit({ ...base, active: 'on' }) as never, req)).toMatchObject({ ok: false, code: 'invalid' });
    expect(await snapshot()).toEqual(before);
  });

  it('an admin cannot remove their own admin role', async () => {
    const admin = await signedIn('admin', { username: 'boss', name: '管理员' });
    await makeUser('admin');
    const before = await snapshot();
    const r = await updateUser(admin, edit({ id: String(admin.id), username: 'boss', name: '管理员', title: '', unitId: '', role: 'cadre' }), req);
    expect(r).toMatchObject({ ok: false, fieldErrors: { role: ['不能取消自己的管理员角色'] } });
    expect(await snapshot()).toEqual(before);
    // Editing their own other fields is fine.
    expect(
      (await updateUser(admin, edit({ id: String(admin.id), username: 'boss', name: '管理员乙', title: '', unitId: '', role: 'admin' }), req)).ok,
    ).toBe(true);
  });

  it('the last active admin cannot be demoted', async () => {
    const admin = await signedIn('admin');
    const other = await makeUser('admin', { username: 'other', name: '另一位' });
    const inactive = await makeUser('admin', { active: false });
    // Someone has just deactivated the acting admin; `other` is now the only working admin.
    await getDb().update(users).set({ active: false }).where(eq(users.id, admin.id)).run();
    const before = await snapshot();
    const r = await updateUser(admin, edit({ id: String(other), username: 'other', name: '另一位', title: '', unitId: '', role: 'organizer' }), req);
    expect(r).toMatchObject({ ok: false, code: 'last_admin', message: LAST_ADMIN });
    expect(await snapshot()).toEqual(before);
    // An inactive admin is not counted, and demoting one is always allowed.
    const row = await userRow(inactive);
    expect(
      (await updateUser(admin, edit({ id: String(inactive), username: row.username, name: row.name, title: '', unitId: '', role: 'cadre' }), req)).ok,
    ).toBe(true);
  });
});

describe('resetUserPassword', () => {
  useTestDatabase();
  afterEach(() => vi.useRealTimers());

  it('issues a working one-time password, ends every sign-in and lifts a lock', async () => {
    const admin = await signedIn('admin');
    const id = await makeUser('cadre', { username: 'yangfan' });
    const one = await viewerFor(id);
    const two = await viewerFor(id);
    await getDb()
      .insert(loginThrottle)
      .values({ key: 'account:yangfan', failures: 5, windowStartedAt: new Date(), blockedUntil: new Date(Date.now() + 60_000) })
      .run();
    const now = new Date(Date.now() + 60_000);
    clockAt(now);

    const result = await resetUserPassword(admin, { id: String(id) }, req);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(await loadViewer(id, one.sessionId)).toBeNull();
    expect(await loadViewer(id, two.sessionId)).toBeNull();
    expect(await loadViewer(admin.id, admin.sessionId)).not.toBeNull();
    const row = await userRow(id);
    expect(row.mustChangePassword).toBe(true);
    expect(row.passwordExpiresAt?.getTime()).toBe(now.getTime() + 14 * DAY);
    expect(await verifyPassword(row.passwordHash, result.password)).toBe(true);
    expect(await verifyPassword(row.passwordHash, 'wrong-password')).toBe(false);
    expect(await getDb().select().from(loginThrottle).all()).toEqual([]);

    const [audit] = await auditRows('password.reset');
    expect(audit).toMatchObject({ actorId: admin.id, targetType: 'user', targetId: String(id), ip: req.ip });
    expect(JSON.stringify(audit)).not.toContain(result.password);
  });

  it('refuses the admin themself, an unknown user and bad input without writing', async () => {
    const admin = await signedIn('admin');
    const before = await snapshot();
    expect(await resetUserPassword(admin, { id: String(admin.id) }, req)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await resetUserPassword(admin, { id: '99999' }, req)).toMatchObject({ ok: false, code: 'not_found' });
    expect(await resetUserPassword(admin, { id: '0' }, req)).toMatchObject({ ok: false, code: 'invalid' });
    expect(await resetUserPassword(admin, { id: '1', extra: 'x' } as never, req)).toMatchObject({ ok: false, code: 'invalid' });
    expect(await snapshot()).toEqual(before);
    expect(await loadViewer(admin.id, admin.sessionId)).not.toBeNull();
  });
});

describe('setUserActive', () => {
  useTestDatabase();

  it('deactivating ends the sign-ins and is audited; reactivating lets them back', async () => {
    const admin = await signedIn('admin');
    const id = await makeUser('organizer');
    const theirs = await viewerFor(id);
    expect(await setUserActive(admin, { id: String(id), active: 'false' }, req)).toEqual({ ok: true, id, changed: true });
    expect((await userRow(id)).active).toBe(false);
    expect(await loadViewer(id, theirs.sessionId)).toBeNull();
    expect((await getDb().select().from(authSessions).where(eq(authSessions.userId, id)).get())?.revokedAt).not.toBeNull();
    expect((await auditRows('user.deactivate'))[0]).toMatchObject({ actorId: admin.id, targetId: String(id), ip: req.ip });

    // Deactivating again changes nothing.
    const before = await snapshot();
    expect(await setUserActive(admin, { id: String(id), active: 'false' }, req)).toEqual({ ok: true, id, changed: false });
    expect(await snapshot()).toEqual(before);

    expect(await setUserActive(admin, { id: String(id), active: 'true' }, req)).toEqual({ ok: true, id, changed: true });
    expect((await userRow(id)).active).toBe(true);
    expect(await auditRows('user.reactivate')).toHaveLength(1);
    await viewerFor(id);
  });

  it('an admin cannot deactivate themself', async () => {
    const admin = await signedIn('admin');
    await makeUser('admin');
    const before = await snapshot();
    expect(await setUserActive(admin, { id: String(admin.id), active: 'false' }, req)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await snapshot()).toEqual(before);
  });

  it('the last active admin cannot be deactivated', async () => {
    const admin = await signedIn('admin');
    const other = await makeUser('admin');
    await getDb().update(users).set({ active: false }).where(eq(users.id, admin.id)).run();
    const before = await snapshot();
    expect(await setUserActive(admin, { id: String(other), active: 'false' }, req)).toMatchObject({ ok: false, message: LAST_ADMIN });
    expect(await snapshot()).toEqual(before);
  });

  it('another admin can be deactivated while one stays', async () => {
    const admin = await signedIn('admin');
    const other = await makeUser('admin');
    expect((await setUserActive(admin, { id: String(other), active: 'false' }, req)).ok).toBe(true);
  });

  it('refuses unknown users and bad input without writing', async () => {
    const admin = await signedIn('admin');
    const before = await snapshot();
    expect(await setUserActive(admin, { id: '99999', active: 'false' }, req)).toMatchObject({ ok: false, code: 'not_found' });
    expect(await setUserActive(admin, { id: 'x', active: 'false' }, req)).toMatchObject({ ok: false, code: 'invalid' });
    expect(await setUserActive(admin, { id: String(admin.id) } as never, req)).toMatchObject({ ok: false, code: 'invalid' });
    expect(await setUserActive(admin, { id: '1', active: 'maybe' } as never, req)).toMatchObject({ ok: false, code: 'invalid' });
    expect(await snapshot()).toEqual(before);
  });
});

describe('the action path: queries take what the action’s schema already parsed', () => {
  useTestDatabase();

  it('createUser, updateUser and setUserActive accept parsed input (null unit, boolean active)', async () => {
    const admin = await signedIn('admin');
    const created = await createUser(admin, createUserSchema.parse({ ...fields(), unitId: '' }), req);
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    expect((await userRow(created.id)).unitId).toBeNull();
    const dup = await createUser(admin, createUserSchema.parse(fields({ username: 'XIADINGYANG' })), req);
    expect(dup).toMatchObject({ ok: false, message: USERNAME_TAKEN });

    const update = updateUserSchema.parse({ ...fields({ name: '夏定阳乙' }), id: String(created.id) });
    expect(await updateUser(admin, update, req)).toEqual({ ok: true, id: created.id, changed: true });
    const off = setUserActiveSchema.parse({ id: String(created.id), active: 'false' });
    expect(off.active).toBe(false);
    expect(await setUserActive(admin, off, req)).toEqual({ ok: true, id: created.id, changed: true });
    expect(await setUserActive(admin, { id: created.id, active: true }, req)).toEqual({ ok: true, id: created.id, changed: true });
  });
});
