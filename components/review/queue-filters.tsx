import { QueueExtraFilters } from '@/components/statistics/queue-extra-filters';
import type { QueueFilterOptions, StateCounts } from '@/db/queries/review/queue';
import { filterToParams, type ReviewFilter } from '@/lib/validation/review';
import { QueueFilterForm, type FilterSelect } from './queue-filter-form';
import css from './queue-filters.module.css';

// The queue's state chips with their counts (plain links) and its filter, a GET form
// (queue-filter-form.tsx) given its values and choices as [value, label] pairs.

const STATES: { value: ReviewFilter['state']; label: string }[] = [
  { value: 'submitted', label: '待审阅' },
  { value: 'returned', label: '退回修改' },
  { value: 'approved', label: '已通过' },
  { value: 'all', label: '全部' },
];

export function StateChips({ filter, counts }: { filter: ReviewFilter; counts: StateCounts }) {
  return (
    <nav aria-label="按状态" className={css.chips}>
      {STATES.map((s) => {
        const params = new URLSearchParams(filterToParams({ ...filter, state: s.value }));
        return (
          <a key={s.value} href={`/review${params.size ? `?${params.toString()}` : ''}`} aria-current={filter.state === s.value ? 'page' : undefined}>
            {s.label}
            <span>{counts[s.value]}</span>
          </a>
        );
      })}
    </nav>
  );
}

const pairs = (options: { id: number; name: string }[]): [number, string][] => options.map((o) => [o.id, o.name]);
const valueOf = (v: number | string | undefined) => (v === undefined ? '' : String(v));

/** 筛选和排序: open when the filter names more than the state. */
export function QueueFilters({ filter, options }: { filter: ReviewFilter; options: QueueFilterOptions }) {
  const courseChosen = !!filter.course || options.courses.length === 1;
  const hint = courseChosen ? undefined : '先选读书班';
  const selects: FilterSelect[] = [
    ['f-course', '读书班', 'course', valueOf(filter.course), '全部读书班', pairs(options.courses)],
    ['f-meeting', '集中学习', 'meeting', valueOf(filter.meeting), hint ?? '全部', pairs(options.meetings)],
    ['f-assignment', '心得任务', 'assignment', valueOf(filter.assignment), hint ?? '全部', pairs(options.assignments)],
    ['f-unit', '单位', 'unit', valueOf(filter.unit), '全部单位', options.units.map((u) => [u.id, `${'　'.repeat(u.depth)}${u.name}`])],
    ['f-group', '讨论小组', 'group', valueOf(filter.group), hint ?? '全部', pairs(options.groups)],
    ['f-tag', '标签', 'tag', valueOf(filter.tag), hint ?? '全部', pairs(options.tags)],
    [
      'f-sort',
      '排序',
      'sort',
      valueOf(filter.sort),
      '提交时间（新的在前）',
      [
        ['new', '提交时间（新的在前）'],
        ['old', '提交时间（早的在前）'],
        ['unit', '单位'],
      ],
    ],
  ];
  return (
    <details className={css.details} open={Object.keys(filterToParams({ ...filter, state: 'submitted' })).length > 0}>
      <summary>筛选和排序</summary>
      <QueueFilterForm
        state={filter.state !== 'submitted' ? filter.state : ''}
        selects={selects}
        ticks={[
          ['late', '只看逾期', filter.late],
          ['excellent', '只看优秀', filter.excellent],
          ['similar', '疑似雷同', filter.similar],
        ]}
      >
        <QueueExtraFilters filter={filter} />
      </QueueFilterForm>
    </details>
  );
}
