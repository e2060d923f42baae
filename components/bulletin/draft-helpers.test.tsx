import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { BulletinDraftHelpers, ExcerptChoice, excerptModeOf } from './draft-helpers';

const FULL = '这次学习收获很大。一是坚持学用结合。要把学到的用到工作中去。二是坚持问题导向。';

describe('draft helpers', () => {
  it('offers the 导语 draft, the 小结 suggestion and the 过渡语, each with its button', () => {
    const html = renderToStaticMarkup(
      <BulletinDraftHelpers
        current={{}}
        onUse={() => undefined}
        drafts={{
          meetings: [{ id: 1, title: '开班式', startsAt: null, lead: '近日，读书班举行开班式。', headline: '开班式交流发言摘编' }],
          defaultMeetingId: 1,
          themes: ['基层治理'],
          summary: '学员们围绕基层治理交流了学习体会。',
          transition: '现将学员讨论发言情况整理如下：',
          headline: '开班式交流发言摘编',
        }}
      />,
    );
    expect(html).toContain('近日，读书班举行开班式。');
    expect(html).toContain('用作导语');
    expect(html).toContain('用作小结');
    expect(html).toContain('过渡语用“现将学员讨论发言情况整理如下：”');
    expect(html).toContain('印刷标题用“开班式交流发言摘编”');
  });

  it('tells 全文, 要点 and 自定义 apart, and disables 要点 without points', () => {
    expect(excerptModeOf(FULL, FULL)).toBe('full');
    expect(excerptModeOf('这次学习收获很大。一是坚持学用结合。二是坚持问题导向。', FULL)).toBe('outline');
    expect(excerptModeOf('我自己的摘编。', FULL)).toBe('custom');
    const none = renderToStaticMarkup(<ExcerptChoice label="第1条" fullText="没有分点的一段话。" body="没有分点的一段话。" onChange={() => undefined} />);
    expect(none).toContain('要点（未找到分点）');
    expect(none).toMatch(/disabled=""/u);
  });
});
