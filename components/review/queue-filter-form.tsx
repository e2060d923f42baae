'use client';

import css from './queue-filters.module.css';

// The queue's filter form, rendered from its values and choices alone: as a client component's
// props the choices (200 courses, every unit) travel once, as [value, label] pairs, where a server
// component's <select>s would travel twice, in the HTML and again as elements in the page's
// payload (issue 15). It is a plain GET form: it works before (and without) the scripts, and the
// URL is the filter, so it can be bookmarked and carried to the detail page.

export type Choice = [value: number | string, label: string];

/** The form's selects in order: [id, label, name, chosen value ('' for none), first option, choices]. */
export type FilterSelect = [id: string, label: string, name: string, value: string, empty: string, options: Choice[]];

export function QueueFilterForm({
  state,
  selects,
  ticks,
  children,
}: {
  /** The chip's state, kept by 筛选 ('' for 待审阅). */
  state: string;
  selects: FilterSelect[];
  /** 只看逾期 / 只看优秀 / 疑似雷同: [name, label, ticked]. */
  ticks: [name: string, label: string, on: boolean][];
  /** The filters only the statistics' links set, when active (server-rendered). */
  children?: React.ReactNode;
}) {
  return (
    <form method="get" action="/review" role="search" aria-label="筛选心得" className={css.form}>
      {state ? <input type="hidden" name="state" value={state} /> : null}
      <div className={css.grid}>
        {selects.map(([id, label, name, value, empty, options]) => (
          <div key={id}>
            <label htmlFor={id}>{label}</label>
            <select id={id} name={name} defaultValue={value}>
              <option value="">{empty}</option>
              {options.map(([v, l]) => (
                <option key={v} value={v}>
                  {l}
                </option>
              ))}
            </select>
          </div>
        ))}
        <div className={css.ticks}>
          {ticks.map(([name, label, on]) => (
            <label key={name}>
              <input type="checkbox" name={name} value="1" defaultChecked={on} />
              {label}
            </label>
          ))}
        </div>
      </div>
      {children}
      <div className={css.buttons}>
        <button type="submit" className="inline-flex min-h-11 items-center justify-center gap-1 rounded-md bg-brand-600 px-4 py-2 text-base font-medium text-white transition-colors hover:bg-brand-700">
          筛选
        </button>
        {/* eslint-disable-next-line @next/next/no-html-link-for-pages -- a plain link: every arrival loads the page (issue 15) */}
        <a href="/review" className="inline-flex min-h-11 items-center justify-center gap-1 rounded-md border border-stone-300 bg-white px-4 py-2 text-base font-medium text-stone-800 transition-colors hover:bg-stone-100">
          清除筛选
        </a>
      </div>
    </form>
  );
}
