import Link from 'next/link';
import type { CourseListItemDto } from '@/db/queries/courses';
import { courseDates } from './format';

function Figure({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-stone-600">{label}</dt>
      <dd className="text-base font-semibold tabular-nums text-stone-900">{children}</dd>
    </div>
  );
}

/** Courses as cards: name, dates, organizers and the figures organizers follow. */
export function CourseList({
  items,
  showOrganizers,
  headingLevel = 'h2',
}: {
  items: CourseListItemDto[];
  showOrganizers: boolean;
  headingLevel?: 'h2' | 'h3';
}) {
  const Heading = headingLevel;
  return (
    <ul className="space-y-3">
      {items.map((c) => (
        <li key={c.id} className="rounded-lg border border-stone-200 bg-white p-4">
          <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
            <Heading className="min-w-0 break-words text-lg font-semibold">
              <Link href={`/courses/${c.id}`} className="text-brand-700 underline-offset-2 hover:underline">
                {c.name}
              </Link>
            </Heading>
            {c.columnName ? <span className="text-sm text-stone-600">栏目：{c.columnName}</span> : null}
            {c.archived ? <span className="rounded bg-stone-200 px-1.5 py-0.5 text-xs text-stone-700">已归档</span> : null}
          </div>
          <p className="mt-1 text-sm text-stone-600">{courseDates(c.startsOn, c.endsOn)}</p>
          {showOrganizers ? (
            <p className={`mt-1 text-sm ${c.organizerNames.length ? 'text-stone-700' : 'font-medium text-amber-800'}`}>
              {c.organizerNames.length ? `组织者：${c.organizerNames.join('、')}` : '还没有指派组织者'}
            </p>
          ) : null}
          <dl className="mt-3 grid grid-cols-3 gap-3 sm:grid-cols-6">
            <Figure label="学员">{c.memberCount}</Figure>
            <Figure label="讨论小组">{c.groupCount}</Figure>
            <Figure label="集中学习">{c.meetingCount}</Figure>
            <Figure label="心得任务">{c.assignmentCount}</Figure>
            <Figure label="心得已交/应交">
              {c.submittedCount}/{c.expectedCount}
            </Figure>
            <Figure label="待审阅">{c.pendingReviewCount}</Figure>
          </dl>
        </li>
      ))}
    </ul>
  );
}
