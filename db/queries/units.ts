import 'server-only';
import { and, count, eq, isNotNull, isNull, ne } from 'drizzle-orm';
import { notFound } from 'next/navigation';
import { getDb, type DB, type Tx } from '@/db';
import { units, users } from '@/db/schema';
import { fail, type Failure } from '@/lib/action-result';
import { actorOf, writeAudit } from '@/db/audit';
import { constraintCode, mutation } from '@/db/mutation';
import { assertRole } from '@/lib/auth/guard';
import type { Viewer } from '@/lib/auth/viewer-type';
import {
  createUnitSchema,
  deleteUnitSchema,
  moveUnitSchema,
  renameUnitSchema,
} from '@/lib/validation/units';

/** 区 → 镇/街道 → 社区 needs three; the margin leaves room for 片区 and 网格 without inviting a maze. */
export const UNIT_MAX_DEPTH = 8;

export const SIBLING_NAME_TAKEN = '同级已有同名单位';

export interface UnitNodeDto {
  id: number;
  name: string;
  parentId: number | null;
  depth: number;
  /** 樊城区/牛首镇 */
  path: string;
  /** Accounts placed directly in this unit. */
  userCount: number;
  /** Accounts in this unit and every unit below it. */
  subtreeUserCount: number;
  childCount: number;
}

export interface UnitOptionDto {
  id: number;
  depth: number;
  path: string;
}

type UnitRow = { id: number; name: string; parentId: number | null; sortOrder: number };

const collator = new Intl.Collator('zh-CN');

async function readUnits(db: DB | Tx): Promise<UnitRow[]> {
  return await db
    .select({ id: units.id, name: units.name, parentId: units.parentId, sortOrder: units.sortOrder })
    .from(units)
    .all();
}

interface Tree {
  byId: Map<number, UnitRow>;
  children: Map<number | null, UnitRow[]>;
}

function treeOf(rows: UnitRow[]): Tree {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const children = new Map<number | null, UnitRow[]>();
  for (const r of rows) {
    // A parent that does not exist cannot happen under the foreign key; treat it as a root anyway.
    const key = r.parentId !== null && byId.has(r.parentId) ? r.parentId : null;
    const list = children.get(key) ?? [];
    list.push(r);
    children.set(key, list);
  }
  for (const list of children.values()) {
    list.sort((a, b) => a.sortOrder - b.sortOrder || collator.compare(a.name, b.name) || a.id - b.id);
  }
  return { byId, children };
}

/** Units in display order (each parent before its children), with depth and full path. */
function walk(tree: Tree): { row: UnitRow; depth: number; path: string }[] {
  const out: { row: UnitRow; depth: number; path: string }[] = [];
  const visit = (parentId: number | null, depth: number, prefix: string, seen: Set<number>) => {
    for (const row of tree.children.get(parentId) ?? []) {
      if (seen.has(row.id)) continue;
      seen.add(row.id);
      const path = prefix ? `${prefix}/${row.name}` : row.name;
      out.push({ row, depth, path });
      visit(row.id, depth + 1, path, seen);
    }
  };
  visit(null, 0, '', new Set());
  return out;
}

function pathOf(tree: Tree, id: number): string {
  const names: string[] = [];
  let cur = tree.byId.get(id);
  for (let guard = 0; cur && guard < 64; guard++) {
    names.unshift(cur.name);
    cur = cur.parentId === null ? undefined : tree.byId.get(cur.parentId);
  }
  return names.join('/');
}

/** The unit itself and every unit below it. */
function subtreeIds(tree: Tree, id: number): Set<number> {
  const out = new Set<number>();
  const stack = [id];
  while (stack.length) {
    const cur = stack.pop() as number;
    if (out.has(cur)) continue;
    out.add(cur);
    for (const child of tree.children.get(cur) ?? []) stack.push(child.id);
  }
  return out;
}

/** Levels below a unit, counting the unit itself as 1. */
function heightOf(tree: Tree, id: number): number {
  let best = 0;
  const visit = (cur: number, level: number) => {
    if (level > 64) return;
    best = Math.max(best, level);
    for (const child of tree.children.get(cur) ?? []) visit(child.id, level + 1);
  };
  visit(id, 1);
  return best;
}

function depthOf(tree: Tree, id: number | null): number {
  let depth = 0;
  let cur = id === null ? undefined : tree.byId.get(id);
  while (cur && depth < 64) {
    depth += 1;
    cur = cur.parentId === null ? undefined : tree.byId.get(cur.parentId);
  }
  return depth;
}

async function siblingTaken(tx: Tx, parentId: number | null, name: string, exceptId?: number): Promise<boolean> {
  const row = await tx
    .select({ id: units.id })
    .from(units)
    .where(
      and(
        parentId === null ? isNull(units.parentId) : eq(units.parentId, parentId),
        eq(units.name, name),
        exceptId === undefined ? undefined : ne(units.id, exceptId),
      ),
    )
    .get();
  return !!row;
}

function nameTaken(field: 'name' | 'parentId'): Failure {
  return fail('conflict', SIBLING_NAME_TAKEN, { [field]: [SIBLING_NAME_TAKEN] });
}

// ---------------------------------------------------------------------------------------------
// Reads

/** The whole unit tree in display order, with how many accounts each unit holds. */
export async function listUnitTree(viewer: Viewer): Promise<UnitNodeDto[]> {
  assertRole(viewer, 'admin');
  const db = getDb();
  const tree = treeOf(await readUnits(db));
  const direct = new Map<number, number>();
  for (const r of await db
    .select({ unitId: users.unitId, n: count() })
    .from(users)
    .where(isNotNull(users.unitId))
    .groupBy(users.unitId)
    .all()) {
    if (r.unitId !== null) direct.set(r.unitId, r.n);
  }
  const ordered = walk(tree);
  const subtotal = new Map<number, number>();
  // Children come after their parent in `ordered`, so walking it backwards sums bottom-up.
  for (let i = ordered.length - 1; i >= 0; i--) {
    const { row } = ordered[i] as (typeof ordered)[number];
    const own = (direct.get(row.id) ?? 0) + (subtotal.get(row.id) ?? 0);
    subtotal.set(row.id, own);
    if (row.parentId !== null) subtotal.set(row.parentId, (subtotal.get(row.parentId) ?? 0) + own);
  }
  return ordered.map(({ row, depth, path }) => ({
    id: row.id,
    name: row.name,
    parentId: row.parentId,
    depth,
    path,
    userCount: direct.get(row.id) ?? 0,
    subtreeUserCount: subtotal.get(row.id) ?? 0,
    childCount: tree.children.get(row.id)?.length ?? 0,
  }));
}

/** Units for a select, in tree order, each with its full path. */
export async function listUnitOptions(viewer: Viewer): Promise<UnitOptionDto[]> {
  assertRole(viewer, 'admin');
  return walk(treeOf(await readUnits(getDb()))).map(({ row, depth, path }) => ({ id: row.id, depth, path }));
}

/** Full path of every unit, keyed by id. */
export async function unitPathMap(viewer: Viewer): Promise<Map<number, string>> {
  assertRole(viewer, 'admin');
  return new Map(walk(treeOf(await readUnits(getDb()))).map(({ row, path }) => [row.id, path]));
}

/** The ids of a unit and all units below it (for "everyone in 樊城区"); empty when it does not exist. */
export async function unitSubtreeIds(viewer: Viewer, { id }: { id: number }): Promise<number[]> {
  assertRole(viewer, 'admin');
  const tree = treeOf(await readUnits(getDb()));
  if (!tree.byId.has(id)) return [];
  return [...subtreeIds(tree, id)];
}

/** One unit with its counts; 404 when it does not exist. */
export async function getUnit(viewer: Viewer, { id }: { id: number }): Promise<UnitNodeDto> {
  assertRole(viewer, 'admin');
  const node = (await listUnitTree(viewer)).find((n) => n.id === id);
  if (!node) notFound();
  return node;
}

// ---------------------------------------------------------------------------------------------
// Changes

export const createUnit = mutation({
  roles: ['admin'],
  schema: createUnitSchema,
  onUniqueViolation: () => nameTaken('name'),
  async run(tx, { viewer, request }, { name, parentId }) {
    const tree = treeOf(await readUnits(tx));
    if (parentId !== null && !tree.byId.has(parentId)) {
      return fail('invalid', '上级单位不存在', { parentId: ['上级单位不存在'] });
    }
    if (depthOf(tree, parentId) + 1 > UNIT_MAX_DEPTH) {
      const message = `单位最多 ${UNIT_MAX_DEPTH} 级`;
      return fail('invalid', message, { parentId: [message] });
    }
    if (await siblingTaken(tx, parentId, name)) return nameTaken('name');
    const row = await tx.insert(units).values({ name, parentId }).returning({ id: units.id }).get();
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: 'unit.create',
      targetType: 'unit',
      targetId: row.id,
      detail: { name, parentId, path: parentId === null ? name : `${pathOf(tree, parentId)}/${name}` },
    });
    return { ok: true as const, id: row.id };
  },
});

export const renameUnit = mutation({
  roles: ['admin'],
  schema: renameUnitSchema,
  onUniqueViolation: () => nameTaken('name'),
  async run(tx, { viewer, request }, { id, name }) {
    const tree = treeOf(await readUnits(tx));
    const unit = tree.byId.get(id);
    if (!unit) return fail('not_found', '单位不存在');
    if (unit.name === name) return { ok: true as const, id };
    if (await siblingTaken(tx, unit.parentId, name, id)) return nameTaken('name');
    await tx.update(units).set({ name }).where(eq(units.id, id)).run();
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: 'unit.rename',
      targetType: 'unit',
      targetId: id,
      detail: { path: pathOf(tree, id), from: unit.name, to: name },
    });
    return { ok: true as const, id };
  },
});

export const moveUnit = mutation({
  roles: ['admin'],
  schema: moveUnitSchema,
  onUniqueViolation: () => nameTaken('parentId'),
  async run(tx, { viewer, request }, { id, parentId }) {
    const tree = treeOf(await readUnits(tx));
    const unit = tree.byId.get(id);
    if (!unit) return fail('not_found', '单位不存在');
    if (parentId !== null && !tree.byId.has(parentId)) {
      return fail('invalid', '上级单位不存在', { parentId: ['上级单位不存在'] });
    }
    if (parentId === id) {
      const message = '单位不能移到它自己下面';
      return fail('cycle', message, { parentId: [message] });
    }
    if (parentId !== null && subtreeIds(tree, id).has(parentId)) {
      const message = '单位不能移到它自己的下级单位下面';
      return fail('cycle', message, { parentId: [message] });
    }
    if (unit.parentId === parentId) return { ok: true as const, id };
    if (depthOf(tree, parentId) + heightOf(tree, id) > UNIT_MAX_DEPTH) {
      const message = `移动后层级超过 ${UNIT_MAX_DEPTH} 级`;
      return fail('invalid', message, { parentId: [message] });
    }
    if (await siblingTaken(tx, parentId, unit.name, id)) return nameTaken('parentId');
    await tx.update(units).set({ parentId }).where(eq(units.id, id)).run();
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: 'unit.move',
      targetType: 'unit',
      targetId: id,
      detail: {
        name: unit.name,
        from: unit.parentId === null ? null : pathOf(tree, unit.parentId),
        to: parentId === null ? null : pathOf(tree, parentId),
      },
    });
    return { ok: true as const, id };
  },
});

export const deleteUnit = mutation({
  roles: ['admin'],
  schema: deleteUnitSchema,
  async run(tx, { viewer, request }, { id }) {
    const tree = treeOf(await readUnits(tx));
    const unit = tree.byId.get(id);
    if (!unit) return fail('not_found', '单位不存在');
    const children = tree.children.get(id)?.length ?? 0;
    if (children > 0) {
      return fail('in_use', `“${unit.name}”下面还有 ${children} 个下级单位，请先删除或移走它们`);
    }
    const people = (await tx.select({ n: count() }).from(users).where(eq(users.unitId, id)).get())?.n ?? 0;
    if (people > 0) {
      return fail('in_use', `“${unit.name}”还有 ${people} 个账号（含已停用的），请先把他们调到其他单位`);
    }
    const path = pathOf(tree, id);
    try {
      await tx.delete(units).where(eq(units.id, id)).run();
    } catch (e) {
      // Other tables (读书班 and the like) may point at a unit; the foreign key keeps it.
      if (constraintCode(e) === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
        return fail('in_use', '这个单位仍被其他记录（如读书班）引用，不能删除');
      }
      throw e;
    }
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: 'unit.delete',
      targetType: 'unit',
      targetId: id,
      detail: { path },
    });
    return { ok: true as const, id };
  },
});
