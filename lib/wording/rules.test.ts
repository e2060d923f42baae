import { describe, expect, it } from 'vitest';
import { applyFixes, checkWording, normalisePunctuation, patternProblem } from './engine';
import { DEFAULT_RULES, type WordingRule } from './rules';

/** One text where each default rule must fire, and one where it must not. */
const EXAMPLES: Record<string, { pos: string; neg: string }> = {
  'd-xi-zsj': { pos: '学习习总书记重要讲话', neg: '学习习近平总书记重要讲话' },
  'd-xi-dd': { pos: '习大大说', neg: '习近平总书记指出' },
  'd-xi-zx': { pos: '习主席出席会议', neg: '习近平主席出席会议' },
  'd-xi-sx': { pos: '用习近平思想武装头脑', neg: '用习近平新时代中国特色社会主义思想武装头脑' },
  'd-x-sx': { pos: '深入领会习思想', neg: '通过学习思想得到提升' },
  'd-xi-xsd-sx': { pos: '习近平新时代思想的精髓', neg: '习近平新时代中国特色社会主义思想的精髓' },
  'd-xsd-sx': { pos: '坚持新时代中国特色社会主义思想', neg: '坚持习近平新时代中国特色社会主义思想' },
  'd-mlzy': { pos: '马列主义经典', neg: '马克思列宁主义经典' },
  'd-liang-qr': { pos: '深刻领悟两个确定', neg: '深刻领悟“两个确立”' },
  'd-liang-wh': { pos: '做到两个拥护', neg: '做到“两个维护”' },
  'd-enum-sgys': { pos: '增强四个意识：政治意识、核心意识、大局意识、看齐意识', neg: '增强四个意识：政治意识、大局意识、核心意识、看齐意识' },
  'd-enum-sgzx': { pos: '四个自信，即道路自信、制度自信、理论自信、文化自信', neg: '四个自信，即道路自信、理论自信、制度自信、文化自信' },
  'd-enum-xfzln': { pos: '新发展理念：创新、绿色、协调、开放、共享', neg: '新发展理念：创新、协调、绿色、开放、共享' },
  'd-enum-wwyt': { pos: '五位一体：政治建设、经济建设、文化建设、社会建设、生态文明建设', neg: '五位一体：经济建设、政治建设、文化建设、社会建设、生态文明建设' },
  'd-enum-sgqm': {
    pos: '四个全面：全面深化改革、全面建设社会主义现代化国家、全面依法治国、全面从严治党',
    neg: '四个全面：全面建设社会主义现代化国家、全面深化改革、全面依法治国、全面从严治党',
  },
  'd-esd': { pos: '学习二十大报告', neg: '学习党的二十大报告，中共二十大精神' },
  'd-sjd': { pos: '十九大以来', neg: '党的十九大以来' },
  'd-sbd': { pos: '十八大以来', neg: '党的十八大以来' },
  'd-dsjy': { pos: '开展党史教育', neg: '开展党史学习教育' },
  'd-qgcmz': { pos: '发展全过程民主', neg: '发展全过程人民民主' },
  'd-ylyd': { pos: '共建一路一带', neg: '共建“一带一路”' },
  'd-ydyl-q': { pos: '共建一带一路倡议', neg: '共建“一带一路”倡议' },
  'd-bwcx': { pos: '不忘初心，牢记使命', neg: '不忘初心、牢记使命' },
  'd-shyk': { pos: '落实三会一课制度', neg: '落实“三会一课”制度' },
  'd-lxyz': { pos: '推进两学一做', neg: '推进“两学一做”' },
  'd-gjc': { pos: '深化供给侧结构改革', neg: '深化供给侧结构性改革' },
  'd-rlmy': { pos: '构建人类共同命运体', neg: '构建人类命运共同体' },
  'd-lsqs': { pos: '青山绿水就是金山银山', neg: '绿水青山就是金山银山' },
  'd-bxgd': { pos: '落实八项规定精神', neg: '落实中央八项规定精神' },
  'd-tw-zf': { pos: '台湾政府宣布', neg: '台湾当局宣布' },
  'd-tw-zt': { pos: '台湾总统选举', neg: '台湾地区领导人选举' },
  'd-tw-g': { pos: '所谓台湾国', neg: '台湾国民党' },
  'd-hk-zf': { pos: '香港政府发布', neg: '香港特区政府发布' },
  'd-mo-zf': { pos: '澳门政府发布', neg: '澳门特区政府发布' },
  'd-bh': { pos: '北韩代表团', neg: '朝鲜代表团' },
  'd-jzmq': { pos: '截止目前已完成', neg: '截至目前已完成' },
  'd-jzd': { pos: '截止到六月', neg: '报名截止后' },
  'd-qt': { pos: '其它同志', neg: '其他同志' },
  'd-zc-gx': { pos: '做出贡献', neg: '作出贡献' },
  'd-zc-jd': { pos: '做出决定', neg: '作出决定' },
  'd-zc-bs': { pos: '做出部署', neg: '作出部署' },
  'd-zc-zs': { pos: '做出重要指示', neg: '作出重要指示' },
  'd-bs': { pos: '安排布署', neg: '安排部署' },
  'd-gc': { pos: '惯彻落实', neg: '贯彻落实' },
  'd-yygz': { pos: '一以惯之', neg: '一以贯之' },
  'd-zjzl': { pos: '再接再励', neg: '再接再厉' },
  'd-rhgt': { pos: '融汇贯通', neg: '融会贯通' },
  'd-abjb': { pos: '按步就班', neg: '按部就班' },
  'd-bxjc': { pos: '必需坚持', neg: '必须坚持' },
  'd-ztdh': { pos: '召开坐谈会', neg: '召开座谈会' },
  'd-pbjd': { pos: '迫不急待', neg: '迫不及待' },
  'd-mscg': { pos: '默守成规', neg: '墨守成规' },
  'd-sc': { pos: '纪律松驰', neg: '纪律松弛' },
  'd-zb': { pos: '针贬时弊', neg: '针砭时弊' },
  'd-js': { pos: '既使困难', neg: '即使困难' },
  'd-zjld': { pos: '直接了当', neg: '直截了当' },
  'd-ycmz': { pos: '一愁莫展', neg: '一筹莫展' },
  'd-zlfk': { pos: '震聋发聩', neg: '振聋发聩' },
  'd-bjez': { pos: '不径而走', neg: '不胫而走' },
  'd-fr': { pos: '发韧之作', neg: '发轫之作' },
};

const codes = (text: string, rules: readonly WordingRule[] = DEFAULT_RULES) => checkWording(text, rules).map((f) => f.code);

describe('default wording rules', () => {
  it('has at least 40 rules, each with an example pair', () => {
    expect(DEFAULT_RULES.length).toBeGreaterThanOrEqual(40);
    expect(DEFAULT_RULES.map((r) => r.code).sort()).toEqual(Object.keys(EXAMPLES).sort());
    expect(new Set(DEFAULT_RULES.map((r) => r.code)).size).toBe(DEFAULT_RULES.length);
  });

  for (const rule of DEFAULT_RULES) {
    const ex = EXAMPLES[rule.code];
    it(`${rule.code} fires on ${ex?.pos} and not on ${ex?.neg}`, () => {
      if (!ex) throw new Error(`no example for ${rule.code}`);
      expect(codes(ex.pos)).toContain(rule.code);
      expect(codes(ex.neg)).not.toContain(rule.code);
      // One click fixes it.
      const fixed = applyFixes(ex.pos, checkWording(ex.pos, DEFAULT_RULES).filter((f) => f.code === rule.code));
      expect(codes(fixed)).not.toContain(rule.code);
      // Never inside its own standard form.
      if (rule.kind !== 'enumeration') expect(codes(`我们${rule.standard}。`)).not.toContain(rule.code);
    });
  }

  it('a patterned admin rule is checked before use', () => {
    expect(patternProblem('(')).toMatch(/有误/u);
    expect(patternProblem('a*')).toMatch(/空文本/u);
    expect(patternProblem('(?<x>a)')).toMatch(/命名分组/u);
    expect(patternProblem('(?<!学)习思想')).toBeNull();
    expect(codes('习总书记', DEFAULT_RULES.map((r) => ({ ...r, enabled: r.code !== 'd-xi-zsj' })))).not.toContain('d-xi-zsj');
  });
});

describe('punctuation', () => {
  const p = (text: string) => checkWording(text, []).map((f) => `${f.code}:${f.found}`);

  it('finds half-width marks next to Chinese and fixes them', () => {
    expect(p('我们学习,领会;提高:进步?是的!')).toEqual(['p-half:,', 'p-half:;', 'p-half::', 'p-half:?', 'p-half:!']);
    expect(normalisePunctuation('我们学习,领会(第一章)内容.')).toBe('我们学习，领会（第一章）内容。');
    expect(normalisePunctuation('他说"要学习"。')).toBe('他说“要学习”。');
  });

  it('leaves URLs, numbers and English words alone', () => {
    for (const ok of [
      '详见https://www.gov.cn/zhengce/2023-10/content_1.htm?id=3,4学习',
      '网址是 www.12371.cn/a?b=1。',
      '增长了3.5%，比例为3:2，共1,200人。',
      '读了 Hello, world! (a book) 这本书。',
      '版本v1.2.3发布。邮箱 a.b@gov.cn 联系。',
      '讲话全文……要点——如下。',
    ]) {
      expect(p(ok)).toEqual([]);
    }
  });

  it('finds unmatched and mixed quotes and brackets', () => {
    expect(p('他说“要学习"。')).toEqual(['p-mixed:"']);
    expect(p('学习《论党的自我革命〉一书')).toEqual(['p-mixed:〉']);
    expect(p('学习《论党的自我革命一书')).toEqual(['p-unmatched:《']);
    expect(p('学习论党的自我革命》一书')).toEqual(['p-unmatched:》']);
    expect(normalisePunctuation('他说“要学习"。学习《论党〉')).toBe('他说“要学习”。学习《论党》');
    // A quotation over two paragraphs opens each paragraph again.
    expect(p('“第一段。\n“第二段。”')).toEqual([]);
  });

  it('finds doubled marks but not the ellipsis and the dash', () => {
    expect(p('学习。。提高，，进步')).toEqual(['p-double:。。', 'p-double:，，']);
    expect(normalisePunctuation('学习。。提高')).toBe('学习。提高');
    expect(p('学习……提高——进步')).toEqual([]);
  });
});
