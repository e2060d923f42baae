import { sendRobotReminderAction } from '@/app/(organizer)/review/tracker/actions';
import { ActionButton } from '@/components/course/action-button';
import { CopyButton } from '@/components/statistics/copy-button';

/**
 * 催交 in the tracker: 复制催交名单 (a message for the WeChat group with @姓名 of everyone
 * missing) and, when the course has a group robot, 发送提醒 to post the same message there.
 * Sending waits on the robot for at most a few seconds and only this button shows it.
 */
export function ReminderTools({ assignmentId, message, robot }: { assignmentId: number; message: string; robot: string | null }) {
  return (
    <div className="flex flex-wrap items-center gap-3">
      <CopyButton text={message} label="复制催交名单" done="催交名单已复制" />
      {robot ? (
        <ActionButton action={sendRobotReminderAction} fields={{ assignmentId }} pendingText="正在发送…">
          发送提醒（{robot}群）
        </ActionButton>
      ) : null}
    </div>
  );
}
