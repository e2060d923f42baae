import { describe, expect, it } from 'vitest';
import { isHeading, splitSections } from './split';

describe('splitting a reading into sections', () => {
  it('splits at 第X章, 第X节 and 一、 headings, keeping paragraphs', () => {
    const text = [
      '编者按：本篇收录有关重要论述。',
      '第一章　坚持党的自我革命',
      '　　勇于自我革命是我们党最鲜明的品格。',
      '全面从严治党永远在路上。',
      '',
      '第二节 跳出历史周期率',
      '一、以人民为中心',
      '让人民监督政府。',
      '结束语',
      '结语正文。',
    ].join('\r\n');
    expect(splitSections(text)).toEqual([
      { heading: '', body: '编者按：本篇收录有关重要论述。' },
      { heading: '第一章　坚持党的自我革命', body: '勇于自我革命是我们党最鲜明的品格。\n全面从严治党永远在路上。' },
      { heading: '第二节 跳出历史周期率', body: '' },
      { heading: '一、以人民为中心', body: '让人民监督政府。' },
      { heading: '结束语', body: '结语正文。' },
    ]);
  });

  it('keeps a text without headings as one section, and nothing as none', () => {
    expect(splitSections('甲段。\n乙段。')).toEqual([{ heading: '', body: '甲段。\n乙段。' }]);
    expect(splitSections(' \n\u3000\n')).toEqual([]);
  });

  it('does not take sentences or long lines for headings', () => {
    expect(isHeading('第一章')).toBe(true);
    expect(isHeading('第12节　监督')).toBe(true);
    expect(isHeading('第三部分 全面从严治党')).toBe(true);
    expect(isHeading('一、坚持问题导向')).toBe(true);
    expect(isHeading('一、坚持问题导向，把群众的急难愁盼作为工作的出发点和落脚点，切实解决实际问题。')).toBe(false);
    expect(isHeading('第一是要坚持学习。')).toBe(false);
    expect(isHeading('第一次集中学习')).toBe(false);
  });
});
