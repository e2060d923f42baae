import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { markWords } from '@/lib/search/excerpt';
import { pieces } from './pieces';
import { SearchResults } from './results';

describe('/review/search results', () => {
  it('keeps the text and marks exactly the hits, a hit at the start or next to another included', () => {
    expect(pieces(markWords('推进基层治理现代化', ['治理']))).toEqual(['推进基层', '治理', '现代化']);
    expect(pieces(markWords('治理', ['治理']))).toEqual(['', '治理']);
    expect(pieces([{ text: '党建', hit: true }, { text: '引领', hit: true }])).toEqual(['', '党建', '', '引领']);
    expect(pieces([])).toEqual([]);
  });

  it('renders each result as a plain link, its hits in <mark>, the text escaped, 无标题 for an empty title', () => {
    const html = renderToStaticMarkup(
      <SearchResults
        rows={[
          [7, pieces(markWords('以治理为<b>题</b>', ['治理'])), '甲 · 甲班', pieces(markWords('社区治理要有温度', ['治理'])), true, false],
          [8, [], '乙 · 甲班', ['正文'], false, true],
        ]}
      />,
    );
    expect(html).toContain('<a href="/review/7">以<mark>治理</mark>为&lt;b&gt;题&lt;/b&gt;</a>');
    expect(html).toContain('<p>…社区<mark>治理</mark>要有温度</p>');
    expect(html).toContain('<a href="/review/8">（无标题）</a>');
    expect(html).toContain('<p>正文…</p>');
  });
});
