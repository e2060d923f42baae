import { exportTrackerXlsx } from '@/db/queries/tracker';
import { XLSX_CONTENT_TYPE } from '@/lib/export/escape';
import { fileDownload } from '@/lib/http';

// 导出Excel of one assignment's 交稿情况 (organizers of the course, admins).

export async function GET(_request: Request, { params }: { params: Promise<{ assignmentId: string }> }): Promise<Response> {
  return fileDownload({
    roles: ['organizer', 'admin'],
    rawId: (await params).assignmentId,
    notFoundMessage: '找不到这项心得任务',
    contentType: XLSX_CONTENT_TYPE,
    fallbackName: (id) => `tracker-${id}.xlsx`,
    build: async (viewer, assignmentId) => await exportTrackerXlsx(viewer, { assignmentId }),
  });
}
