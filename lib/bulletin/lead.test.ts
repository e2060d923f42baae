import { describe, expect, it } from 'vitest';
import { extractKeywords } from '@/lib/search/keywords';
import { bookTitles, DEFAULT_TRANSITION, draftLead, draftSummary, frequentThemes, leadDate, type LeadMeeting } from './lead';
import { halfWidthNextToChinese } from './punctuation';

// 2020-05-09 09:00 and 14:30 in Shanghai (UTC+8).
const MORNING = new Date(Date.UTC(2020, 4, 9, 1, 0));
const AFTERNOON = new Date(Date.UTC(2020, 4, 9, 6, 30));

function meeting(over: Partial<LeadMeeting> = {}): LeadMeeting {
  return {
    courseName: '2020年全区党组织书记读书班',
    title: '开班式',
    startsAt: MORNING,
    place: '区委党校',
    presider: '区委组织部副部长张华',
    speech: '区委常委、组织部部长王强作动员讲话',
    readings: ['论党的自我革命', '《习近平关于城市工作论述摘编》'],
    speakers: 6,
    ...over,
  };
}

describe('draftLead', () => {
  it('writes the date in the 简报 style, in Shanghai time', () => {
    expect(leadDate(MORNING)).toBe('5月9日上午');
    expect(leadDate(AFTERNOON)).toBe('5月9日下午');
    expect(leadDate(new Date(Date.UTC(2020, 4, 9, 16, 0)))).toBe('5月10日上午');
    expect(leadDate(new Date(Date.UTC(2020, 4, 9, 11, 0)))).toBe('5月9日晚上');
  });

  it('says when, which course and sitting, who presided and spoke, what was read and what followed', () => {
    expect(draftLead(meeting())).toBe(
      '5月9日上午，2020年全区党组织书记读书班在区委党校举行开班式，区委组织部副部长张华主持。区委常委、组织部部长王强作动员讲话。学员们围绕《论党的自我革命》《习近平关于城市工作论述摘编》开展原文导读，并进行分组讨论，6名学员作交流发言。',
    );
  });

  it('leaves out what the meeting does not know, and never writes half-width marks', () => {
    const lead = draftLead(meeting({ startsAt: null, place: '', presider: '', speech: '市委党校李教授', readings: [], speakers: 0, title: '第六次集中学习' }));
    expect(lead).toBe('近日，2020年全区党组织书记读书班举行第六次集中学习。市委党校李教授作讲话。学员们进行分组讨论和交流发言。');
    expect(halfWidthNextToChinese(draftLead(meeting({ speech: '王强作辅导报告,', presider: '张华主持' })))).toEqual([]);
    expect(draftLead(meeting({ presider: '张华主持' }))).toContain('，张华主持。');
  });

  it('wraps reading titles in 《》 once', () => {
    expect(bookTitles(['《论党的自我革命》', ' 摘编 ', ''])).toBe('《论党的自我革命》《摘编》');
  });
});

describe('小结 and 过渡语 suggestions', () => {
  const items = [
    { tags: ['基层治理'], body: '要把网格建在楼道里，推进三方共治，物业、业委会、居委会拧成一股绳。' },
    { tags: ['基层治理', '作风建设'], body: '三方共治要落到小区，加装电梯、停车难都要拿出办法。' },
    { tags: ['作风建设'], body: '转作风要从领导干部做起，三方共治离不开党建引领。' },
  ];

  it('ranks tags and the words the items share, and drafts one or two sentences from them', () => {
    const themes = frequentThemes(items, (t) => extractKeywords(t, { topN: 5, userWords: ['三方共治', '基层治理', '作风建设'] }));
    expect(themes.slice(0, 3)).toEqual(['基层治理', '作风建设', '三方共治']);
    const summary = draftSummary(themes);
    expect(summary).toBe(
      '学员们结合各自工作实际，围绕基层治理、作风建设和三方共治等交流了学习体会。大家一致认为，要把学习成果转化为推动基层治理的实际行动，以学促干、学用结合。',
    );
    expect(summary.split('。').filter(Boolean)).toHaveLength(2);
    expect(halfWidthNextToChinese(summary)).toEqual([]);
  });

  it('suggests nothing without themes, and the full-width 过渡语 by default', () => {
    expect(frequentThemes([], () => [])).toEqual([]);
    expect(draftSummary([])).toBe('');
    expect(DEFAULT_TRANSITION).toBe('现将学员讨论发言情况整理如下：');
  });
});
