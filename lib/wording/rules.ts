// 规范提法: the bundled default rules. Each rule says what to look for (a literal, a pattern, or
// an enumeration introduced by its name), the standard form, and a short reason in our own
// words. Admins add their office's rules and disable or edit these (db/queries/wording); the
// engine (./engine.ts) compiles whatever list is in force into one pattern.

export const RULE_KINDS = ['literal', 'pattern', 'enumeration'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

export const RULE_CATEGORIES = ['名称', '列举', '会议文件', '涉台涉港澳', '用字用词', '自定义'] as const;
export type RuleCategory = (typeof RULE_CATEGORIES)[number];

export interface WordingRule {
  /** Stable code: d-xxx for the bundled rules, c-… for an office's own. */
  code: string;
  kind: RuleKind;
  /** literal: the text; pattern: a JavaScript regular expression source (no capturing groups needed);
   *  enumeration: the name that introduces the list (四个意识). */
  find: string;
  /** The standard form; for an enumeration, its members in order separated by 、. */
  standard: string;
  reason: string;
  category: RuleCategory;
  /** Other forms in which the found text is fine (中共二十大), besides the standard form itself. */
  allow?: string[];
  enabled?: boolean;
}

/** Positive and negative examples for each default rule live in ./rules.test.ts. */
export const DEFAULT_RULES: WordingRule[] = [
  // 1. Names of the leader and the guiding thought, in full.
  { code: 'd-xi-zsj', kind: 'literal', find: '习总书记', standard: '习近平总书记', reason: '正式文稿用全称“习近平总书记”或“习近平同志”，“习总书记”是口语简称。', category: '名称' },
  { code: 'd-xi-dd', kind: 'literal', find: '习大大', standard: '习近平总书记', reason: '昵称不用于正式文稿。', category: '名称' },
  { code: 'd-xi-zx', kind: 'literal', find: '习主席', standard: '习近平主席', reason: '正式文稿用全名称谓。', category: '名称' },
  { code: 'd-xi-sx', kind: 'literal', find: '习近平思想', standard: '习近平新时代中国特色社会主义思想', reason: '指导思想用全称。', category: '名称' },
  { code: 'd-x-sx', kind: 'pattern', find: '(?<![学复练温研补见])习思想', standard: '习近平新时代中国特色社会主义思想', reason: '指导思想用全称，不用“习思想”。', category: '名称' },
  { code: 'd-xi-xsd-sx', kind: 'literal', find: '习近平新时代思想', standard: '习近平新时代中国特色社会主义思想', reason: '指导思想用全称，不可省略“中国特色社会主义”。', category: '名称' },
  { code: 'd-xsd-sx', kind: 'literal', find: '新时代中国特色社会主义思想', standard: '习近平新时代中国特色社会主义思想', reason: '指导思想的名称冠以“习近平”。', category: '名称' },
  { code: 'd-mlzy', kind: 'literal', find: '马列主义', standard: '马克思列宁主义', reason: '正式文稿用全称“马克思列宁主义”。', category: '名称' },
  { code: 'd-liang-qr', kind: 'literal', find: '两个确定', standard: '两个确立', reason: '固定提法是“两个确立”。', category: '名称' },
  { code: 'd-liang-wh', kind: 'literal', find: '两个拥护', standard: '两个维护', reason: '固定提法是“两个维护”。', category: '名称' },

  // 2. Fixed enumerations keep their wording and order.
  { code: 'd-enum-sgys', kind: 'enumeration', find: '四个意识', standard: '政治意识、大局意识、核心意识、看齐意识', reason: '“四个意识”的内容和顺序是固定的。', category: '列举' },
  { code: 'd-enum-sgzx', kind: 'enumeration', find: '四个自信', standard: '道路自信、理论自信、制度自信、文化自信', reason: '“四个自信”的内容和顺序是固定的。', category: '列举' },
  { code: 'd-enum-xfzln', kind: 'enumeration', find: '新发展理念', standard: '创新、协调、绿色、开放、共享', reason: '新发展理念的五个方面和顺序是固定的。', category: '列举' },
  { code: 'd-enum-wwyt', kind: 'enumeration', find: '五位一体', standard: '经济建设、政治建设、文化建设、社会建设、生态文明建设', reason: '“五位一体”总体布局的内容和顺序是固定的。', category: '列举' },
  { code: 'd-enum-sgqm', kind: 'enumeration', find: '四个全面', standard: '全面建设社会主义现代化国家、全面深化改革、全面依法治国、全面从严治党', reason: '“四个全面”战略布局的内容和顺序是固定的。', category: '列举' },

  // 3. Meetings, campaigns and documents by their proper names.
  { code: 'd-esd', kind: 'literal', find: '二十大', standard: '党的二十大', reason: '正式文稿写“党的二十大”或“中国共产党第二十次全国代表大会”。', category: '会议文件', allow: ['中共二十大'] },
  { code: 'd-sjd', kind: 'literal', find: '十九大', standard: '党的十九大', reason: '正式文稿写“党的十九大”。', category: '会议文件', allow: ['中共十九大'] },
  { code: 'd-sbd', kind: 'literal', find: '十八大', standard: '党的十八大', reason: '正式文稿写“党的十八大”。', category: '会议文件', allow: ['中共十八大'] },
  { code: 'd-dsjy', kind: 'literal', find: '党史教育', standard: '党史学习教育', reason: '这项教育的名称是“党史学习教育”。', category: '会议文件' },
  { code: 'd-qgcmz', kind: 'literal', find: '全过程民主', standard: '全过程人民民主', reason: '规范提法是“全过程人民民主”。', category: '会议文件' },
  { code: 'd-ylyd', kind: 'literal', find: '一路一带', standard: '“一带一路”', reason: '“一带一路”，顺序不可颠倒。', category: '会议文件' },
  { code: 'd-ydyl-q', kind: 'pattern', find: '(?<![“"])一带一路(?![”"])', standard: '“一带一路”', reason: '“一带一路”加引号。', category: '会议文件' },
  { code: 'd-bwcx', kind: 'pattern', find: '不忘初心[，,\\s]?牢记使命', standard: '不忘初心、牢记使命', reason: '两句之间用顿号：“不忘初心、牢记使命”。', category: '会议文件' },
  { code: 'd-shyk', kind: 'pattern', find: '(?<![“"])三会一课(?![”"])', standard: '“三会一课”', reason: '“三会一课”加引号。', category: '会议文件' },
  { code: 'd-lxyz', kind: 'pattern', find: '(?<![“"])两学一做(?![”"])', standard: '“两学一做”', reason: '“两学一做”加引号。', category: '会议文件' },
  { code: 'd-gjc', kind: 'literal', find: '供给侧结构改革', standard: '供给侧结构性改革', reason: '规范提法是“供给侧结构性改革”。', category: '会议文件' },
  { code: 'd-rlmy', kind: 'literal', find: '人类共同命运体', standard: '人类命运共同体', reason: '规范提法是“人类命运共同体”。', category: '会议文件' },
  { code: 'd-lsqs', kind: 'literal', find: '青山绿水就是金山银山', standard: '绿水青山就是金山银山', reason: '原话是“绿水青山就是金山银山”。', category: '会议文件' },
  { code: 'd-bxgd', kind: 'literal', find: '八项规定精神', standard: '中央八项规定精神', reason: '规范提法是“中央八项规定精神”。', category: '会议文件' },

  // 4. Territory and state wording.
  { code: 'd-tw-zf', kind: 'literal', find: '台湾政府', standard: '台湾当局', reason: '台湾是中国的一部分，称“台湾当局”或“台湾地区”。', category: '涉台涉港澳' },
  { code: 'd-tw-zt', kind: 'literal', find: '台湾总统', standard: '台湾地区领导人', reason: '不使用把台湾当作国家的称谓。', category: '涉台涉港澳' },
  { code: 'd-tw-g', kind: 'pattern', find: '台湾国(?![民际])', standard: '台湾地区', reason: '台湾是中国的一部分。', category: '涉台涉港澳' },
  { code: 'd-hk-zf', kind: 'literal', find: '香港政府', standard: '香港特区政府', reason: '称“香港特别行政区政府”或“香港特区政府”。', category: '涉台涉港澳' },
  { code: 'd-mo-zf', kind: 'literal', find: '澳门政府', standard: '澳门特区政府', reason: '称“澳门特别行政区政府”或“澳门特区政府”。', category: '涉台涉港澳' },
  { code: 'd-bh', kind: 'literal', find: '北韩', standard: '朝鲜', reason: '我国称“朝鲜”。', category: '涉台涉港澳' },

  // 5. Characters and words often mistaken in this register.
  { code: 'd-jzmq', kind: 'literal', find: '截止目前', standard: '截至目前', reason: '“截止”表示停止，“截至”表示到某时为止。', category: '用字用词' },
  { code: 'd-jzd', kind: 'literal', find: '截止到', standard: '截至', reason: '表示“到某时为止”用“截至”。', category: '用字用词' },
  { code: 'd-qt', kind: 'literal', find: '其它', standard: '其他', reason: '正式文稿统一用“其他”。', category: '用字用词' },
  { code: 'd-zc-gx', kind: 'literal', find: '做出贡献', standard: '作出贡献', reason: '“作出”用于贡献、决定、部署等抽象事物。', category: '用字用词' },
  { code: 'd-zc-jd', kind: 'literal', find: '做出决定', standard: '作出决定', reason: '“作出”用于贡献、决定、部署等抽象事物。', category: '用字用词' },
  { code: 'd-zc-bs', kind: 'literal', find: '做出部署', standard: '作出部署', reason: '“作出”用于贡献、决定、部署等抽象事物。', category: '用字用词' },
  { code: 'd-zc-zs', kind: 'literal', find: '做出重要指示', standard: '作出重要指示', reason: '“作出”用于指示、批示等。', category: '用字用词' },
  { code: 'd-bs', kind: 'literal', find: '布署', standard: '部署', reason: '正字是“部署”。', category: '用字用词' },
  { code: 'd-gc', kind: 'literal', find: '惯彻', standard: '贯彻', reason: '正字是“贯彻”。', category: '用字用词' },
  { code: 'd-yygz', kind: 'literal', find: '一以惯之', standard: '一以贯之', reason: '正字是“一以贯之”。', category: '用字用词' },
  { code: 'd-zjzl', kind: 'literal', find: '再接再励', standard: '再接再厉', reason: '正字是“再接再厉”。', category: '用字用词' },
  { code: 'd-rhgt', kind: 'literal', find: '融汇贯通', standard: '融会贯通', reason: '正字是“融会贯通”。', category: '用字用词' },
  { code: 'd-abjb', kind: 'literal', find: '按步就班', standard: '按部就班', reason: '正字是“按部就班”。', category: '用字用词' },
  { code: 'd-bxjc', kind: 'literal', find: '必需坚持', standard: '必须坚持', reason: '表示“一定要”用“必须”。', category: '用字用词' },
  { code: 'd-ztdh', kind: 'literal', find: '坐谈会', standard: '座谈会', reason: '正字是“座谈会”。', category: '用字用词' },
  { code: 'd-pbjd', kind: 'literal', find: '迫不急待', standard: '迫不及待', reason: '正字是“迫不及待”。', category: '用字用词' },
  { code: 'd-mscg', kind: 'literal', find: '默守成规', standard: '墨守成规', reason: '正字是“墨守成规”。', category: '用字用词' },
  { code: 'd-sc', kind: 'literal', find: '松驰', standard: '松弛', reason: '正字是“松弛”。', category: '用字用词' },
  { code: 'd-zb', kind: 'literal', find: '针贬', standard: '针砭', reason: '正字是“针砭”。', category: '用字用词' },
  { code: 'd-js', kind: 'literal', find: '既使', standard: '即使', reason: '表示假设让步用“即使”。', category: '用字用词' },
  { code: 'd-zjld', kind: 'literal', find: '直接了当', standard: '直截了当', reason: '正字是“直截了当”。', category: '用字用词' },
  { code: 'd-ycmz', kind: 'literal', find: '一愁莫展', standard: '一筹莫展', reason: '正字是“一筹莫展”。', category: '用字用词' },
  { code: 'd-zlfk', kind: 'literal', find: '震聋发聩', standard: '振聋发聩', reason: '正字是“振聋发聩”。', category: '用字用词' },
  { code: 'd-bjez', kind: 'literal', find: '不径而走', standard: '不胫而走', reason: '正字是“不胫而走”。', category: '用字用词' },
  { code: 'd-fr', kind: 'literal', find: '发韧', standard: '发轫', reason: '正字是“发轫”。', category: '用字用词' },
];
