import type { Metadata } from 'next';
import Link from 'next/link';
import { listQueueFilterOptions } from '@/db/queries/review/queue';
import { listTags } from '@/db/queries/tags';
import { AppShell, PageTitle } from '@/components/app-shell';
import { CreateTagForm, TagRow } from '@/components/review/tag-manager';
import { requireRole } from '@/lib/auth/viewer';

export const metadata: Metadata = { title: '标签' };

/** 标签 of each course the organizer runs: create, rename, merge, delete. */
export default async function TagsPage() {
  const viewer = await requireRole('organizer', 'admin');
  const { courses } = await listQueueFilterOptions(viewer, {});
  const all = await listTags(viewer);
  const byCourse = new Map<number, { name: string; tags: typeof all }>();
  for (const t of all) {
    const g = byCourse.get(t.courseId) ?? { name: t.courseName, tags: [] };
    g.tags.push(t);
    byCourse.set(t.courseId, g);
  }
  return (
    <AppShell viewer={viewer}>
      <nav aria-label="位置" className="mb-3 text-sm text-stone-600">
        <Link href="/review" className="underline-offset-2 hover:underline">
          审阅
        </Link>
        <span aria-hidden="true"> › </span>标签
      </nav>
      <PageTitle>标签</PageTitle>
      <p className="mb-4 text-stone-700">标签按读书班分开管理，如 基层治理、三方共治、疫情防控、作风建设。合并会把一个标签的心得都移到另一个标签上。</p>
      <div className="space-y-5">
        {courses.length > 0 ? <CreateTagForm courses={courses} /> : <p className="text-stone-700">你还没有负责的读书班。</p>}
        {[...byCourse.entries()].map(([courseId, g]) => (
          <section key={courseId} aria-labelledby={`course-${courseId}`} className="space-y-2">
            <h2 id={`course-${courseId}`} className="text-lg font-semibold">
              {g.name}
            </h2>
            <ul className="space-y-2">
              {g.tags.map((t) => (
                <TagRow key={t.id} tag={t} siblings={g.tags.filter((s) => s.id !== t.id).map((s) => ({ id: s.id, name: s.name }))} />
              ))}
            </ul>
          </section>
        ))}
        {all.length === 0 && courses.length > 0 ? <p className="text-stone-700">还没有标签。</p> : null}
      </div>
    </AppShell>
  );
}
