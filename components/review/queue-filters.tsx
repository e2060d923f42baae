import Link from 'next/link';
import { OptionList } from './option-list';
import { QueueExtraFilters } from '@/components/statistics/queue-extra-filters';
import type { QueueFilterOptions, StateCounts } from '@/db/queries/review/queue';
import { buttonClass } from '@/components/ui/button-class';
import { inputClass } from '@/components/ui/field';
import { filterToParams, type ReviewFilter } from '@/lib/validation/review';

// The queue's filter: a plain GET form (works without scripts, and the URL is the filter, so it
// can be bookmarked and carried to the detail page), and the state chips with their counts.

function Select({
  id,
  label,
  name,
  value,
  options,
  empty,
}: {
  id: string;
  label: string;
  name: string;
  value: number | string | undefined;
  options: { id: number | string; name: string }[];
  empty: string;
}) {
  return (
    <div className="min-w-0 space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-stone-800">
        {label}
      </label>
      <select id={id} name={name} defaultValue={value === undefined ? '' : String(value)} className={inputClass}>
        <option value="">{empty}</option>
        <OptionList options={options.map((o): [number | string, string] => [o.id, o.name])} />
      </select>
    </div>
  );
}

const STATES: { value: ReviewFilter['state']; label: string }[] = [
  { value: 'submitted', label: '待审阅' },
  { value: 'returned', label: '退回修改' },
  { value: 'approved', label: '已通过' },
  { value: 'all', label: '全部' },
];

export function StateChips({ filter, counts }: { filter: ReviewFilter; counts: StateCounts }) {
  return (
    <nav aria-label="按状态" className="flex flex-wrap gap-2">
      {STATES.map((s) => {
        const params = new URLSearchParams(filterToParams({ ...filter, state: s.value }));
        const active = filter.state === s.value;
        return (
          <Link
            key={s.value}
            href={`/review${params.size ? `?${params.toString()}` : ''}`}
            aria-current={active ? 'page' : undefined}
            className={`inline-flex min-h-11 items-center gap-2 rounded-full border px-4 py-1.5 text-base ${
              active ? 'border-brand-600 bg-brand-600 text-white' : 'border-stone-300 bg-white text-stone-800 hover:bg-stone-100'
            }`}
          >
            {s.label}
            <span className={`rounded-full px-2 text-sm tabular-nums ${active ? 'bg-white/20' : 'bg-stone-100'}`}>{counts[s.value]}</span>
          </Link>
        );
      })}
    </nav>
  );
}

export function QueueFilters({ filter, options }: { filter: ReviewFilter; options: QueueFilterOptions }) {
  const courseChosen = !!filter.course || options.courses.length === 1;
  const hint = courseChosen ? undefined : '先选读书班';
  return (
    <form method="get" action="/review" role="search" aria-label="筛选心得" className="rounded-lg border border-stone-200 bg-white p-3">
      {filter.state !== 'submitted' ? <input type="hidden" name="state" value={filter.state} /> : null}
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <Select id="f-course" label="读书班" name="course" value={filter.course} options={options.courses} empty="全部读书班" />
        <Select id="f-meeting" label="集中学习" name="meeting" value={filter.meeting} options={options.meetings} empty={hint ?? '全部'} />
        <Select id="f-assignment" label="心得任务" name="assignment" value={filter.assignment} options={options.assignments} empty={hint ?? '全部'} />
        <Select
          id="f-unit"
          label="单位"
          name="unit"
          value={filter.unit}
          options={options.units.map((u) => ({ id: u.id, name: `${'　'.repeat(u.depth)}${u.name}` }))}
          empty="全部单位"
        />
        <Select id="f-group" label="讨论小组" name="group" value={filter.group} options={options.groups} empty={hint ?? '全部'} />
        <Select id="f-tag" label="标签" name="tag" value={filter.tag} options={options.tags} empty={hint ?? '全部'} />
        <Select
          id="f-sort"
          label="排序"
          name="sort"
          value={filter.sort}
          options={[
            { id: 'new', name: '提交时间（新的在前）' },
            { id: 'old', name: '提交时间（早的在前）' },
            { id: 'unit', name: '单位' },
          ]}
          empty="提交时间（新的在前）"
        />
        <div className="flex flex-wrap items-end gap-4 pb-2">
          <label className="flex items-center gap-2">
            <input type="checkbox" name="late" value="1" defaultChecked={filter.late} className="size-5 accent-brand-600" />
            只看逾期
          </label>
          <label className="flex items-center gap-2">
            <input type="checkbox" name="excellent" value="1" defaultChecked={filter.excellent} className="size-5 accent-brand-600" />
            只看优秀
          </label>
          <label className="flex items-center gap-2">
            <input type="checkbox" name="similar" value="1" defaultChecked={filter.similar} className="size-5 accent-brand-600" />
            疑似雷同
          </label>
        </div>
      </div>
      <QueueExtraFilters filter={filter} />
      <div className="mt-3 flex flex-wrap gap-2">
        <button type="submit" className={buttonClass()}>
          筛选
        </button>
        <Link href="/review" className={buttonClass('secondary')}>
          清除筛选
        </Link>
      </div>
    </form>
  );
}
