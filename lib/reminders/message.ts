import { formatDateTime } from '@/lib/time';

// 催交名单: the message an organizer pastes into the WeChat group or sends through the robot:
// the assignment, its deadline, and @姓名 of everyone who has not handed in. Full-width
// punctuation, as every text the portal writes.

export function reminderMessage(m: { courseName: string; meetingTitle: string; assignmentTitle: string; dueAt: Date; names: string[] }): string {
  return [
    `【催交提醒】${m.courseName}·${m.meetingTitle}：“${m.assignmentTitle}”截止时间为${formatDateTime(m.dueAt)}。`,
    `以下${m.names.length}位同志尚未提交学习心得，请抓紧登录学思门户提交：`,
    m.names.map((n) => `@${n}`).join(' '),
  ].join('\n');
}
