import { DEFAULT_TRANSITION } from './format';

// Reads the text of an existing bulletin — pasted from a web page, a .docx or a .txt — back into
// its parts: title, 期号, byline, date, lead, summary, transition, the speakers' items and the
// 报尾. Both styles of the brief are read:
//   heading style  "{职务} {姓名}" on its own line, the speech in the paragraphs after it;
//   inline style   "{职务}  {姓名}：{text}" on one line (two or more spaces of any width, '：' or ':').
// Real texts mix ASCII and full-width punctuation, so '：' and ':' (and '，' and ',') are equal.

export interface ParsedItem {
  heading: string;
  authorTitle: string;
  authorName: string;
  body: string;
}

export interface ParsedBulletin {
  title: string;
  number: number | null;
  editor: string;
  /** yyyy-mm-dd when a date was found; null leaves it for the organizer to fill in. */
  issuedOn: string | null;
  /** Where the date came from: a line of the head, or (without one) the first date in the 导语. */
  issuedOnFrom: 'head' | 'lead' | null;
  publisher: string;
  lead: string;
  summary: string;
  transition: string;
  items: ParsedItem[];
  reportTo: string;
  sendTo: string;
  issueTo: string;
  copies: number;
  /** Lines left out as belonging to the web page rather than the bulletin. */
  dropped: string[];
}

export interface ParseOptions {
  /** Names on the roster: a line holding only such a name is a heading even without 职务. */
  knownNames?: Iterable<string>;
  /** The year for a date written without one (5月9日): the course's or meeting's year. */
  year?: number | null;
}

const SP = '[ \\t\\u3000\\u00a0]';
const CJK = '\\u4e00-\\u9fff';
const NAME = `[${CJK}]{2,4}`;
const COLON = '[:：]';

/** Characters a 职务 never holds: sentence punctuation. */
const SENTENCE_PUNCT = /[。,，;；!！?？“”"《》()（）]/u;

/** How a 职务 ends (委书记, 主任, 镇长, 委员, 负责人 …). */
const POST_END =
  /(书记|主任|长|员|主席|干部|经理|负责人|代表|专干|秘书|总监|董事|理事|主管|政委|委|领导|班子成员|党代表|学员|同志|老师|教授|记者|顾问|总师|工程师|总经理|助理)$/u;

// 百家姓: the first character (or two) of a name, to tell a name-only heading from a short
// phrase such as 学深悟透 when the name is not on the roster.
const SURNAMES_1 =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝';
const SURNAMES_2 = ['欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙', '令狐', '夏侯', '端木', '西门', '南宫'];

function looksLikeName(s: string): boolean {
  if (!new RegExp(`^${NAME}$`, 'u').test(s)) return false;
  return SURNAMES_1.includes(s[0] as string) || SURNAMES_2.some((x) => s.startsWith(x) && s.length >= 3);
}

/** "{职务}  {姓名}:{text}" — the gap two or more spaces; or one space when the 职务 plainly ends in a post. */
const INLINE = new RegExp(`^(\\S.*?)(${SP}{1,})(${NAME})${SP}*${COLON}${SP}*(.*)$`, 'u');
/** "{职务} {姓名}" alone on a line, perhaps with a colon after the name. */
const HEADING = new RegExp(`^(\\S.*?)${SP}+(${NAME})${SP}*${COLON}?$`, 'u');
const NAME_ONLY = new RegExp(`^(${NAME})${SP}*${COLON}?$`, 'u');

function isPostTitle(title: string): boolean {
  const t = title.trim();
  if (!t || t.length > 60 || SENTENCE_PUNCT.test(t)) return false;
  return t.split(/[、,，]/u).every((part) => POST_END.test(part.trim().replace(new RegExp(`${SP}+`, 'gu'), '')));
}

function cleanTitle(title: string): string {
  // 职务 written with stray spaces around 、 reads as one post list.
  return title.replace(new RegExp(`${SP}*([、,，])${SP}*`, 'gu'), '、').replace(new RegExp(`${SP}+`, 'gu'), '').trim();
}

/** A line that opens an item on one line: title, name and the first paragraph of the speech. */
function matchInline(line: string): { title: string; name: string; text: string } | null {
  const m = INLINE.exec(line);
  if (!m) return null;
  const [, title = '', gap = '', name = '', text = ''] = m;
  if (!text.trim()) return null;
  const wide = gap.length >= 2 || /[\u3000\u00a0]/u.test(gap);
  if (!isPostTitle(title)) return null;
  if (!wide && !POST_END.test(title.trim())) return null;
  return { title: cleanTitle(title), name, text: text.trim() };
}

function matchHeading(line: string): { title: string; name: string } | null {
  if (line.length > 70) return null;
  const m = HEADING.exec(line);
  if (!m) return null;
  const [, title = '', name = ''] = m;
  if (!isPostTitle(title)) return null;
  return { title: cleanTitle(title), name };
}

// ---------------------------------------------------------------------------------------------
// Lines of the web page around the bulletin

const WEB_LINE = [
  /^(点赞|在看|分享|收藏|转发|评论|留言|喜欢|赞|阅读|浏览|浏览次数|阅读量|访问量)\s*[:：]?\s*[\d.万+wW]*$/u,
  /^(点赞|在看|分享|收藏)(\s*[\d.万+]*\s*(点赞|在看|分享|收藏))*\s*[\d.万+]*$/u,
  /^(阅读原文|返回|返回首页|返回顶部|返回列表|首页|打印|关闭|关闭窗口|打印本页|【打印本页】|【关闭窗口】|【打印】|【关闭】|分享到[:：]?.*|扫一扫.*|微信扫一扫.*|长按.*二维码.*|字号[:：].*|字体[:：].*|【字体[:：].*|当前位置[:：].*|您当前的位置[:：].*|来源[:：].*|发布时间[:：].*|发布日期[:：].*|信息来源[:：].*|作者[:：].*|审核[:：].*|校对[:：].*|(责任)?编辑[:：]?\s*$)$/u,
  /^责任编辑\s*[:：]?.*$/u,
  /^(上一篇|下一篇|上一条|下一条)\s*[:：]?.*$/u,
  /^(您现在的位置|您的位置|您当前位置|所在位置|当前位置)\s*[:：].*$/u,
  /^返回目录(\s.*)?$/u,
  /^(首页|网站首页)\s*[>＞›»].*$/u,
];
/** After these, everything is the page's list of other articles. */
const WEB_END = /^(相关阅读|相关文章|相关新闻|推荐阅读|延伸阅读|往期回顾|热门推荐|猜你喜欢)\s*[:：]?$/u;

function isWebLine(line: string): boolean {
  return WEB_LINE.some((re) => re.test(line));
}

const DATE_LINE = /^(\d{4})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})\s*日?(\s*\d{1,2}:\d{2}(:\d{2})?)?$/u;
const PUBLISHER_DATE = new RegExp(`^(\\S.*?)${SP}{2,}(\\d{4})\\s*年\\s*(\\d{1,2})\\s*月\\s*(\\d{1,2})\\s*日$`, 'u');
const MONTH_DAY_LINE = /^(\d{1,2})\s*月\s*(\d{1,2})\s*日$/u;
const PUBLISHER_MONTH_DAY = new RegExp(`^(\\S.*?)${SP}{2,}(\\d{1,2})\\s*月\\s*(\\d{1,2})\\s*日$`, 'u');
/** The first date in the 导语: 2020年5月9日, or 5月9日 (上午) with the year from the course. */
const DATE_IN_TEXT = /(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日/u;
const NUMBER_LINE = /^第\s*([0-9一二三四五六七八九十百零〇两]+)\s*期$/u;
const NUMBER_IN_TITLE = /[(（]?\s*第\s*([0-9一二三四五六七八九十百零〇两]+)\s*期\s*[)）]?/u;
const BYLINE = new RegExp(`^(?:编辑|撰稿|供稿|整理|文|图文|文字)${SP}*[:：/]${SP}*(.{2,20})$`, 'u');
const TRANSITION = /(如下|摘要如下|摘编如下|摘登如下|整理如下)[:：]?$/u;
const SUMMARY_START = /^(大家|学员们?|与会(人员|同志|学员)|同志们|参训学员|全体学员)[^,，。]{0,6}(一致|纷纷|普遍|表示|认为)/u;
const TAIL = /^(报|送|发|抄送|印发)\s*[:：]\s*(.*)$/u;
const COPIES = /^[(（]?\s*共印\s*(\d+)\s*份\s*[)）]?$/u;

/** 一百二十三 / 12 → 123 / 12 */
export function chineseNumber(s: string): number | null {
  if (/^\d+$/u.test(s)) return Number(s);
  const digits: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
  let total = 0;
  let current = 0;
  for (const ch of s) {
    if (ch in digits) current = digits[ch] as number;
    else if (ch === '十') {
      total += (current || 1) * 10;
      current = 0;
    } else if (ch === '百') {
      total += (current || 1) * 100;
      current = 0;
    } else return null;
  }
  total += current;
  return total > 0 ? total : null;
}

function ymd(y: string, m: string, d: string): string {
  return `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
}

/** A calendar day, or null when it does not exist (2月30日) or the year is unknown. */
function validDay(y: string | number | null | undefined, m: string, d: string): string | null {
  if (y === null || y === undefined || y === '') return null;
  const year = Number(y);
  const month = Number(m);
  const day = Number(d);
  const t = new Date(Date.UTC(year, month - 1, day));
  if (t.getUTCFullYear() !== year || t.getUTCMonth() !== month - 1 || t.getUTCDate() !== day) return null;
  return ymd(String(year), String(month), String(day));
}

/**
 * The sentence that announces the items (现将学员讨论发言情况整理如下：) when a paragraph ends with
 * it: the paragraph is split there, so that the 小结 before it is not lost into the 过渡语.
 */
export function splitTransition(paragraph: string): { before: string; transition: string } | null {
  if (!TRANSITION.test(paragraph)) return null;
  // The last sentence: what follows the last 。！？；(or their ASCII forms) before the end.
  const m = /^(.*[。！？；!?;])\s*([^。！？；!?;]+)$/u.exec(paragraph);
  if (!m) return { before: '', transition: paragraph.trim() };
  return { before: (m[1] as string).trim(), transition: (m[2] as string).trim() };
}

/** Splits into trimmed lines; blank lines are dropped (paragraph breaks are lines here). */
function linesOf(text: string): string[] {
  return text
    .replace(/\r\n?/gu, '\n')
    .replace(/\u2028|\u2029/gu, '\n')
    .split('\n')
    .map((l) => l.replace(/^[\s\u3000\u00a0\ufeff]+|[\s\u3000\u00a0\ufeff]+$/gu, ''))
    .filter((l) => l.length > 0);
}

export function parseBulletin(text: string, opts: ParseOptions = {}): ParsedBulletin {
  const known = new Set(opts.knownNames ?? []);
  const out: ParsedBulletin = {
    title: '',
    number: null,
    editor: '',
    issuedOn: null,
    issuedOnFrom: null,
    publisher: '',
    lead: '',
    summary: '',
    transition: '',
    items: [],
    reportTo: '',
    sendTo: '',
    issueTo: '',
    copies: 0,
    dropped: [],
  };

  // 1. Drop the page around the bulletin.
  const lines: string[] = [];
  let ended = false;
  for (const line of linesOf(text)) {
    if (ended || WEB_END.test(line)) {
      ended = true;
      out.dropped.push(line);
    } else if (isWebLine(line)) {
      out.dropped.push(line);
    } else {
      lines.push(line);
    }
  }

  // 2. The head: the printed 报头 (简报 name, 第N期, 编印单位 + date), title, byline, date.
  let i = 0;
  const headLimit = Math.min(lines.length, 8);
  let sawTitle = false;
  while (i < headLimit) {
    const line = lines[i] as string;
    const date = DATE_LINE.exec(line);
    const pubDate = PUBLISHER_DATE.exec(line);
    const monthDay = MONTH_DAY_LINE.exec(line);
    const pubMonthDay = PUBLISHER_MONTH_DAY.exec(line);
    const num = NUMBER_LINE.exec(line);
    const by = BYLINE.exec(line);
    if (date) {
      out.issuedOn ??= validDay(date[1], date[2] as string, date[3] as string);
    } else if (pubDate) {
      out.publisher = (pubDate[1] as string).trim();
      out.issuedOn ??= validDay(pubDate[2], pubDate[3] as string, pubDate[4] as string);
    } else if (monthDay) {
      out.issuedOn ??= validDay(opts.year, monthDay[1] as string, monthDay[2] as string);
    } else if (pubMonthDay) {
      out.publisher = (pubMonthDay[1] as string).trim();
      out.issuedOn ??= validDay(opts.year, pubMonthDay[2] as string, pubMonthDay[3] as string);
    } else if (num) {
      out.number ??= chineseNumber(num[1] as string);
    } else if (by) {
      out.editor = (by[1] as string).trim();
    } else if (!sawTitle && /简报$/u.test(line) && line.length <= 20 && NUMBER_LINE.test(lines[i + 1] ?? '')) {
      // The red 报头 name of a printed bulletin; the title proper comes later.
      out.dropped.push(line);
    } else if (!sawTitle && !matchInline(line) && !matchHeading(line) && line.length <= 80) {
      out.title = line;
      sawTitle = true;
      const n = NUMBER_IN_TITLE.exec(line);
      if (n) out.number ??= chineseNumber(n[1] as string);
    } else if (sawTitle && !out.editor && looksLikeName(line) && !known.has(line) && i + 1 < lines.length) {
      out.editor = line;
    } else {
      break;
    }
    i += 1;
  }

  // 3. The rest: lead until the first item, then items, then the 报尾.
  const pre: string[] = [];
  let current: { title: string; name: string; body: string[] } | null = null;
  const items: { title: string; name: string; body: string[] }[] = [];
  let inTail = false;
  const startItem = (title: string, name: string, first?: string) => {
    current = { title, name, body: first ? [first] : [] };
    items.push(current);
  };

  for (; i < lines.length; i++) {
    const line = lines[i] as string;
    const tail = TAIL.exec(line);
    const copies = COPIES.exec(line);
    if (tail || copies) {
      inTail = true;
      if (copies) out.copies = Number(copies[1]);
      else if (tail) {
        const key = tail[1] as string;
        const value = (tail[2] as string).trim();
        if (key === '报') out.reportTo = value;
        else if (key === '送' || key === '抄送') out.sendTo = value;
        else out.issueTo = value;
      }
      continue;
    }
    if (inTail) {
      out.dropped.push(line);
      continue;
    }
    const inline = matchInline(line);
    if (inline) {
      startItem(inline.title, inline.name, inline.text);
      continue;
    }
    const heading = matchHeading(line);
    const next = lines[i + 1];
    const followedByText = next !== undefined && !TAIL.test(next) && !COPIES.test(next);
    if (heading && followedByText) {
      startItem(heading.title, heading.name);
      continue;
    }
    const nameOnly = NAME_ONLY.exec(line);
    if (nameOnly && followedByText) {
      const name = nameOnly[1] as string;
      const itemsStarted = items.length > 0 || pre.some((p) => TRANSITION.test(p));
      if (known.has(name) || (itemsStarted && looksLikeName(name))) {
        startItem('', name);
        continue;
      }
    }
    const open = current as { body: string[] } | null;
    if (open) open.body.push(line);
    else pre.push(line);
  }

  // 4. Lead, summary and transition out of what came before the first item.
  const split = pre.length ? splitTransition(pre[pre.length - 1] as string) : null;
  let summaryBeforeTransition = false;
  if (split) {
    pre.pop();
    out.transition = split.transition;
    if (split.before) {
      pre.push(split.before);
      // What shared a paragraph with the transition is the organizer's 小结, unless it is all there is.
      summaryBeforeTransition = pre.length > 1;
    }
  } else if (items.length) out.transition = '';
  const last = pre[pre.length - 1];
  if (pre.length > 1 && last && (summaryBeforeTransition || SUMMARY_START.test(last))) out.summary = pre.pop() as string;
  out.lead = pre.join('\n');
  if (!out.issuedOn) {
    const d = DATE_IN_TEXT.exec(out.lead);
    const found = d ? validDay(d[1] ?? opts.year, d[2] as string, d[3] as string) : null;
    if (found) {
      out.issuedOn = found;
      out.issuedOnFrom = 'lead';
    }
  } else out.issuedOnFrom = 'head';
  if (!items.length && !out.transition) out.transition = '';

  out.items = items.map((it) => ({
    heading: it.title ? `${it.title} ${it.name}` : it.name,
    authorTitle: it.title,
    authorName: it.name,
    body: it.body.join('\n'),
  }));
  return out;
}

export { DEFAULT_TRANSITION };
