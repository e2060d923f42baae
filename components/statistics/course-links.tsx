import Link from 'next/link';
import { buttonClass } from '@/components/ui/button-class';

/** The course page's way to its 统计 (and, for an admin, the group-robot reminder settings). */
export function CourseStatisticsLinks({ courseId, isAdmin }: { courseId: number; isAdmin: boolean }) {
  return (
    <div className="flex flex-wrap gap-2">
      <Link href={`/courses/${courseId}/statistics`} className={buttonClass('secondary')}>
        统计
      </Link>
      {isAdmin ? (
        <Link href={`/courses/${courseId}/webhook`} className={buttonClass('secondary')}>
          群机器人提醒
        </Link>
      ) : null}
    </div>
  );
}
