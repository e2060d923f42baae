import { describe, expect, it } from 'vitest';
import { alignNormalised, analyse, fingerprints, normalise, originalSpan } from './engine';

const P1 = '基层治理是国家治理的基石，社区是服务群众的最后一公里。我们街道坚持党建引领，把支部建在网格上，让党员亮身份、作表率，群众有事找得到人、办得成事。';
const P2 = '通过这次读书班的学习，我深刻认识到作风建设永远在路上，必须把纪律挺在前面，从小事小节抓起，防微杜渐，以钉钉子精神抓好各项任务的落实。';
const OWN = '作为分管城市管理的干部，我将把学习成果转化为解决停车难、加装电梯等民生实事的具体举措，向群众交出满意答卷。';

describe('normalise', () => {
  it('folds punctuation, whitespace and width and keeps the way back', () => {
    const n = normalise('学习， ＡＢ１ 心得！');
    expect(n.text).toBe('学习ab1心得');
    expect(originalSpan(n.map, [2, 5])).toEqual([4, 7]);
  });
});

describe('alignment', () => {
  it('finds two copied paragraphs with small edits, each as one passage', () => {
    const theirs = `${P1}\n${OWN}\n${P2}`;
    const ours = `我的体会有三点。\n${P1.replace('最后一公里', '最后一米').replace('亮身份', '亮明身份')}\n另外，要多读原著。\n${P2.replace('永远在路上', '始终在路上')}`;
    const a = normalise(ours).text;
    const b = normalise(theirs).text;
    const passages = alignNormalised(a, b);
    expect(passages).toHaveLength(2);
    const r = analyse(ours, [{ key: 1, text: theirs, quote: false }]);
    expect(r.share).toBeGreaterThan(600);
    expect(fingerprints(a).filter((h) => fingerprints(b).includes(h)).length).toBeGreaterThan(2);
  });

  it('counts quotes of the assigned reading apart', () => {
    const ours = `${OWN}${P1}`;
    const r = analyse(ours, [
      { key: 'reading', text: `前言。${P1}后记。`, quote: true },
      { key: 'colleague', text: P1, quote: false },
    ]);
    expect(r.share).toBe(0);
    expect(r.quoteShare).toBeGreaterThan(500);
    expect(r.sources.map((s) => s.key)).toEqual(['reading']);
  });

  it('does not flag texts that share only stock phrases', () => {
    const r = analyse(`${OWN}深入学习贯彻党的二十大精神。`, [{ key: 1, text: `${P2}深入学习贯彻党的二十大精神。`, quote: false }]);
    expect(r.share).toBe(0);
  });
});
