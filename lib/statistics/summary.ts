// The 工作总结 paragraph: the course's figures in the register organizers report upward in
// (截至目前，共组织集中学习N次，……形成学习心得N篇，其中优秀心得N篇……), full-width punctuation
// throughout. Pure: the page, the export and the tests build it from the same figures.

export interface SummaryFigures {
  courseName: string;
  meetingsHeld: number;
  members: number;
  expected: number;
  submitted: number;
  onTime: number;
  late: number;
  missing: number;
  returned: number;
  returnRounds: number;
  approved: number;
  excellent: number;
  words: number;
  meanWords: number;
  inBulletins: number;
  bulletinsPublished: number;
}

function rate(part: number, whole: number): string {
  if (whole === 0) return '0%';
  return `${((part / whole) * 100).toFixed(1).replace(/\.0$/u, '')}%`;
}

export function summaryParagraph(f: SummaryFigures): string {
  const parts: string[] = [];
  parts.push(`截至目前，${f.courseName}共组织集中学习${f.meetingsHeld}次，参学学员${f.members}人`);
  parts.push(`形成学习心得${f.submitted}篇（应交${f.expected}篇，提交率${rate(f.submitted, f.expected)}），其中按时提交${f.onTime}篇、逾期提交${f.late}篇，尚有${f.missing}篇未交`);
  parts.push(`经审阅通过${f.approved}篇，其中优秀心得${f.excellent}篇`);
  let tail = `退回修改${f.returned}篇（共${f.returnRounds}轮）`;
  tail += `；心得合计${f.words}字，篇均${f.meanWords}字`;
  parts.push(tail);
  const bulletin =
    f.bulletinsPublished > 0 ? `编发学习简报${f.bulletinsPublished}期，刊发学员心得${f.inBulletins}篇。` : '学习简报尚未编发。';
  return `${parts.join('，')}；${bulletin}`;
}
