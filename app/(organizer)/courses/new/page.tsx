import type { Metadata } from 'next';
import { AppShell, PageTitle } from '@/components/app-shell';
import { Breadcrumbs } from '@/components/course/breadcrumbs';
import { CourseForm } from '@/components/course/course-form';
import { requireRole } from '@/lib/auth/viewer';

export const metadata: Metadata = { title: '新建读书班' };

export default async function NewCoursePage() {
  const viewer = await requireRole('organizer', 'admin');
  return (
    <AppShell viewer={viewer}>
      <Breadcrumbs items={[{ href: '/courses', label: '读书班' }, { label: '新建读书班' }]} />
      <PageTitle>新建读书班</PageTitle>
      <div className="max-w-2xl rounded-lg border border-stone-200 bg-white p-5">
        <CourseForm />
        <p className="mt-4 text-sm text-stone-600">
          {viewer.role === 'organizer'
            ? '创建后你就是这个读书班的组织者；其他组织者由管理员指派。'
            : '创建后请在“组织者”一栏指派负责的组织者。'}
        </p>
      </div>
    </AppShell>
  );
}
