import { describe, expect, it } from 'vitest';
import { outlineExcerpt } from '@/lib/bulletin/outline';
import { bulletinCharCounts } from '@/lib/bulletin/format';
import { composerCharCounts, outlineOf } from './text-memo';

const body = '通过学习，我深受触动。\n\n一是要加强学习，坚持读原著。\n\n二是要联系实际，COVID-19 以来 3.5% 的增长。\n\n三是要转变作风。';

describe('the composer’s remembered 字数 and 要点', () => {
  it('count as bulletinCharCounts counts, asked once or again', () => {
    const content = { lead: '导语，一段。', summary: '', transition: '现将学员讨论发言情况整理如下：', items: [{ heading: '书记 甲', body, authorName: '甲', authorTitle: '' }, { heading: '乙', body: '乙的发言。', authorName: '乙', authorTitle: '' }] };
    const expected = bulletinCharCounts(content);
    expect(composerCharCounts(content)).toEqual(expected);
    expect(composerCharCounts(content)).toEqual(expected);
  });

  it('give the excerpt outlineExcerpt gives, null included', () => {
    expect(outlineOf(body)).toBe(outlineExcerpt(body));
    expect(outlineOf(body)).toBe(outlineExcerpt(body));
    expect(outlineOf('没有分点的发言。')).toBeNull();
    expect(outlineOf('没有分点的发言。')).toBeNull();
  });
});
