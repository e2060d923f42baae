import Link from 'next/link';

export const COURSE_TABS = [
  { key: 'info', label: '基本信息' },
  { key: 'meetings', label: '集中学习' },
  { key: 'members', label: '学员' },
  { key: 'groups', label: '讨论小组' },
  { key: 'organizers', label: '组织者' },
] as const;

export type CourseTab = (typeof COURSE_TABS)[number]['key'];

export function courseTab(value: string | undefined): CourseTab {
  return COURSE_TABS.find((t) => t.key === value)?.key ?? 'info';
}

/** The sections of a course page, as links (each a URL of its own), the current one marked. */
export function CourseTabs({ courseId, current, counts }: { courseId: number; current: CourseTab; counts: Partial<Record<CourseTab, number>> }) {
  return (
    <nav aria-label="读书班栏目" className="mb-5 overflow-x-auto border-b border-stone-200">
      <ul className="flex min-w-max gap-1">
        {COURSE_TABS.map((t) => {
          const active = t.key === current;
          const n = counts[t.key];
          return (
            <li key={t.key}>
              <Link
                href={t.key === 'info' ? `/courses/${courseId}` : `/courses/${courseId}?tab=${t.key}`}
                aria-current={active ? 'page' : undefined}
                className={`inline-flex min-h-11 items-center gap-1 border-b-2 px-3 py-2 text-base ${
                  active ? 'border-brand-600 font-semibold text-brand-700' : 'border-transparent text-stone-700 hover:bg-stone-100'
                }`}
              >
                {t.label}
                {n !== undefined ? <span className="text-sm text-stone-500">({n})</span> : null}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
