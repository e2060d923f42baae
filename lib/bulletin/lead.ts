import { shanghaiParts } from '@/lib/time';
import { DEFAULT_TRANSITION } from './format';

// Drafting the routine parts of a 简报 from what the portal already knows: the 导语 from the
// meeting (when, which course, which sitting, who presided and spoke, what was read, what
// followed), a 小结 suggestion from the approved items' most frequent themes, and the 过渡语.
// Suggestions only: the organizer edits them, and nothing here is saved by itself.

export interface LeadMeeting {
  courseName: string;
  /** 开班式, 第六次集中学习 */
  title: string;
  startsAt: Date | null;
  place: string;
  /** 主持人: 区委组织部副部长张华 */
  presider: string;
  /** 讲话: 区委常委、组织部部长王强作动员讲话 (or just who spoke) */
  speech: string;
  /** 学习篇目 titles, with or without 《》 */
  readings: string[];
  /** How many speakers the bulletin carries: N名学员作交流发言 */
  speakers: number;
}

/** 5月9日上午 / 下午 / 晚上, in Asia/Shanghai, as 简报 date a sitting. */
export function leadDate(d: Date): string {
  const p = shanghaiParts(d);
  const part = p.hour < 12 ? '上午' : p.hour < 18 ? '下午' : '晚上';
  return `${p.month}月${p.day}日${part}`;
}

/** 《论党的自我革命》《习近平关于城市工作论述摘编》 */
export function bookTitles(titles: string[]): string {
  return titles
    .map((t) => t.trim().replace(/^《|》$/gu, ''))
    .filter(Boolean)
    .map((t) => `《${t}》`)
    .join('');
}

/** A sentence ends in 。 whatever it was typed with. */
function sentence(s: string): string {
  const t = s.trim().replace(/[，,、；;。.\s]+$/u, '');
  return t ? `${t}。` : '';
}

/**
 * The 导语 of a bulletin drawn from its meeting:
 * 5月9日上午，{读书班}在{地点}举行{会议}，{主持人}主持。{讲话}。学员们围绕《…》《…》开展原文导读，
 * 并进行分组讨论，N名学员作交流发言。
 */
export function draftLead(m: LeadMeeting): string {
  const when = m.startsAt ? leadDate(m.startsAt) : '近日';
  const course = m.courseName.trim();
  const title = m.title.trim();
  const place = m.place.trim() ? `在${m.place.trim()}` : '';
  // 开班式 / 结业式 read "读书班举行开班式"; a sitting reads "读书班举行第六次集中学习".
  const held = title ? `${place}举行${title}` : `${place}开展集中学习`;
  const presider = m.presider.trim() ? `，${m.presider.trim().replace(/主持$/u, '')}主持` : '';
  const parts: string[] = [`${when}，${course}${held}${presider}。`];
  const speech = m.speech.trim();
  if (speech) parts.push(sentence(/(讲话|讲课|辅导|报告|党课|授课|致辞|发言)/u.test(speech) ? speech : `${speech}作讲话`));
  const books = bookTitles(m.readings);
  const followed = m.speakers > 0 ? `并进行分组讨论，${m.speakers}名学员作交流发言` : '并进行分组讨论和交流发言';
  parts.push(books ? `学员们围绕${books}开展原文导读，${followed}。` : `学员们${followed.replace(/^并/u, '')}。`);
  return parts.join('');
}

export interface SummaryItem {
  /** The item's tags (基层治理, 三方共治 …). */
  tags: string[];
  body: string;
}

/**
 * The themes the items share most: each tag counts twice per item that carries it, each keyword
 * once per item it is among the top words of; ties keep the order first seen.
 */
export function frequentThemes(items: SummaryItem[], keywordsOf: (text: string) => string[], limit = 3): string[] {
  const score = new Map<string, number>();
  const add = (w: string, n: number) => score.set(w, (score.get(w) ?? 0) + n);
  for (const item of items) {
    for (const t of new Set(item.tags.map((x) => x.trim()).filter(Boolean))) add(t, 2);
    for (const k of new Set(keywordsOf(item.body))) add(k, 1);
  }
  const ranked = [...score.entries()].filter(([, n]) => n >= (items.length > 1 ? 2 : 1));
  ranked.sort((a, b) => b[1] - a[1]);
  // A keyword inside a chosen theme (治理 in 基层治理) says nothing new.
  const out: string[] = [];
  for (const [w] of ranked) {
    if (out.some((o) => o.includes(w) || w.includes(o))) continue;
    out.push(w);
    if (out.length >= limit) break;
  }
  return out;
}

function listOf(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join('、')}和${words[words.length - 1]}`;
}

/** One or two sentences of 小结 from the themes; '' when there are none. */
export function draftSummary(themes: string[]): string {
  if (!themes.length) return '';
  const first = `学员们结合各自工作实际，围绕${listOf(themes)}等交流了学习体会。`;
  return `${first}大家一致认为，要把学习成果转化为推动${themes[0]}的实际行动，以学促干、学用结合。`;
}

export { DEFAULT_TRANSITION };
