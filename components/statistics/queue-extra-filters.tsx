import type { ReviewFilter } from '@/lib/validation/review';
import { formatDate, shanghaiDayStart } from '@/lib/time';

// The queue's filters that only the statistics' links set (按时, 曾退回, 编入简报, a week of
// submissions): shown inside the filter form as ticked boxes only when active, so that the list
// says what it is filtered by, 筛选 keeps them, and unticking one drops it.

export function QueueExtraFilters({ filter }: { filter: ReviewFilter }) {
  const items: { name: 'ontime' | 'returned' | 'inbulletin' | 'week'; value: string; label: string }[] = [];
  if (filter.ontime) items.push({ name: 'ontime', value: '1', label: '只看按时提交' });
  if (filter.returned) items.push({ name: 'returned', value: '1', label: '只看曾退回修改' });
  if (filter.inbulletin) items.push({ name: 'inbulletin', value: '1', label: '只看编入已发布简报' });
  if (filter.week) {
    const from = shanghaiDayStart(filter.week);
    const to = new Date(from.getTime() + 6 * 86_400_000);
    items.push({ name: 'week', value: filter.week, label: `提交于${formatDate(from)}至${formatDate(to)}` });
  }
  if (items.length === 0) return null;
  return (
    <fieldset className="mt-3 flex flex-wrap gap-4 rounded border border-amber-200 bg-amber-50 px-3 py-2">
      <legend className="px-1 text-sm text-stone-700">来自统计的筛选</legend>
      {items.map((i) => (
        <label key={i.name} className="flex items-center gap-2">
          <input type="checkbox" name={i.name} value={i.value} defaultChecked className="size-5 accent-brand-600" />
          {i.label}
        </label>
      ))}
    </fieldset>
  );
}
