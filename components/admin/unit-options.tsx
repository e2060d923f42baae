import type { UnitOptionDto } from '@/db/queries/units';

/** One level of indent per depth, with the full path, so that 牛首镇 under two districts reads apart. */
export function unitOptionLabel(unit: UnitOptionDto): string {
  return `${'\u3000'.repeat(unit.depth)}${unit.path}`;
}

/** The <option>s of a unit select, in tree order. */
export function UnitOptions({ units }: { units: UnitOptionDto[] }) {
  return (
    <>
      {units.map((u) => (
        <option key={u.id} value={String(u.id)}>
          {unitOptionLabel(u)}
        </option>
      ))}
    </>
  );
}

/** A unit option as a short tuple for a client component's props: [id, depth, name]. */
export type PackedUnit = [id: number, depth: number, name: string];

/** The options in tree order, each path cut to its own name (its parent is the nearest unit above it one level up). */
export function packUnits(units: UnitOptionDto[]): PackedUnit[] {
  const paths: string[] = [];
  return units.map((u) => {
    paths[u.depth] = u.path;
    const parent = u.depth > 0 ? paths[u.depth - 1] : undefined;
    return [u.id, u.depth, parent !== undefined && u.path.startsWith(`${parent}/`) ? u.path.slice(parent.length + 1) : u.path];
  });
}

/** packUnits undone: the full paths again. */
export function unpackUnits(packed: PackedUnit[]): UnitOptionDto[] {
  const paths: string[] = [];
  return packed.map(([id, depth, name]) => {
    const parent = depth > 0 ? paths[depth - 1] : undefined;
    const path = parent !== undefined ? `${parent}/${name}` : name;
    paths[depth] = path;
    return { id, depth, path };
  });
}
