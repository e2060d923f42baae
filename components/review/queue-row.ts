// The review queue's rows as the table (queue-table.tsx, a client component) receives them: a
// plain module, so that the page (a server component) can pack the rows with the same flags.
// Issue 15: the page's payload carries each row once, as a short tuple, and nothing the table
// does not show.

/** QueueRow's flags: 逾期, 优秀, and a 查重 share at or above the course's threshold (疑似雷同). */
export const LATE = 1;
export const EXCELLENT = 2;
export const SIMILAR = 4;

/**
 * One row: [id, 姓名, 职务, 单位 ('' for none), index into the page's places (读书班 / 集中学习),
 * 标题, 字数, 提交时间 as shown, state, flags (LATE | EXCELLENT | SIMILAR), 查重 per mille or null,
 * 标签].
 */
export type QueueRow = [
  id: number,
  author: string,
  post: string,
  unit: string,
  place: number,
  title: string,
  chars: number,
  submitted: string,
  status: 'submitted' | 'returned' | 'approved',
  flags: number,
  similarity: number | null,
  tags: string[],
];

/** The bulk tag select's choices: [读书班, [[tag id, tag name], …]] per course of the page's rows. */
export type TagGroup = [courseName: string, tags: [id: number, name: string][]];
