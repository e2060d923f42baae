import { describe, expect, it } from 'vitest';
import { isByline, recogniseHeading } from './heading';

const author = { name: '孙卫东', unitNames: ['望江街道', '樊城区'] };
const P1 = '通过这次集中学习，我深刻认识到党的自我革命是跳出历史周期率的第二个答案。';
const P2 = '作为一名街道干部，要把学习成果转化为推动基层治理的实际行动。';

describe('title and byline recognition', () => {
  it('recognises a title above a 单位 姓名 byline', () => {
    expect(recogniseHeading(['以自我革命精神推动基层治理', '望江街道 孙卫东', P1, P2], author)).toEqual({
      title: '以自我革命精神推动基层治理',
      byline: '望江街道 孙卫东',
      body: `${P1}\n${P2}`,
    });
  });

  it('recognises a byline of the name alone, or with a unit written without a space', () => {
    expect(recogniseHeading(['把学习成效体现在为民服务上', '孙卫东', P1], author)).toMatchObject({ title: '把学习成效体现在为民服务上', byline: '孙卫东' });
    expect(isByline('望江街道党工委孙卫东', author)).toBe(true);
    expect(isByline('孙卫东（望江街道）', author)).toBe(true);
    expect(isByline('作者：孙 卫 东', author)).toBe(true);
  });

  it('recognises a title without a byline only when a paragraph of text follows it', () => {
    expect(recogniseHeading(['学习心得体会', P1, P2], author)).toMatchObject({ title: '学习心得体会', byline: '', body: `${P1}\n${P2}` });
    expect(recogniseHeading([P1, P2], author)).toMatchObject({ title: '', byline: '', body: `${P1}\n${P2}` });
  });

  it('keeps lines that only mention the name, other people and one-line files', () => {
    expect(isByline('孙卫东同志在会上强调，要坚持刀刃向内。', author)).toBe(false);
    expect(isByline('王强', author)).toBe(false);
    expect(isByline('孙卫东说到做到', author)).toBe(false);
    expect(recogniseHeading(['孙卫东'], author)).toEqual({ title: '', byline: '', body: '孙卫东' });
  });
});
