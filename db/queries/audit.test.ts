import { describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { getDb } from '@/db';
import { auditLog, units, users } from '@/db/schema';
import type { Viewer } from '@/lib/auth/viewer-type';
import { makeAuditEntry } from '@/db/factories';
import { FORBIDDEN, makeUser, nextDigest, signedIn, useTestDatabase } from '@/test/db';
import { AUDIT_PAGE_SIZE, listAudit, listAuditForUser } from './audit';

async function addAudit(row: Partial<typeof auditLog.$inferInsert> & { action: string }): Promise<number> {
  return await makeAuditEntry({ actorId: null, actorUsername: null, ...row });
}

async function snapshot() {
  return await getDb().select().from(auditLog).orderBy(asc(auditLog.id)).all();
}

describe('audit reads refuse everyone but a working 审计员 (三员分立)', () => {
  useTestDatabase();

  const outsiders: [string, () => Viewer | Promise<Viewer>][] = [
    ['cadre', async () => await signedIn('cadre')],
    ['organizer', async () => await signedIn('organizer')],
    ['admin', async () => await signedIn('admin')],
    ['auditor who must change password', async () => await signedIn('auditor', { mustChangePassword: true })],
  ];
  for (const [who, make] of outsiders) {
    it(`${who}: forbidden, nothing written`, async () => {
      const v = await make();
      await addAudit({ action: 'login.success', actorId: v.id, actorUsername: v.username });
      const before = await snapshot();
      expect(await nextDigest(async () => await listAudit(v, { page: '1' }))).toBe(FORBIDDEN);
      expect(await nextDigest(async () => await listAuditForUser(v, { userId: v.id }))).toBe(FORBIDDEN);
      expect(await snapshot()).toEqual(before);
    });
  }
});

describe('listAudit', () => {
  useTestDatabase();

  it('pages 50 a page, newest first, with a separate total', async () => {
    const admin = await signedIn('auditor');
    const start = new Date('2026-03-01T00:00:00Z').getTime();
    for (let i = 0; i < 120; i++) await addAudit({ action: 'logout', at: new Date(start + i * 60_000), actorId: admin.id });
    const first = await listAudit(admin, { page: '1' });
    expect(first).toMatchObject({ total: 120, page: 1, pageCount: 3, pageSize: AUDIT_PAGE_SIZE });
    expect(first.items).toHaveLength(50);
    expect(first.items[0]?.at.getTime()).toBe(start + 119 * 60_000);
    const third = await listAudit(admin, { page: '3' });
    expect(third.items).toHaveLength(20);
    expect(third.items.at(-1)?.at.getTime()).toBe(start);
    expect((await listAudit(admin, { page: 'nope' })).page).toBe(1);
  });

  it('filters by the actor’s 账号, also for rows written before a rename and for unknown accounts', async () => {
    const admin = await signedIn('auditor');
    const id = await makeUser('cadre', { username: 'xiadingyang' });
    await addAudit({ action: 'login.success', actorId: id, actorUsername: 'xiadingyang' });
    await addAudit({ action: 'login.failure', actorId: id, actorUsername: 'xdy-old-name' });
    await addAudit({ action: 'login.failure', actorUsername: 'xiadingyang' });
    await addAudit({ action: 'login.failure', actorUsername: 'ghost', detail: JSON.stringify({ reason: 'unknown' }) });
    await addAudit({ action: 'login.success', actorId: admin.id, actorUsername: admin.username });

    expect((await listAudit(admin, { actor: ' XiaDingYang ', page: '1' })).total).toBe(3);
    const ghost = await listAudit(admin, { actor: 'ghost', page: '1' });
    expect(ghost.total).toBe(1);
    expect(ghost.items[0]).toMatchObject({ actorId: null, actorUsername: 'ghost', detail: { reason: 'unknown' } });
    expect((await listAudit(admin, { actor: 'nobody', page: '1' })).total).toBe(0);
    expect((await listAudit(admin, { actor: '', page: '1' })).total).toBe(5);
  });

  it('filters by action, ignoring an action it does not know', async () => {
    const admin = await signedIn('auditor');
    await addAudit({ action: 'login.success' });
    await addAudit({ action: 'login.failure' });
    await addAudit({ action: 'user.create' });
    const only = await listAudit(admin, { action: 'login.failure', page: '1' });
    expect(only.total).toBe(1);
    expect(only.items[0]).toMatchObject({ action: 'login.failure', actionLabel: '登录失败' });
    expect(only.filter).toEqual({ action: 'login.failure' });
    const unknown = await listAudit(admin, { action: "x' or 1=1 --", page: '1' });
    expect(unknown.total).toBe(3);
    expect(unknown.filter).toEqual({});
  });

  it('reads 起始日期 and 结束日期 as whole days in Asia/Shanghai, both included', async () => {
    const admin = await signedIn('auditor');
    // 2026-03-01 in Shanghai runs from 2026-02-28T16:00Z to 2026-03-01T16:00Z.
    await addAudit({ action: 'logout', at: new Date('2026-02-28T15:59:59.999Z') }); // 2月28日 23:59
    const a = await addAudit({ action: 'logout', at: new Date('2026-02-28T16:00:00.000Z') }); // 3月1日 00:00
    const b = await addAudit({ action: 'logout', at: new Date('2026-03-01T15:59:59.999Z') }); // 3月1日 23:59
    const c = await addAudit({ action: 'logout', at: new Date('2026-03-01T16:00:00.000Z') }); // 3月2日 00:00

    const ids = async (f: { from?: string; to?: string }) => (await listAudit(admin, { page: '1', ...f })).items.map((r) => r.id);
    expect(await ids({ from: '2026-03-01', to: '2026-03-01' })).toEqual([b, a]);
    expect(await ids({ from: '2026-03-01' })).toEqual([c, b, a]);
    expect(await ids({ to: '2026-03-01' })).toHaveLength(3);
    expect(await ids({ from: '2026-03-02', to: '2026-03-01' })).toEqual([]);
    // A day that does not exist, or not a date, is ignored.
    expect(await ids({ from: '2026-02-31' })).toHaveLength(4);
    expect(await ids({ from: '20260301' })).toHaveLength(4);
    expect((await listAudit(admin, { page: '1', from: '2026-02-31' })).filter).toEqual({});
  });

  it('names targets that still exist and reads the detail as JSON', async () => {
    const admin = await signedIn('auditor');
    const id = await makeUser('cadre', { username: 'shaoxy', name: '邵晓燕' });
    const unit = (await getDb().insert(units).values({ name: '五角场街道' }).returning({ id: units.id }).get()).id;
    await addAudit({ action: 'user.create', targetType: 'user', targetId: String(id), detail: JSON.stringify({ role: 'cadre' }) });
    await addAudit({ action: 'unit.rename', targetType: 'unit', targetId: String(unit), detail: '{not json' });
    await addAudit({ action: 'unit.delete', targetType: 'unit', targetId: '99999', detail: JSON.stringify({ path: '旧单位' }) });
    await addAudit({ action: 'legacy.thing', targetType: 'course', targetId: '7' });
    const items = (await listAudit(admin, { page: '1' })).items;
    const byAction = new Map(items.map((r) => [r.action, r]));
    expect(byAction.get('user.create')).toMatchObject({ targetLabel: '邵晓燕(shaoxy)', detail: { role: 'cadre' } });
    expect(byAction.get('unit.rename')).toMatchObject({ targetLabel: '五角场街道', detail: '{not json' });
    expect(byAction.get('unit.delete')).toMatchObject({ targetLabel: null, detail: { path: '旧单位' } });
    expect(byAction.get('legacy.thing')).toMatchObject({ actionLabel: 'legacy.thing', targetLabel: null });
  });
});

describe('listAuditForUser', () => {
  useTestDatabase();

  it('merges what the person did with what was done to their account, newest first', async () => {
    const admin = await signedIn('auditor');
    const id = await makeUser('cadre');
    const t = (m: number) => new Date(Date.UTC(2026, 2, 1, 0, m));
    const created = await addAudit({ action: 'user.create', at: t(1), actorId: admin.id, targetType: 'user', targetId: String(id) });
    const signIn = await addAudit({ action: 'login.success', at: t(2), actorId: id });
    const reset = await addAudit({ action: 'password.reset', at: t(3), actorId: admin.id, targetType: 'user', targetId: String(id) });
    // Not theirs: another user's row, and a unit whose id happens to match.
    await addAudit({ action: 'login.success', at: t(4), actorId: admin.id });
    await addAudit({ action: 'unit.create', at: t(5), actorId: admin.id, targetType: 'unit', targetId: String(id) });
    expect((await listAuditForUser(admin, { userId: id })).map((r) => r.id)).toEqual([reset, signIn, created]);
    expect((await listAuditForUser(admin, { userId: id, limit: 2 })).map((r) => r.id)).toEqual([reset, signIn]);
    expect(await listAuditForUser(admin, { userId: 999999 })).toEqual([]);
  });

  it('keeps a user’s rows after they are renamed', async () => {
    const admin = await signedIn('auditor');
    const id = await makeUser('cadre', { username: 'before' });
    await addAudit({ action: 'login.success', actorId: id, actorUsername: 'before' });
    await getDb().update(users).set({ username: 'after' }).where(eq(users.id, id)).run();
    expect(await listAuditForUser(admin, { userId: id })).toHaveLength(1);
    expect((await listAudit(admin, { actor: 'after', page: '1' })).items[0]).toMatchObject({ actorUsername: 'before' });
  });
});
