import { describe, expect, it } from 'vitest';
import { findQuotations, formatQuote, matchQuotes } from './quotes';

const TEXT = { id: 7, title: '《论党的自我革命》', sections: [{ id: 70, body: '勇于自我革命是我们党最鲜明的品格。\n这是“第二个答案”。' }] };

describe('quotations of readings', () => {
  it('formats a selection as “…”（《篇名》）, on one line, inner quotes single', () => {
    expect(formatQuote('勇于自我革命\n是我们党最鲜明的品格。', '《论党的自我革命》')).toBe('“勇于自我革命是我们党最鲜明的品格。”（《论党的自我革命》）');
    expect(formatQuote('这是“第二个答案”。', '论党的自我革命')).toBe('“这是‘第二个答案’。”（《论党的自我革命》）');
  });

  it('finds the quotations of assigned readings whose text stands in a section', () => {
    const body = [
      `我体会到，${formatQuote('勇于自我革命是我们党最鲜明的品格。', TEXT.title)}这句话很深刻。`,
      formatQuote('这是“第二个答案”。', TEXT.title),
      '“这句话原文里没有。”（《论党的自我革命》）',
      '“勇于自我革命是我们党最鲜明的品格。”（《别的书》）',
      formatQuote('勇于自我革命是我们党最鲜明的品格。', TEXT.title),
    ].join('\n');
    expect(findQuotations(body)).toHaveLength(5);
    expect(matchQuotes(body, [TEXT])).toEqual([
      { readingId: 7, sectionId: 70, passage: '勇于自我革命是我们党最鲜明的品格。' },
      { readingId: 7, sectionId: 70, passage: '这是‘第二个答案’。' },
    ]);
  });
});
