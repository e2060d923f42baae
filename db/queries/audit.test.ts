import { describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { getDb } from '@/db';
import { auditLog, units, users } from '@/db/schema';
import type { Viewer } from '@/lib/auth/viewer-type';
import { makeAuditEntry } from '@/db/factories';
import { FORBIDDEN, makeUser, nextDigest, signedIn, useTestDatabase } from '@/test/db';
import { AUDIT_PAGE_SIZE, listAudit, listAuditForUser } from './audit';

function addAudit(row: Partial<typeof auditLog.$inferInsert> & { action: string }): number {
  return makeAuditEntry({ actorId: null, actorUsername: null, ...row });
}

function snapshot() {
  return getDb().select().from(auditLog).orderBy(asc(auditLog.id)).all();
}

describe('audit reads refuse everyone but a working 审计员 (三员分立)', () => {
  useTestDatabase();

  const outsiders: [string, () => Viewer][] = [
    ['cadre', () => signedIn('cadre')],
    ['organizer', () => signedIn('organizer')],
    ['admin', () => signedIn('admin')],
    ['auditor who must change password', () => signedIn('auditor', { mustChangePassword: true })],
  ];
  for (const [who, make] of outsiders) {
    it(`${who}: forbidden, nothing written`, () => {
      const v = make();
      addAudit({ action: 'login.success', actorId: v.id, actorUsername: v.username });
      const before = snapshot();
      expect(nextDigest(() => listAudit(v, { page: '1' }))).toBe(FORBIDDEN);
      expect(nextDigest(() => listAuditForUser(v, { userId: v.id }))).toBe(FORBIDDEN);
      expect(snapshot()).toEqual(before);
    });
  }
});

describe('listAudit', () => {
  useTestDatabase();

  it('pages 50 a page, newest first, with a separate total', () => {
    const admin = signedIn('auditor');
    const start = new Date('2026-03-01T00:00:00Z').getTime();
    for (let i = 0; i < 120; i++) addAudit({ action: 'logout', at: new Date(start + i * 60_000), actorId: admin.id });
    const first = listAudit(admin, { page: '1' });
    expect(first).toMatchObject({ total: 120, page: 1, pageCount: 3, pageSize: AUDIT_PAGE_SIZE });
    expect(first.items).toHaveLength(50);
    expect(first.items[0]?.at.getTime()).toBe(start + 119 * 60_000);
    const third = listAudit(admin, { page: '3' });
    expect(third.items).toHaveLength(20);
    expect(third.items.at(-1)?.at.getTime()).toBe(start);
    expect(listAudit(admin, { page: 'nope' }).page).toBe(1);
  });

  it('filters by the actor’s 账号, also for rows written before a rename and for unknown accounts', () => {
    const admin = signedIn('auditor');
    const id = makeUser('cadre', { username: 'xiadingyang' });
    addAudit({ action: 'login.success', actorId: id, actorUsername: 'xiadingyang' });
    addAudit({ action: 'login.failure', actorId: id, actorUsername: 'xdy-old-name' });
    addAudit({ action: 'login.failure', actorUsername: 'xiadingyang' });
    addAudit({ action: 'login.failure', actorUsername: 'ghost', detail: JSON.stringify({ reason: 'unknown' }) });
    addAudit({ action: 'login.success', actorId: admin.id, actorUsername: admin.username });

    expect(listAudit(admin, { actor: ' XiaDingYang ', page: '1' }).total).toBe(3);
    const ghost = listAudit(admin, { actor: 'ghost', page: '1' });
    expect(ghost.total).toBe(1);
    expect(ghost.items[0]).toMatchObject({ actorId: null, actorUsername: 'ghost', detail: { reason: 'unknown' } });
    expect(listAudit(admin, { actor: 'nobody', page: '1' }).total).toBe(0);
    expect(listAudit(admin, { actor: '', page: '1' }).total).toBe(5);
  });

  it('filters by action, ignoring an action it does not know', () => {
    const admin = signedIn('auditor');
    addAudit({ action: 'login.success' });
    addAudit({ action: 'login.failure' });
    addAudit({ action: 'user.create' });
    const only = listAudit(admin, { action: 'login.failure', page: '1' });
    expect(only.total).toBe(1);
    expect(only.items[0]).toMatchObject({ action: 'login.failure', actionLabel: '登录失败' });
    expect(only.filter).toEqual({ action: 'login.failure' });
    const unknown = listAudit(admin, { action: "x' or 1=1 --", page: '1' });
    expect(unknown.total).toBe(3);
    expect(unknown.filter).toEqual({});
  });

  it('reads 起始日期 and 结束日期 as whole days in Asia/Shanghai, both included', () => {
    const admin = signedIn('auditor');
    // 2026-03-01 in Shanghai runs from 2026-02-28T16:00Z to 2026-03-01T16:00Z.
    addAudit({ action: 'logout', at: new Date('2026-02-28T15:59:59.999Z') }); // 2月28日 23:59
    const a = addAudit({ action: 'logout', at: new Date('2026-02-28T16:00:00.000Z') }); // 3月1日 00:00
    const b = addAudit({ action: 'logout', at: new Date('2026-03-01T15:59:59.999Z') }); // 3月1日 23:59
    const c = addAudit({ action: 'logout', at: new Date('2026-03-01T16:00:00.000Z') }); // 3月2日 00:00

    const ids = (f: { from?: string; to?: string }) => listAudit(admin, { page: '1', ...f }).items.map((r) => r.id);
    expect(ids({ from: '2026-03-01', to: '2026-03-01' })).toEqual([b, a]);
    expect(ids({ from: '2026-03-01' })).toEqual([c, b, a]);
    expect(ids({ to: '2026-03-01' })).toHaveLength(3);
    expect(ids({ from: '2026-03-02', to: '2026-03-01' })).toEqual([]);
    // A day that does not exist, or not a date, is ignored.
    expect(ids({ from: '2026-02-31' })).toHaveLength(4);
    expect(ids({ from: '20260301' })).toHaveLength(4);
    expect(listAudit(admin, { page: '1', from: '2026-02-31' }).filter).toEqual({});
  });

  it('names targets that still exist and reads the detail as JSON', () => {
    const admin = signedIn('auditor');
    const id = makeUser('cadre', { username: 'shaoxy', name: '邵晓燕' });
    const unit = getDb().insert(units).values({ name: '五角场街道' }).returning({ id: units.id }).get().id;
    addAudit({ action: 'user.create', targetType: 'user', targetId: String(id), detail: JSON.stringify({ role: 'cadre' }) });
    addAudit({ action: 'unit.rename', targetType: 'unit', targetId: String(unit), detail: '{not json' });
    addAudit({ action: 'unit.delete', targetType: 'unit', targetId: '99999', detail: JSON.stringify({ path: '旧单位' }) });
    addAudit({ action: 'legacy.thing', targetType: 'course', targetId: '7' });
    const items = listAudit(admin, { page: '1' }).items;
    const byAction = new Map(items.map((r) => [r.action, r]));
    expect(byAction.get('user.create')).toMatchObject({ targetLabel: '邵晓燕(shaoxy)', detail: { role: 'cadre' } });
    expect(byAction.get('unit.rename')).toMatchObject({ targetLabel: '五角场街道', detail: '{not json' });
    expect(byAction.get('unit.delete')).toMatchObject({ targetLabel: null, detail: { path: '旧单位' } });
    expect(byAction.get('legacy.thing')).toMatchObject({ actionLabel: 'legacy.thing', targetLabel: null });
  });
});

describe('listAuditForUser', () => {
  useTestDatabase();

  it('merges what the person did with what was done to their account, newest first', () => {
    const admin = signedIn('auditor');
    const id = makeUser('cadre');
    const t = (m: number) => new Date(Date.UTC(2026, 2, 1, 0, m));
    const created = addAudit({ action: 'user.create', at: t(1), actorId: admin.id, targetType: 'user', targetId: String(id) });
    const signIn = addAudit({ action: 'login.success', at: t(2), actorId: id });
    const reset = addAudit({ action: 'password.reset', at: t(3), actorId: admin.id, targetType: 'user', targetId: String(id) });
    // Not theirs: another user's row, and a unit whose id happens to match.
    addAudit({ action: 'login.success', at: t(4), actorId: admin.id });
    addAudit({ action: 'unit.create', at: t(5), actorId: admin.id, targetType: 'unit', targetId: String(id) });
    expect(listAuditForUser(admin, { userId: id }).map((r) => r.id)).toEqual([reset, signIn, created]);
    expect(listAuditForUser(admin, { userId: id, limit: 2 }).map((r) => r.id)).toEqual([reset, signIn]);
    expect(listAuditForUser(admin, { userId: 999999 })).toEqual([]);
  });

  it('keeps a user’s rows after they are renamed', () => {
    const admin = signedIn('auditor');
    const id = makeUser('cadre', { username: 'before' });
    addAudit({ action: 'login.success', actorId: id, actorUsername: 'before' });
    getDb().update(users).set({ username: 'after' }).where(eq(users.id, id)).run();
    expect(listAuditForUser(admin, { userId: id })).toHaveLength(1);
    expect(listAudit(admin, { actor: 'after', page: '1' }).items[0]).toMatchObject({ actorUsername: 'before' });
  });
});
