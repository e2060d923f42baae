import Link from 'next/link';
import type { UnitNodeDto } from '@/db/queries/units';

function Count({ node }: { node: UnitNodeDto }) {
  const label =
    node.childCount > 0 && node.subtreeUserCount !== node.userCount
      ? `直属 ${node.userCount} 人，含下级共 ${node.subtreeUserCount} 人`
      : `${node.userCount} 人`;
  if (node.subtreeUserCount === 0) return <span className="text-sm text-stone-500">0 人</span>;
  return (
    <Link href={`/admin?unitId=${node.id}`} className="text-sm text-stone-600 underline underline-offset-2" title="查看这些账号">
      {label}
    </Link>
  );
}

function Branch({
  parentId,
  byParent,
  selectedId,
  level,
}: {
  parentId: number | null;
  byParent: Map<number | null, UnitNodeDto[]>;
  selectedId: number | null;
  level: number;
}) {
  const nodes = byParent.get(parentId) ?? [];
  if (nodes.length === 0) return null;
  return (
    <ul className={level === 0 ? 'space-y-1' : 'mt-1 space-y-1 border-l border-stone-200 pl-4'}>
      {nodes.map((node) => {
        const selected = node.id === selectedId;
        return (
          <li key={node.id}>
            <div
              className={`flex flex-wrap items-baseline gap-x-3 gap-y-1 rounded-md px-2 py-1.5 ${selected ? 'bg-brand-50 ring-1 ring-brand-600' : ''}`}
            >
              <Link
                href={`/admin/units?unit=${node.id}#unit-panel`}
                aria-current={selected ? 'true' : undefined}
                className="min-h-8 text-base font-medium text-brand-700 underline-offset-2 hover:underline"
              >
                {node.name}
              </Link>
              <Count node={node} />
            </div>
            <Branch parentId={node.id} byParent={byParent} selectedId={selectedId} level={level + 1} />
          </li>
        );
      })}
    </ul>
  );
}

/** The unit tree as nested lists; each name opens that unit's panel. */
export function UnitTree({ nodes, selectedId }: { nodes: UnitNodeDto[]; selectedId: number | null }) {
  if (nodes.length === 0) {
    return <p className="text-stone-700">还没有单位。先添加顶级单位（如某某区），再在它下面添加镇、街道和社区。</p>;
  }
  const byParent = new Map<number | null, UnitNodeDto[]>();
  for (const n of nodes) {
    const list = byParent.get(n.parentId) ?? [];
    list.push(n);
    byParent.set(n.parentId, list);
  }
  return <Branch parentId={null} byParent={byParent} selectedId={selectedId} level={0} />;
}
