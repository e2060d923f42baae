import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { AppShell, PageTitle } from '@/components/app-shell';
import { Breadcrumbs } from '@/components/course/breadcrumbs';
import { MeetingForm } from '@/components/course/meeting-form';
import { getCourse } from '@/db/queries/courses';
import { listReadingChoices } from '@/db/queries/readings';
import { requireRole } from '@/lib/auth/viewer';
import { idSchema } from '@/lib/validation/common';

export const metadata: Metadata = { title: '添加集中学习' };

export default async function NewMeetingPage({ params }: { params: Promise<{ id: string }> }) {
  const viewer = await requireRole('organizer', 'admin');
  const parsed = idSchema.safeParse((await params).id);
  if (!parsed.success) notFound();
  const course = await getCourse(viewer, { id: parsed.data });
  return (
    <AppShell viewer={viewer}>
      <Breadcrumbs
        items={[
          { href: '/courses', label: '读书班' },
          { href: `/courses/${course.id}?tab=meetings`, label: course.name },
          { label: '添加集中学习' },
        ]}
      />
      <PageTitle>添加集中学习</PageTitle>
      <div className="max-w-2xl rounded-lg border border-stone-200 bg-white p-5">
        <MeetingForm courseId={course.id} choices={await listReadingChoices(viewer)} />
      </div>
    </AppShell>
  );
}
