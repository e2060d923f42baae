import Link from 'next/link';
import type { Figures, StatRow } from '@/db/queries/statistics/course';
import { FIGURE_COLUMNS, figureHref } from '@/lib/statistics/links';

// One breakdown as a table: the same numbers as its chart, every figure a link to the list
// behind it. Rows without a filter of their own (未填单位, 未分组) show plain numbers.

export const COLUMNS = FIGURE_COLUMNS;

export function FigureLink({ href, value, label }: { href: string | null; value: number; label: string }) {
  if (!href) return <>{value}</>;
  return (
    <Link href={href} className="text-brand-700 underline-offset-2 hover:underline print:text-stone-900 print:no-underline" aria-label={`${label} ${value}`}>
      {value}
    </Link>
  );
}

export function StatTable({
  courseId,
  caption,
  head,
  rows,
  columns = COLUMNS,
  totals,
}: {
  courseId: number;
  caption: string;
  head: string;
  rows: StatRow[];
  columns?: typeof COLUMNS;
  totals?: Figures;
}) {
  return (
    <div className="overflow-x-auto rounded-lg border border-stone-200 bg-white print:overflow-visible print:border-0">
      <table className="w-full min-w-[56rem] text-left text-sm tabular-nums print:min-w-0 print:text-xs">
        <caption className="px-3 py-2 text-left text-base font-semibold text-stone-900">{caption}</caption>
        <thead className="bg-stone-50 text-stone-700">
          <tr>
            <th scope="col" className="px-2 py-2">{head}</th>
            {columns.map((c) => (
              <th key={c.key} scope="col" className="whitespace-nowrap px-2 py-2 text-right">{c.label}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const linkable = !r.key.endsWith('-none');
            return (
              <tr key={r.key} className="border-t border-stone-100">
                <th scope="row" className="min-w-[8rem] px-2 py-2 font-normal [overflow-wrap:anywhere]" style={{ paddingLeft: `${0.5 + r.depth * 1.25}rem` }}>
                  {r.label}
                </th>
                {columns.map((c) => (
                  <td key={c.key} className="px-2 py-2 text-right">
                    <FigureLink href={linkable ? figureHref(courseId, c.key, r.scope) : null} value={r.figures[c.key]} label={`${r.label}${c.label}`} />
                  </td>
                ))}
              </tr>
            );
          })}
          {totals ? (
            <tr className="border-t-2 border-stone-300 font-semibold">
              <th scope="row" className="px-2 py-2">全班合计</th>
              {columns.map((c) => (
                <td key={c.key} className="px-2 py-2 text-right">
                  <FigureLink href={figureHref(courseId, c.key, {})} value={totals[c.key]} label={`全班合计${c.label}`} />
                </td>
              ))}
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}

export function Chart({ svg, title }: { svg: string; title: string }) {
  return (
    <figure className="mb-3 rounded-lg border border-stone-200 bg-white p-2 print:break-inside-avoid print:border-0">
      <figcaption className="sr-only">{title}（图中数字见下表）</figcaption>
      <div aria-hidden="true" className="max-w-2xl [&_svg]:h-auto [&_svg]:w-full [&_svg]:max-w-full" dangerouslySetInnerHTML={{ __html: svg }} />
    </figure>
  );
}
