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
