'use client';

import css from './results.module.css';

// The search form, a plain GET form (it works before and without the scripts; the URL is the
// search), rendered from its values and the course choices as [id, label] pairs: as a client
// component's props an admin's hundreds of courses travel once, not twice (issue 15).

export function SearchForm({
  q,
  courseId,
  courses,
  maxLength,
  invalid,
}: {
  q: string;
  /** '' for 全部读书班 */
  courseId: string;
  courses: [id: number, label: string][];
  maxLength: number;
  invalid: boolean;
}) {
  return (
    <form method="get" role="search" aria-label="搜索心得" className={css.form}>
      <div>
        <label htmlFor="search-q">搜索心得</label>
        <input
          id="search-q"
          name="q"
          type="search"
          defaultValue={q}
          maxLength={maxLength}
          placeholder="如：基层治理、党建引领、作者姓名"
          aria-invalid={invalid ? true : undefined}
          aria-describedby="search-hint"
        />
      </div>
      <div>
        <label htmlFor="search-course">读书班</label>
        <select id="search-course" name="courseId" defaultValue={courseId}>
          <option value="">全部读书班</option>
          {courses.map(([id, label]) => (
            <option key={id} value={id}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <button type="submit">搜索</button>
      <p id="search-hint">在标题、正文和作者中查找已提交的心得；多个词用空格隔开，须同时出现。</p>
    </form>
  );
}
