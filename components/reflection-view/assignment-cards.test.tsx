import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { MyAssignmentItem } from '@/db/queries/reflections/reads';
import { cardOf } from './assignment-card';
import { AssignmentCourses } from './assignment-cards';

const base: MyAssignmentItem = {
  assignmentId: 6,
  title: '第五次集中学习学习心得',
  dueAt: new Date('2026-11-16T10:00:00Z'),
  cutoffAt: null,
  allowLate: false,
  minChars: 200,
  maxChars: 3000,
  course: { id: 1, name: '2026年望江街道处级领导干部读书班', archived: false },
  meeting: { id: 6, title: '第五次集中学习', startsAt: new Date('2026-11-09T01:00:00Z') },
  status: 'returned',
  deadline: { kind: 'open', msLeft: 3 * 86_400_000 },
  writable: true,
  reflection: { id: 40, title: '体会', charCount: 183, versionCount: 1, submittedAt: new Date('2026-11-16T05:00:00Z'), late: false, updatedAt: new Date('2026-11-16T05:00:00Z') },
  latestComment: { id: 3, body: '请结合分管工作补充<b>具体举措</b>。', decision: 'return', version: 1, authorName: '李文华', createdAt: new Date('2026-11-17T05:00:00Z') },
};

function render(items: MyAssignmentItem[]): string {
  return renderToStaticMarkup(
    <AssignmentCourses className="courses" courses={[[1, base.course.name, false, [[6, '第五次集中学习', '2026年11月9日', items.map(cardOf)]]]]} />,
  );
}

describe('/my assignment cards', () => {
  it('shows a returned reflection with its deadline, version, count and the comment, in Shanghai time, the comment escaped', () => {
    const html = render([base]);
    expect(html).toContain('<h3 id="course-1">2026年望江街道处级领导干部读书班</h3>');
    expect(html).toContain('<h4 id="meeting-6">第五次集中学习<span>2026年11月9日</span></h4>');
    expect(html).toContain('<a href="/my/assignments/6">第五次集中学习学习心得</a>');
    expect(html).toContain('退回修改</span>');
    expect(html).toContain('<span>截止 2026年11月16日 18:00</span>');
    expect(html).toContain('<span>字数 200–3000 字</span>');
    expect(html).toContain('<span>2026年11月16日 13:00 提交第 1 版</span><span>字数 183</span>');
    expect(html).toContain('<figcaption>李文华的评语 · 2026年11月17日 13:00</figcaption>');
    expect(html).toContain('<blockquote>请结合分管工作补充&lt;b&gt;具体举措&lt;/b&gt;。</blockquote>');
    expect(html).toContain('修改后重新提交<span class="sr-only">：第五次集中学习学习心得</span>');
    // A return being revised shows no countdown.
    expect(html).not.toContain('还剩');
  });

  it('shows the countdown of an open draft, 已截止 for one missed, 读书班已结束 in an archived course, and 无需提交 alone', () => {
    const draft = cardOf({ ...base, status: 'draft', latestComment: null, reflection: { ...base.reflection!, submittedAt: null } });
    expect(draft[4]).toBe('还剩 3 天');
    expect(draft[10]).toBe('草稿保存于 2026年11月16日 13:00 · 字数 183');
    expect(draft[12]).toBe('继续写');
    const missed = cardOf({ ...base, status: 'missed', writable: false, reflection: null, latestComment: null, deadline: { kind: 'closed', msLate: 1 } });
    expect([missed[4], missed[6], missed[12], missed[13]]).toEqual([null, '已截止', '查看', true]);
    const archived = cardOf({ ...base, status: 'not_started', writable: false, reflection: null, latestComment: null, course: { ...base.course, archived: true } });
    expect(archived[6]).toBe('读书班已结束');
    const html = render([{ ...base, assignmentId: 9, status: 'not_required', writable: false, reflection: null, latestComment: null }]);
    expect(html).toContain('<p>你加入读书班时已截止，无需提交。</p>');
    expect(html).not.toContain('已截止</span>');
  });
});
