import type { Metadata } from 'next';
import Link from 'next/link';
import { getMyAccount } from '@/db/queries/account';
import { listCourses } from '@/db/queries/courses';
import { AccountCard } from '@/components/account/account-card';
import { AppShell, PageTitle } from '@/components/app-shell';
import { CourseList } from '@/components/course/course-list';
import { Alert } from '@/components/ui/alert';
import { buttonClass } from '@/components/ui/button-class';
import { Pager } from '@/components/ui/pager';
import { requireRole } from '@/lib/auth/viewer';
import { pageSchema } from '@/lib/validation/common';

export const metadata: Metadata = { title: '审阅' };

/** The organizer's home: the courses they run, with what has been handed in, and their account. */
export default async function ReviewPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const viewer = await requireRole('organizer');
  const account = getMyAccount(viewer);
  const params = await searchParams;
  const courses = listCourses(viewer, { status: 'active', page: pageSchema.parse(params.page) });
  return (
    <AppShell viewer={viewer}>
      <PageTitle>审阅</PageTitle>
      {params.passwordChanged ? (
        <div className="mb-4">
          <Alert kind="success">密码已修改。</Alert>
        </div>
      ) : null}
      <div className="grid gap-5 md:grid-cols-[2fr_1fr]">
        <section aria-labelledby="courses-heading" className="min-w-0">
          <div className="mb-3 flex flex-wrap items-center justify-between gap-3">
            <h2 id="courses-heading" className="text-lg font-semibold">
              我负责的读书班
            </h2>
            <div className="flex flex-wrap gap-2">
              <Link href="/courses" className={buttonClass('secondary')}>
                全部读书班
              </Link>
              <Link href="/courses/new" className={buttonClass()}>
                新建读书班
              </Link>
            </div>
          </div>
          {courses.items.length === 0 ? (
            <p className="rounded-lg border border-stone-200 bg-white p-5 text-stone-700">
              你还没有负责的读书班。可以新建一个读书班,或请管理员把读书班指派给你。已归档的读书班在“全部读书班”里。
            </p>
          ) : (
            <CourseList items={courses.items} showOrganizers={false} headingLevel="h3" />
          )}
          {courses.pageCount > 1 ? (
            <Pager page={courses.page} pageCount={courses.pageCount} total={courses.total} basePath="/review" params={{}} />
          ) : null}
        </section>
        <AccountCard account={account} />
      </div>
    </AppShell>
  );
}
