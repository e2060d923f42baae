import 'server-only';
import ExcelJS from 'exceljs';
import type { z } from 'zod';
import { getCourseStatistics, type courseStatisticsSchema, type CourseStatisticsDto, type StatRow } from '@/db/queries/statistics/course';
import type { Viewer } from '@/lib/auth/viewer-type';
import { escapeCell } from '@/lib/export/escape';
import { FIGURE_COLUMNS } from '@/lib/statistics/links';
import { summaryParagraph } from '@/lib/statistics/summary';
import { formatDateTime } from '@/lib/time';

// 统计 as an .xlsx: a sheet for the 工作总结 and the course's figures, then one per breakdown
// (集中学习, 单位 with its sub-units, 讨论小组, 周, 标签). Every text cell goes through the
// export escaping rule, so a 单位 or tag name never runs as a formula.


export const SHEET_NAMES = ['总体', '按集中学习', '按单位', '按讨论小组', '按周', '标签'] as const;

export function statisticsFileName(s: Pick<CourseStatisticsDto, 'course'>): string {
  return `统计-${s.course.name.replace(/[\\/:*?"<>|\r\n\t]/gu, '').slice(0, 60)}.xlsx`;
}

export async function statisticsWorkbook(s: CourseStatisticsDto): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '学思';
  wb.created = s.generatedAt;
  const e = (v: string) => escapeCell(v);

  const overall = wb.addWorksheet('总体');
  overall.addRow([e(s.course.name)]).font = { bold: true, size: 14 };
  overall.addRow([`统计时间：${formatDateTime(s.generatedAt)}`]);
  overall.addRow([]);
  overall.addRow(['工作总结']).font = { bold: true };
  overall.addRow([e(summaryParagraph({ courseName: s.course.name, meetingsHeld: s.meetingsHeld, bulletinsPublished: s.bulletinsPublished, ...s.totals }))]);
  overall.getRow(5).alignment = { wrapText: true, vertical: 'top' };
  overall.getRow(5).height = 90;
  overall.addRow([]);
  overall.addRow(['项目', '数量']).font = { bold: true };
  overall.addRow(['集中学习（次）', s.meetingsHeld]);
  overall.addRow(['心得任务（项）', s.assignmentCount]);
  overall.addRow(['已发布简报（期）', s.bulletinsPublished]);
  for (const c of FIGURE_COLUMNS) overall.addRow([c.label, s.totals[c.key]]);
  overall.getColumn(1).width = 80;
  overall.getColumn(2).width = 12;

  const breakdown = (name: string, head: string, rows: StatRow[], withTotal: boolean) => {
    const ws = wb.addWorksheet(name);
    ws.addRow([head, ...FIGURE_COLUMNS.map((c) => c.label)]).font = { bold: true };
    for (const r of rows) ws.addRow([e(`${'　'.repeat(r.depth)}${r.label}`), ...FIGURE_COLUMNS.map((c) => r.figures[c.key])]);
    if (withTotal) ws.addRow(['全班合计', ...FIGURE_COLUMNS.map((c) => s.totals[c.key])]).font = { bold: true };
    ws.columns.forEach((col, i) => {
      col.width = i === 0 ? 30 : 10;
    });
    ws.views = [{ state: 'frozen', ySplit: 1, xSplit: 1 }];
  };
  breakdown('按集中学习', '集中学习', s.byMeeting, true);
  breakdown('按单位', '单位（含下级单位）', s.byUnit, true);
  breakdown('按讨论小组', '讨论小组', s.byGroup, true);
  breakdown('按周', '周（提交时间）', s.byWeek, false);
  const tags = wb.addWorksheet('标签');
  tags.addRow(['标签', '心得篇数']).font = { bold: true };
  for (const t of s.tags) tags.addRow([e(t.name), t.count]);
  tags.getColumn(1).width = 24;
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function exportCourseStatisticsXlsx(viewer: Viewer, input: z.input<typeof courseStatisticsSchema>): Promise<{ buffer: Buffer; fileName: string; stats: CourseStatisticsDto }> {
  const stats = await getCourseStatistics(viewer, input);
  return { buffer: await statisticsWorkbook(stats), fileName: statisticsFileName(stats), stats };
}
