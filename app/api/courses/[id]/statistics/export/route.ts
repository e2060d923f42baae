import { exportCourseStatisticsXlsx } from '@/db/queries/statistics/export';
import { XLSX_CONTENT_TYPE } from '@/lib/export/escape';
import { fileDownload } from '@/lib/http';

// 导出Excel of a course's 统计 (organizers of the course, admins).

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  return fileDownload({
    roles: ['organizer', 'admin'],
    rawId: (await params).id,
    notFoundMessage: '找不到这个读书班',
    contentType: XLSX_CONTENT_TYPE,
    fallbackName: (id) => `statistics-${id}.xlsx`,
    build: async (viewer, courseId) => await exportCourseStatisticsXlsx(viewer, { courseId }),
  });
}
