import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { listUnitTree, type UnitNodeDto } from '@/db/queries/units';
import { AppShell, PageTitle } from '@/components/app-shell';
import { firstValues, type SearchParams } from '@/components/admin/search-params';
import { AddUnitForm, DeleteUnitForm, MoveUnitForm, RenameUnitForm } from '@/components/admin/unit-forms';
import { UnitTree } from '@/components/admin/unit-tree';
import { Alert } from '@/components/ui/alert';
import { requireRole } from '@/lib/auth/viewer';
import { idSchema } from '@/lib/validation/common';

export const metadata: Metadata = { title: '单位管理' };

/** A unit id from the URL: absent is fine, anything else that is not a unit is a 404. */
function pickUnit(nodes: UnitNodeDto[], raw: string | undefined): UnitNodeDto | null {
  if (raw === undefined || raw === '') return null;
  const parsed = idSchema.safeParse(raw);
  if (!parsed.success) notFound();
  const node = nodes.find((n) => n.id === parsed.data);
  if (!node) notFound();
  return node;
}

/** The unit and everything below it: where it may not be moved. */
function subtreeOf(nodes: UnitNodeDto[], id: number): Set<number> {
  const out = new Set([id]);
  // Nodes come parent-first, so one pass collects every descendant.
  for (const n of nodes) if (n.parentId !== null && out.has(n.parentId)) out.add(n.id);
  return out;
}

export default async function UnitsPage({ searchParams }: { searchParams: SearchParams }) {
  const viewer = await requireRole('admin');
  const params = firstValues(await searchParams);
  const nodes = await listUnitTree(viewer);
  const selected = pickUnit(nodes, params.unit);
  const addUnder = pickUnit(nodes, params.parent);
  const options = nodes.map((n) => ({ id: n.id, depth: n.depth, path: n.path }));
  const blocked = selected ? subtreeOf(nodes, selected.id) : new Set<number>();
  const moveTargets = options.filter((o) => !blocked.has(o.id));
  const defaultParent = addUnder ? String(addUnder.id) : '';

  return (
    <AppShell viewer={viewer}>
      <PageTitle>单位管理</PageTitle>
      {params.deleted ? (
        <div className="mb-4">
          <Alert kind="success">单位已删除。</Alert>
        </div>
      ) : null}

      <div className="grid gap-5 lg:grid-cols-[3fr_2fr]">
        {selected ? (
          <section
            id="unit-panel"
            aria-labelledby="unit-panel-heading"
            className="space-y-5 rounded-lg border border-stone-200 bg-white p-5 lg:order-2 lg:self-start"
          >
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <h2 id="unit-panel-heading" className="text-lg font-semibold">
                {selected.path}
              </h2>
              <Link href="/admin/units" className="text-sm text-stone-600 underline underline-offset-2">
                关闭
              </Link>
            </div>
            <p className="text-sm text-stone-700">
              直属账号 {selected.userCount} 个，下级单位 {selected.childCount} 个。
              {selected.subtreeUserCount > 0 ? (
                <Link href={`/admin?unitId=${selected.id}`} className="ml-1 text-brand-700 underline underline-offset-2">
                  查看该单位的账号
                </Link>
              ) : null}
              <Link
                href={`/admin/units?unit=${selected.id}&parent=${selected.id}#add-heading`}
                className="ml-3 text-brand-700 underline underline-offset-2"
              >
                在此单位下添加下级单位
              </Link>
            </p>
            <div key={`rename-${selected.id}`}>
              <RenameUnitForm unitId={selected.id} name={selected.name} />
            </div>
            <div key={`move-${selected.id}`} className="border-t border-stone-200 pt-4">
              <MoveUnitForm unitId={selected.id} parentId={selected.parentId} targets={moveTargets} />
            </div>
            <div key={`delete-${selected.id}`} className="border-t border-stone-200 pt-4">
              {selected.childCount > 0 || selected.userCount > 0 ? (
                <p className="mb-2 text-sm text-stone-600">
                  只有没有下级单位、也没有账号的单位才能删除。
                </p>
              ) : null}
              <DeleteUnitForm unitId={selected.id} name={selected.name} />
            </div>
          </section>
        ) : null}

        <div className="space-y-5 lg:order-1">
          <section aria-labelledby="add-heading" className="rounded-lg border border-stone-200 bg-white p-5">
            <h2 id="add-heading" className="mb-4 text-lg font-semibold">
              添加单位
            </h2>
            <AddUnitForm key={defaultParent} units={options} defaultParentId={defaultParent} />
          </section>
          <section aria-labelledby="tree-heading" className="rounded-lg border border-stone-200 bg-white p-5">
            <h2 id="tree-heading" className="mb-3 text-lg font-semibold">
              单位结构
            </h2>
            <p className="mb-3 text-sm text-stone-600">点单位名称可以重命名、移动或删除它。</p>
            <UnitTree nodes={nodes} selectedId={selected?.id ?? null} />
          </section>
        </div>
      </div>
    </AppShell>
  );
}
