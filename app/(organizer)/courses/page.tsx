import type { Metadata } from 'next';
import Link from 'next/link';
import { AppShell, PageTitle } from '@/components/app-shell';
import { CourseList } from '@/components/course/course-list';
import { Alert } from '@/components/ui/alert';
import { buttonClass } from '@/components/ui/button-class';
import { inputClass } from '@/components/ui/field';
import { Pager } from '@/components/ui/pager';
import { listCourses } from '@/db/queries/courses';
import { requireRole } from '@/lib/auth/viewer';
import { listCoursesSchema } from '@/lib/validation/courses';

export const metadata: Metadata = { title: '读书班' };

export default async function CoursesPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const viewer = await requireRole('organizer', 'admin');
  const params = await searchParams;
  const filter = listCoursesSchema.parse(params);
  const status = filter.status ?? 'active';
  const list = await listCourses(viewer, filter);
  const isAdmin = viewer.role === 'admin';
  return (
    <AppShell viewer={viewer}>
      <PageTitle
        actions={
          <div className="flex flex-wrap gap-2">
            <Link href="/courses/statistics" className={buttonClass('secondary')}>
              统计总览
            </Link>
            <Link href="/courses/readings" className={buttonClass('secondary')}>
              学习篇目库
            </Link>
            <Link href="/courses/new" className={buttonClass()}>
              新建读书班
            </Link>
          </div>
        }
      >
        读书班
      </PageTitle>
      {params.deleted ? (
        <div className="mb-4">
          <Alert kind="success">读书班已删除。</Alert>
        </div>
      ) : null}
      <p className="mb-4 text-stone-700">
        {isAdmin ? '全部读书班。组织者只能看到并管理指派给他们的读书班。' : '你负责的读书班。管理员指派给你的、你新建的读书班都在这里。'}
      </p>
      <form method="get" role="search" aria-label="查找读书班" className="mb-4 flex flex-wrap items-end gap-3">
        <div className="min-w-0 flex-1 basis-56 space-y-1">
          <label htmlFor="course-q" className="block text-sm font-medium text-stone-800">
            搜索读书班
          </label>
          <input id="course-q" name="q" type="search" defaultValue={filter.q ?? ''} maxLength={50} placeholder="名称或栏目" className={inputClass} />
        </div>
        <div className="space-y-1">
          <label htmlFor="course-status" className="block text-sm font-medium text-stone-800">
            状态
          </label>
          <select id="course-status" name="status" defaultValue={status} className={inputClass}>
            <option value="active">进行中</option>
            <option value="archived">已归档</option>
            <option value="all">全部</option>
          </select>
        </div>
        <button type="submit" className={buttonClass('secondary')}>
          搜索
        </button>
      </form>
      {list.items.length === 0 ? (
        <div className="rounded-lg border border-dashed border-stone-300 bg-white p-6 text-stone-700">
          {filter.q
            ? `没有名称或栏目包含“${filter.q}”的读书班。`
            : status === 'archived'
              ? '没有已归档的读书班。'
              : isAdmin
                ? '还没有读书班。点“新建读书班”开始。'
                : '你还没有负责的读书班。可以新建一个，或请管理员把读书班指派给你。'}
        </div>
      ) : (
        <CourseList items={list.items} showOrganizers={isAdmin} />
      )}
      <Pager
        page={list.page}
        pageCount={list.pageCount}
        total={list.total}
        basePath="/courses"
        params={{ q: filter.q, status: filter.status }}
      />
    </AppShell>
  );
}
