import { describe, expect, it } from 'vitest';
import { excerptAround, markWords } from './excerpt';
import { extractKeywords } from './keywords';
import { ftsQuery, segmentForIndex, segmentQuery } from './segment';

describe('segmentation for the index and the query', () => {
  it('indexes the parts of domain words as well as the words, without punctuation', () => {
    const tokens = segmentForIndex('坚持党建引领,推进基层治理;实现三方共治。').split(' ');
    expect(tokens).toEqual(expect.arrayContaining(['党建', '党建引领', '治理', '基层治理', '三方共治']));
    expect(tokens).not.toContain(',');
    expect(tokens).not.toContain('。');
  });

  it('keeps a domain word whole in a query, and drops punctuation and repeats', () => {
    expect(segmentQuery('基层治理')).toEqual(['基层治理']);
    expect(segmentQuery('治理')).toEqual(['治理']);
    expect(segmentQuery('治理,治理!')).toEqual(['治理']);
    expect(segmentQuery('“*” OR')).toEqual(['or']);
  });

  it('quotes every word as an FTS5 string', () => {
    expect(ftsQuery(['治理', 'a"b'])).toBe('"治理" AND "a""b"');
    expect(ftsQuery([])).toBeNull();
  });
});

describe('the passage under a result', () => {
  it('takes about 60 characters around the first hit and marks every hit', () => {
    const text = `${'前'.repeat(100)}推进基层治理${'后'.repeat(100)}`;
    const e = excerptAround(text, ['治理']);
    const joined = e.segments.map((s) => s.text).join('');
    expect(Array.from(joined)).toHaveLength(60);
    expect(joined).toContain('推进基层治理');
    expect(e.before && e.after).toBe(true);
    expect(e.segments.filter((s) => s.hit)).toEqual([{ text: '治理', hit: true }]);
  });

  it('marks overlapping words once and treats markup in the text as text', () => {
    expect(markWords('<b>基层治理</b>', ['治理', '基层治理'])).toEqual([
      { text: '<b>', hit: false },
      { text: '基层治理', hit: true },
      { text: '</b>', hit: false },
    ]);
  });

  it('opens the text when no word occurs in it', () => {
    const e = excerptAround('正文开头。', ['标题里的词']);
    expect(e.segments).toEqual([{ text: '正文开头。', hit: false }]);
    expect(e.before || e.after).toBe(false);
  });
});

describe('extractKeywords', () => {
  it('returns the strongest domain words, whole', () => {
    const text = '推进三方共治,居委会、业委会、物业三方共治小区难题。三方共治让基层治理更有温度,基层治理重在党建引领。';
    const words = extractKeywords(text, { topN: 3 });
    expect(words).toHaveLength(3);
    expect(words).toEqual(expect.arrayContaining(['三方共治', '基层治理']));
  });

  it('takes extra user words such as a course’s tag names', () => {
    expect(extractKeywords('我们开展楼组自治,楼组自治见成效。', { topN: 2, userWords: ['楼组自治'] })).toContain('楼组自治');
    expect(extractKeywords('   ')).toEqual([]);
  });
});
