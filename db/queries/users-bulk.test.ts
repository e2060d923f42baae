import { asc, eq, ne } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/db';
import type { RequestInfo } from '@/lib/request';
import type { Viewer } from '@/lib/auth/viewer-type';
import { bulkChangeUsers } from '@/db/queries/users/bulk';
import { listUsersForExport } from '@/db/queries/users/read';
import { LAST_ADMIN } from '@/db/queries/users/shared';
import { auditLog, authSessions, units, users } from '@/db/schema';
import { bulkActionSchema } from '@/lib/validation/bulk-users';
import { FORBIDDEN, makeUser, nextDigest, signedIn, useTestDatabase, viewerFor } from '@/test/db';

const REQ = { ip: '10.0.0.9', userAgent: 'vitest' };

// The one bulk mutation, one op at a time.
type Ids = { ids: number[] };
const bulkDeactivateUsers = async (v: Viewer, input: Ids, req: RequestInfo) => await bulkChangeUsers(v, { op: 'deactivate', ...input }, req);
const bulkMoveUsers = async (v: Viewer, input: Ids & { unitId: number | null }, req: RequestInfo) =>
  await bulkChangeUsers(v, { op: 'move', ...input }, req);
const bulkSetRole = async (v: Viewer, input: Ids & { role: 'admin' | 'organizer' | 'cadre' }, req: RequestInfo) =>
  await bulkChangeUsers(v, { op: 'role', ...input }, req);

async function addUnit(name: string, parentId: number | null = null): Promise<number> {
  return (await getDb().insert(units).values({ name, parentId }).returning({ id: units.id }).get()).id;
}

async function snapshot() {
  const db = getDb();
  return {
    users: await db.select().from(users).orderBy(asc(users.id)).all(),
    sessions: await db.select().from(authSessions).orderBy(asc(authSessions.id)).all(),
    audit: await db.select().from(auditLog).orderBy(asc(auditLog.id)).all(),
  };
}

describe('bulk actions on accounts', () => {
  useTestDatabase();

  it('deactivates the ticked people at once, ends their sign-ins, and audits each', async () => {
    const admin = await signedIn('admin');
    const a = await makeUser('cadre');
    const b = await makeUser('cadre');
    const off = await makeUser('cadre', { active: false });
    const bystander = await makeUser('cadre');
    await viewerFor(a);
    const r = await bulkDeactivateUsers(admin, { ids: [a, b, off] }, REQ);
    expect(r).toEqual({ ok: true, affected: 2, unchanged: 1 });
    const s = await snapshot();
    expect(s.users.filter((u) => !u.active).map((u) => u.id).sort()).toEqual([a, b, off].sort());
    expect(s.users.find((u) => u.id === bystander)?.active).toBe(true);
    expect(s.sessions.filter((x) => x.userId === a).every((x) => x.revokedAt !== null)).toBe(true);
    const rows = s.audit.filter((x) => x.action === 'user.deactivate');
    expect(rows.map((x) => Number(x.targetId)).sort()).toEqual([a, b].sort());
    expect(JSON.parse(rows[0]?.detail ?? '{}')).toMatchObject({ bulk: 2 });
  });

  it('never deactivates or demotes the admin themself or the last active admin, and then changes nobody', async () => {
    const admin = await signedIn('admin');
    const other = await makeUser('admin');
    const c = await makeUser('cadre');
    const before = await snapshot();
    expect(await bulkDeactivateUsers(admin, { ids: [c, admin.id] }, REQ)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await bulkSetRole(admin, { ids: [c, admin.id], role: 'cadre' }, REQ)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await snapshot()).toEqual(before);
    // Ticking oneself is harmless when one's own role would not change.
    expect(await bulkSetRole(admin, { ids: [admin.id, c], role: 'admin' }, REQ)).toEqual({ ok: true, affected: 1, unchanged: 1 });
    // With `other` demoted the viewer is still an admin, so that is allowed …
    expect(await bulkSetRole(admin, { ids: [other], role: 'organizer' }, REQ)).toMatchObject({ ok: true, affected: 1 });

    // … but the last active admin stays one. (The viewer's own row is made inactive here to get
    // there; the viewer object is still an admin for the kernel's role check, and the database is what counts.)
    const lone = await makeUser('admin');
    await getDb().update(users).set({ active: false }).where(ne(users.id, lone)).run();
    const stillAdmin = admin;
    const mid = await snapshot();
    expect(await bulkDeactivateUsers(stillAdmin, { ids: [lone] }, REQ)).toEqual({ ok: false, code: 'last_admin', message: LAST_ADMIN, fieldErrors: undefined });
    expect(await bulkSetRole(stillAdmin, { ids: [lone], role: 'cadre' }, REQ)).toMatchObject({ ok: false, code: 'last_admin' });
    expect(await snapshot()).toEqual(mid);
  });

  it('moves people to a unit (or out of every unit) and records from → to', async () => {
    const admin = await signedIn('admin');
    const fancheng = await addUnit('樊城区');
    const niushou = await addUnit('牛首镇', fancheng);
    const a = await makeUser('cadre', { unitId: fancheng });
    const b = await makeUser('cadre', { unitId: niushou });
    expect(await bulkMoveUsers(admin, { ids: [a, b], unitId: niushou }, REQ)).toEqual({ ok: true, affected: 1, unchanged: 1 });
    expect((await getDb().select({ unitId: users.unitId }).from(users).where(eq(users.id, a)).get())?.unitId).toBe(niushou);
    const row = await getDb().select().from(auditLog).where(eq(auditLog.action, 'user.update')).get();
    expect(JSON.parse(row?.detail ?? '{}')).toMatchObject({ changes: { unit: { from: '樊城区', to: '樊城区/牛首镇' } } });
    expect(await bulkMoveUsers(admin, { ids: [a, b], unitId: null }, REQ)).toMatchObject({ ok: true, affected: 2 });
    const before = await snapshot();
    expect(await bulkMoveUsers(admin, { ids: [a], unitId: 99999 }, REQ)).toMatchObject({ ok: false, code: 'invalid' });
    expect(await bulkMoveUsers(admin, { ids: [a, 99999], unitId: niushou }, REQ)).toMatchObject({ ok: false, code: 'not_found' });
    expect(await snapshot()).toEqual(before);
  });

  it('changes roles and writes one user.role row per person changed', async () => {
    const admin = await signedIn('admin');
    const a = await makeUser('cadre');
    const b = await makeUser('organizer');
    expect(await bulkSetRole(admin, { ids: [a, b], role: 'organizer' }, REQ)).toEqual({ ok: true, affected: 1, unchanged: 1 });
    const rows = await getDb().select().from(auditLog).where(eq(auditLog.action, 'user.role')).all();
    expect(rows.map((r) => JSON.parse(r.detail ?? '{}') as unknown)).toEqual([{ username: expect.any(String), from: 'cadre', to: 'organizer', bulk: 1 }]);
  });

  it('refuses other roles and bad input, changing nothing', async () => {
    const a = await makeUser('cadre');
    const viewers = [await signedIn('organizer'), await signedIn('cadre'), await signedIn('admin', { mustChangePassword: true })];
    const admin = await signedIn('admin');
    const before = await snapshot();
    for (const v of viewers) {
      const refused = { ok: false, code: v.mustChangePassword ? 'must_change_password' : 'forbidden' };
      expect(await bulkDeactivateUsers(v, { ids: [a] }, REQ)).toMatchObject(refused);
      expect(await bulkMoveUsers(v, { ids: [a], unitId: null }, REQ)).toMatchObject(refused);
      expect(await bulkSetRole(v, { ids: [a], role: 'admin' }, REQ)).toMatchObject(refused);
      expect(await nextDigest(async () => await listUsersForExport(v, { page: 1 }))).toBe(FORBIDDEN);
    }
    expect(await bulkDeactivateUsers(admin, { ids: [] }, REQ)).toMatchObject({ ok: false, message: '请检查输入：请先勾选要操作的账号' });
    expect(await bulkSetRole(admin, { ids: [a], role: 'boss' as 'admin' }, REQ)).toMatchObject({ ok: false, code: 'invalid' });
    expect(await snapshot()).toEqual(before);
  });

  it('parses the form: ticked ids as strings, 无单位 as none, and only the fields of the chosen action', () => {
    expect(bulkActionSchema.parse({ op: 'move', ids: ['3', '4', '3'], unitId: 'none' })).toEqual({ op: 'move', ids: [3, 4], unitId: null });
    expect(bulkActionSchema.parse({ op: 'move', ids: '3', unitId: '7' })).toEqual({ op: 'move', ids: [3], unitId: 7 });
    expect(bulkActionSchema.safeParse({ op: 'move', ids: ['3'], unitId: '' }).success).toBe(false);
    expect(bulkActionSchema.safeParse({ op: 'deactivate', ids: ['3'], role: 'admin' }).success).toBe(false);
    expect(bulkActionSchema.safeParse({ op: 'delete', ids: ['3'] }).success).toBe(false);
    expect(bulkActionSchema.safeParse({ op: 'role', ids: Array.from({ length: 501 }, (_, i) => String(i + 1)), role: 'cadre' }).success).toBe(false);
  });
});
