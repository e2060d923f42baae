import type { Metadata } from 'next';
import Link from 'next/link';
import { getMyAccount } from '@/db/queries/account';
import { listCourses } from '@/db/queries/courses';
import { AccountCard } from '@/components/account/account-card';
import { AppShell, PageTitle } from '@/components/app-shell';
import { CourseList } from '@/components/course/course-list';
import { buttonClass } from '@/components/ui/button-class';
import { Pager } from '@/components/ui/pager';
import { requireRole } from '@/lib/auth/viewer';
import { pageSchema } from '@/lib/validation/common';

export const metadata: Metadata = { title: '我负责的读书班' };

/** The course summary that used to be the organizer's home: what has been handed in per course, and their account. */
export default async function ReviewCoursesPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const viewer = await requireRole('organizer', 'admin');
  const account = await getMyAccount(viewer);
  const params = await searchParams;
  const courses = await listCourses(viewer, { status: 'active', page: pageSchema.parse(params.page) });
  return (
    <AppShell viewer={viewer}>
      <nav aria-label="位置" className="mb-3 text-sm text-stone-600">
        <Link href="/review" className="underline-offset-2 hover:underline">
          审阅
        </Link>
        <span aria-hidden="true"> › </span>我负责的读书班
      </nav>
      <PageTitle
        actions={
          <div className="flex flex-wrap gap-2">
            <Link href="/courses" className={buttonClass('secondary')}>
              全部读书班
            </Link>
            <Link href="/courses/new" className={buttonClass()}>
              新建读书班
            </Link>
          </div>
        }
      >
        我负责的读书班
      </PageTitle>
      <div className="grid gap-5 md:grid-cols-[2fr_1fr]">
        <section aria-label="读书班" className="min-w-0">
          {courses.items.length === 0 ? (
            <p className="rounded-lg border border-stone-200 bg-white p-5 text-stone-700">
              你还没有负责的读书班。可以新建一个读书班，或请管理员把读书班指派给你。已归档的读书班在“全部读书班”里。
            </p>
          ) : (
            <CourseList items={courses.items} showOrganizers={false} headingLevel="h2" />
          )}
          {courses.pageCount > 1 ? (
            <Pager page={courses.page} pageCount={courses.pageCount} total={courses.total} basePath="/review/courses" params={{}} />
          ) : null}
        </section>
        {viewer.role === 'organizer' ? <AccountCard account={account} /> : null}
      </div>
    </AppShell>
  );
}
