import { describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { getDb } from '@/db';
import { auditLog, units } from '@/db/schema';
import type { Viewer } from '@/lib/auth/viewer-type';
import { createUnitSchema, deleteUnitSchema, moveUnitSchema, renameUnitSchema } from '@/lib/validation/units';
import { FORBIDDEN, NOT_FOUND, makeUser, nextDigest, signedIn, useTestDatabase } from '@/test/db';
import {
  createUnit,
  deleteUnit,
  getUnit,
  listUnitOptions,
  listUnitTree,
  moveUnit,
  renameUnit,
  SIBLING_NAME_TAKEN,
  UNIT_MAX_DEPTH,
  unitPathMap,
  unitSubtreeIds,
} from './units';

const req = { ip: '203.0.113.7', userAgent: 'vitest' };

async function addUnit(name: string, parentId: number | null = null): Promise<number> {
  return (await getDb().insert(units).values({ name, parentId }).returning({ id: units.id }).get()).id;
}

/** Everything a unit change could touch, to show that a refused call leaves it as it was. */
async function snapshot() {
  const db = getDb();
  return {
    units: await db.select().from(units).orderBy(asc(units.id)).all(),
    audit: await db.select().from(auditLog).orderBy(asc(auditLog.id)).all(),
  };
}

async function auditRows(action: string) {
  return await getDb().select().from(auditLog).where(eq(auditLog.action, action)).all();
}

/** 樊城区 → 牛首镇 → 长寿岛社区, and 太平店镇 beside 牛首镇. */
async function seedTree() {
  const district = await addUnit('樊城区');
  const town = await addUnit('牛首镇', district);
  const community = await addUnit('长寿岛社区', town);
  const other = await addUnit('太平店镇', district);
  return { district, town, community, other };
}

describe('unit queries refuse everyone but a working admin', () => {
  useTestDatabase();

  const outsiders: [string, () => Viewer | Promise<Viewer>, string][] = [
    ['cadre', async () => await signedIn('cadre'), 'forbidden'],
    ['organizer', async () => await signedIn('organizer'), 'forbidden'],
    ['admin who must change password', async () => await signedIn('admin', { mustChangePassword: true }), 'must_change_password'],
  ];

  for (const [who, make, code] of outsiders) {
    it(`${who}: reads are forbidden`, async () => {
      const { town } = await seedTree();
      const v = await make();
      expect(await nextDigest(async () => await listUnitTree(v))).toBe(FORBIDDEN);
      expect(await nextDigest(async () => await listUnitOptions(v))).toBe(FORBIDDEN);
      expect(await nextDigest(async () => await unitPathMap(v))).toBe(FORBIDDEN);
      expect(await nextDigest(async () => await unitSubtreeIds(v, { id: town }))).toBe(FORBIDDEN);
      expect(await nextDigest(async () => await getUnit(v, { id: town }))).toBe(FORBIDDEN);
    });

    it(`${who}: changes are refused and change nothing`, async () => {
      const { district, town, community, other } = await seedTree();
      const v = await make();
      const before = await snapshot();
      const refused = { ok: false, code };
      expect(await createUnit(v, { name: '新社区', parentId: String(town) }, req)).toMatchObject(refused);
      expect(await renameUnit(v, { id: String(town), name: '改名镇' }, req)).toMatchObject(refused);
      expect(await moveUnit(v, { id: String(community), parentId: String(other) }, req)).toMatchObject(refused);
      expect(await deleteUnit(v, { id: String(community) }, req)).toMatchObject(refused);
      expect(await deleteUnit(v, { id: String(district) }, req)).toMatchObject(refused);
      expect(await snapshot()).toEqual(before);
    });
  }
});

describe('unit tree reads', () => {
  useTestDatabase();

  it('lists the tree parent-first with paths, depths and user counts', async () => {
    const { district, town, community, other } = await seedTree();
    const admin = await signedIn('admin');
    await makeUser('cadre', { unitId: community });
    await makeUser('cadre', { unitId: community });
    await makeUser('organizer', { unitId: town });
    await makeUser('cadre', { unitId: other, active: false });

    const tree = await listUnitTree(admin);
    expect(tree.map((n) => n.path)).toEqual(['樊城区', '樊城区/牛首镇', '樊城区/牛首镇/长寿岛社区', '樊城区/太平店镇']);
    const byId = new Map(tree.map((n) => [n.id, n]));
    expect(byId.get(district)).toMatchObject({ depth: 0, userCount: 0, subtreeUserCount: 4, childCount: 2 });
    expect(byId.get(town)).toMatchObject({ depth: 1, userCount: 1, subtreeUserCount: 3, childCount: 1 });
    expect(byId.get(community)).toMatchObject({ depth: 2, userCount: 2, subtreeUserCount: 2, childCount: 0 });
    expect(byId.get(other)).toMatchObject({ userCount: 1, subtreeUserCount: 1 });

    expect((await listUnitOptions(admin)).map((o) => [o.depth, o.path])).toEqual([
      [0, '樊城区'],
      [1, '樊城区/牛首镇'],
      [2, '樊城区/牛首镇/长寿岛社区'],
      [1, '樊城区/太平店镇'],
    ]);
    expect((await unitPathMap(admin)).get(community)).toBe('樊城区/牛首镇/长寿岛社区');
    expect((await unitSubtreeIds(admin, { id: town })).sort()).toEqual([town, community].sort());
    expect(await unitSubtreeIds(admin, { id: 99999 })).toEqual([]);
  });

  it('getUnit answers 404 for a unit that does not exist', async () => {
    const admin = await signedIn('admin');
    expect(await nextDigest(async () => await getUnit(admin, { id: 424242 }))).toBe(NOT_FOUND);
  });
});

describe('createUnit', () => {
  useTestDatabase();

  it('adds a root and a child unit and audits each', async () => {
    const admin = await signedIn('admin');
    const root = await createUnit(admin, { name: '  樊城区 ', parentId: '' }, req);
    expect(root.ok).toBe(true);
    if (!root.ok) return;
    const child = await createUnit(admin, { name: '牛首镇', parentId: String(root.id) }, req);
    expect(child.ok).toBe(true);
    if (!child.ok) return;
    const row = await getDb().select().from(units).where(eq(units.id, child.id)).get();
    expect(row).toMatchObject({ name: '牛首镇', parentId: root.id });
    const audits = await auditRows('unit.create');
    expect(audits).toHaveLength(2);
    expect(audits[1]).toMatchObject({ actorId: admin.id, targetType: 'unit', targetId: String(child.id), ip: req.ip });
    expect(JSON.parse(audits[1]?.detail ?? '{}')).toMatchObject({ path: '樊城区/牛首镇' });
  });

  it('refuses a sibling with the same name, at the root and below', async () => {
    const admin = await signedIn('admin');
    const { district } = await seedTree();
    const before = await snapshot();
    const rootDup = await createUnit(admin, { name: '樊城区', parentId: '' }, req);
    expect(rootDup).toMatchObject({ ok: false, message: SIBLING_NAME_TAKEN, fieldErrors: { name: [SIBLING_NAME_TAKEN] } });
    const childDup = await createUnit(admin, { name: '牛首镇', parentId: String(district) }, req);
    expect(childDup).toMatchObject({ ok: false, message: SIBLING_NAME_TAKEN });
    expect(await snapshot()).toEqual(before);
    // The same name under another parent is a different unit.
    expect((await createUnit(admin, { name: '牛首镇', parentId: '' }, req)).ok).toBe(true);
  });

  it('refuses bad input and a missing parent without writing anything', async () => {
    const admin = await signedIn('admin');
    await seedTree();
    const before = await snapshot();
    expect(await createUnit(admin, { name: '', parentId: '' }, req)).toMatchObject({ ok: false, code: 'invalid' });
    expect(await createUnit(admin, { name: '   ', parentId: '' }, req)).toMatchObject({ ok: false });
    expect(await createUnit(admin, { name: 'a/b', parentId: '' }, req)).toMatchObject({ ok: false });
    expect(await createUnit(admin, { name: '长'.repeat(61), parentId: '' }, req)).toMatchObject({ ok: false });
    expect(await createUnit(admin, { name: '新单位', parentId: 'abc' }, req)).toMatchObject({ ok: false });
    expect(await createUnit(admin, { name: '新单位', parentId: '99999' }, req)).toMatchObject({
      ok: false,
      fieldErrors: { parentId: ['上级单位不存在'] },
    });
    // Strict schema: unknown fields are refused.
    expect(await createUnit(admin, { name: '新单位', parentId: '', sortOrder: 3 } as never, req)).toMatchObject({ ok: false });
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a tree deeper than the limit', async () => {
    const admin = await signedIn('admin');
    let parent: number | null = null;
    for (let i = 0; i < UNIT_MAX_DEPTH; i++) parent = await addUnit(`第${i}级`, parent);
    const before = await snapshot();
    expect(await createUnit(admin, { name: '太深', parentId: String(parent) }, req)).toMatchObject({ ok: false });
    expect(await snapshot()).toEqual(before);
  });
});

describe('renameUnit', () => {
  useTestDatabase();

  it('renames and audits old → new', async () => {
    const admin = await signedIn('admin');
    const { town } = await seedTree();
    expect(await renameUnit(admin, { id: String(town), name: '牛首镇人民政府' }, req)).toEqual({ ok: true, id: town });
    expect((await getDb().select().from(units).where(eq(units.id, town)).get())?.name).toBe('牛首镇人民政府');
    const [row] = await auditRows('unit.rename');
    expect(JSON.parse(row?.detail ?? '{}')).toEqual({ path: '樊城区/牛首镇', from: '牛首镇', to: '牛首镇人民政府' });
  });

  it('does nothing for the same name, and refuses a sibling name or a missing unit', async () => {
    const admin = await signedIn('admin');
    const { town } = await seedTree();
    const before = await snapshot();
    expect(await renameUnit(admin, { id: String(town), name: '牛首镇' }, req)).toEqual({ ok: true, id: town });
    expect(await renameUnit(admin, { id: String(town), name: '太平店镇' }, req)).toMatchObject({
      ok: false,
      message: SIBLING_NAME_TAKEN,
    });
    expect(await renameUnit(admin, { id: '99999', name: '无名' }, req)).toMatchObject({ ok: false, code: 'not_found' });
    expect(await renameUnit(admin, { id: String(town), name: '' }, req)).toMatchObject({ ok: false, code: 'invalid' });
    expect(await renameUnit(admin, { id: '-1', name: '无名' }, req)).toMatchObject({ ok: false, code: 'invalid' });
    expect(await snapshot()).toEqual(before);
  });
});

describe('moveUnit', () => {
  useTestDatabase();

  it('moves a unit under another parent and to the root, auditing the paths', async () => {
    const admin = await signedIn('admin');
    const { community, other, district } = await seedTree();
    expect(await moveUnit(admin, { id: String(community), parentId: String(other) }, req)).toEqual({ ok: true, id: community });
    expect((await unitPathMap(admin)).get(community)).toBe('樊城区/太平店镇/长寿岛社区');
    const [row] = await auditRows('unit.move');
    expect(JSON.parse(row?.detail ?? '{}')).toEqual({ name: '长寿岛社区', from: '樊城区/牛首镇', to: '樊城区/太平店镇' });

    expect((await moveUnit(admin, { id: String(other), parentId: '' }, req)).ok).toBe(true);
    expect((await unitPathMap(admin)).get(community)).toBe('太平店镇/长寿岛社区');
    expect((await getDb().select().from(units).where(eq(units.id, other)).get())?.parentId).toBeNull();
    expect(await unitSubtreeIds(admin, { id: district })).not.toContain(community);
  });

  it('refuses a move under itself or under its own descendant', async () => {
    const admin = await signedIn('admin');
    const { district, town, community } = await seedTree();
    const before = await snapshot();
    expect(await moveUnit(admin, { id: String(town), parentId: String(town) }, req)).toMatchObject({ ok: false, code: 'cycle' });
    expect(await moveUnit(admin, { id: String(town), parentId: String(community) }, req)).toMatchObject({
      ok: false,
      code: 'cycle',
      fieldErrors: { parentId: ['单位不能移到它自己的下级单位下面'] },
    });
    expect(await moveUnit(admin, { id: String(district), parentId: String(community) }, req)).toMatchObject({
      ok: false,
      code: 'cycle',
    });
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a move that would put two same-named units side by side, or to a missing parent', async () => {
    const admin = await signedIn('admin');
    const { district, community } = await seedTree();
    await addUnit('长寿岛社区', district);
    const before = await snapshot();
    expect(await moveUnit(admin, { id: String(community), parentId: String(district) }, req)).toMatchObject({
      ok: false,
      message: SIBLING_NAME_TAKEN,
      fieldErrors: { parentId: [SIBLING_NAME_TAKEN] },
    });
    expect(await moveUnit(admin, { id: String(community), parentId: '99999' }, req)).toMatchObject({ ok: false });
    expect(await moveUnit(admin, { id: '99999', parentId: '' }, req)).toMatchObject({ ok: false, code: 'not_found' });
    expect(await moveUnit(admin, { id: 'x', parentId: '' }, req)).toMatchObject({ ok: false, code: 'invalid' });
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a move that makes the tree too deep', async () => {
    const admin = await signedIn('admin');
    let parent: number | null = null;
    for (let i = 0; i < UNIT_MAX_DEPTH; i++) parent = await addUnit(`第${i}级`, parent);
    const branch = await addUnit('另一支');
    await addUnit('另一支下级', branch);
    const before = await snapshot();
    expect(await moveUnit(admin, { id: String(branch), parentId: String(parent) }, req)).toMatchObject({ ok: false });
    expect(await snapshot()).toEqual(before);
  });
});

describe('deleteUnit', () => {
  useTestDatabase();

  it('deletes an empty leaf and audits its path', async () => {
    const admin = await signedIn('admin');
    const { other } = await seedTree();
    expect(await deleteUnit(admin, { id: String(other) }, req)).toEqual({ ok: true, id: other });
    expect(await getDb().select().from(units).where(eq(units.id, other)).get()).toBeUndefined();
    const [row] = await auditRows('unit.delete');
    expect(row).toMatchObject({ actorId: admin.id, targetId: String(other) });
    expect(JSON.parse(row?.detail ?? '{}')).toEqual({ path: '樊城区/太平店镇' });
  });

  it('refuses a unit with children, with users (even inactive ones), or that does not exist', async () => {
    const admin = await signedIn('admin');
    const { district, community, other } = await seedTree();
    await makeUser('cadre', { unitId: community, active: false });
    const before = await snapshot();
    const withChildren = await deleteUnit(admin, { id: String(district) }, req);
    expect(withChildren).toMatchObject({ ok: false, code: 'in_use' });
    expect(withChildren.ok ? '' : withChildren.message).toContain('2 个下级单位');
    const withUsers = await deleteUnit(admin, { id: String(community) }, req);
    expect(withUsers).toMatchObject({ ok: false, code: 'in_use' });
    expect(withUsers.ok ? '' : withUsers.message).toContain('1 个账号');
    expect(await deleteUnit(admin, { id: '99999' }, req)).toMatchObject({ ok: false, code: 'not_found' });
    expect(await deleteUnit(admin, { id: '' }, req)).toMatchObject({ ok: false, code: 'invalid' });
    expect(await snapshot()).toEqual(before);
    expect((await deleteUnit(admin, { id: String(other) }, req)).ok).toBe(true);
  });
});

describe('the action path: unit queries take what the action’s schema already parsed', () => {
  useTestDatabase();

  it('createUnit and moveUnit accept a null parent', async () => {
    const admin = await signedIn('admin');
    const { community } = await seedTree();
    const created = await createUnit(admin, createUnitSchema.parse({ name: '襄州区', parentId: '' }), req);
    expect(created.ok).toBe(true);
    expect(await moveUnit(admin, moveUnitSchema.parse({ id: String(community), parentId: '' }), req)).toEqual({ ok: true, id: community });
    expect((await renameUnit(admin, renameUnitSchema.parse({ id: String(community), name: '长寿岛' }), req)).ok).toBe(true);
    expect((await deleteUnit(admin, deleteUnitSchema.parse({ id: String(community) }), req)).ok).toBe(true);
  });
});
