import { filterQuery, type ReviewFilter } from '@/lib/validation/review';

// Where each statistics figure leads: the review queue with its query-string filters for the
// reflections behind a figure, the tracker or the statistics' own list for the people.

export type FigureKey =
  | 'members'
  | 'expected'
  | 'submitted'
  | 'onTime'
  | 'late'
  | 'missing'
  | 'returned'
  | 'returnRounds'
  | 'approved'
  | 'excellent'
  | 'words'
  | 'meanWords'
  | 'medianWords'
  | 'inBulletins'
  | 'similar';

/** Every figure of a breakdown with its column heading, in the order the tables and the .xlsx show them. */
export const FIGURE_COLUMNS: readonly { key: FigureKey; label: string }[] = [
  { key: 'members', label: '学员' },
  { key: 'expected', label: '应交' },
  { key: 'submitted', label: '已交' },
  { key: 'onTime', label: '按时' },
  { key: 'late', label: '逾期' },
  { key: 'missing', label: '未交' },
  { key: 'returned', label: '退回（篇）' },
  { key: 'returnRounds', label: '退回（轮）' },
  { key: 'approved', label: '通过' },
  { key: 'excellent', label: '优秀' },
  { key: 'words', label: '字数合计' },
  { key: 'meanWords', label: '篇均字数' },
  { key: 'medianWords', label: '字数中位数' },
  { key: 'inBulletins', label: '编入简报' },
  { key: 'similar', label: '疑似雷同' },
];

export interface LinkScope {
  meeting?: number;
  unit?: number;
  group?: number;
  week?: string;
  assignment?: number;
}

function queue(courseId: number, s: LinkScope, extra: Partial<ReviewFilter>): string {
  const f: Partial<ReviewFilter> = { course: courseId, state: 'all', meeting: s.meeting, unit: s.unit, group: s.group, week: s.week, ...extra };
  return `/review?${filterQuery(f)}`;
}

function people(courseId: number, kind: 'members' | 'expected' | 'missing', s: LinkScope): string {
  const p = new URLSearchParams({ kind });
  if (s.meeting && kind !== 'members') p.set('meeting', String(s.meeting));
  if (s.unit) p.set('unit', String(s.unit));
  if (s.group) p.set('group', String(s.group));
  return `/courses/${courseId}/statistics/people?${p.toString()}`;
}

/** The list behind one figure of a row; null where there is no list (a week has no members). */
export function figureHref(courseId: number, key: FigureKey, s: LinkScope): string | null {
  switch (key) {
    case 'members':
      return s.week ? null : people(courseId, 'members', s);
    case 'expected':
      return s.week ? null : people(courseId, 'expected', s);
    case 'missing':
      if (s.week) return null;
      return s.assignment && !s.unit && !s.group ? `/review/tracker/${s.assignment}` : people(courseId, 'missing', s);
    case 'onTime':
      return queue(courseId, s, { ontime: true });
    case 'late':
      return queue(courseId, s, { late: true });
    case 'returned':
    case 'returnRounds':
      return queue(courseId, s, { returned: true });
    case 'approved':
      return queue(courseId, s, { state: 'approved' });
    case 'excellent':
      return queue(courseId, s, { excellent: true });
    case 'inBulletins':
      return queue(courseId, s, { inbulletin: true });
    case 'similar':
      return queue(courseId, s, { similar: true });
    default:
      return queue(courseId, s, {});
  }
}

export function tagHref(courseId: number, tagId: number): string {
  return `/review?${filterQuery({ course: courseId, state: 'all', tag: tagId })}`;
}
