import type { Metadata } from 'next';
import Link from 'next/link';
import { deleteReadingAction } from '@/app/(organizer)/courses/actions';
import { AppShell, PageTitle } from '@/components/app-shell';
import { ActionButton } from '@/components/course/action-button';
import { Breadcrumbs } from '@/components/course/breadcrumbs';
import { ReadingForm } from '@/components/course/reading-form';
import { buttonClass } from '@/components/ui/button-class';
import { inputClass } from '@/components/ui/field';
import { Pager } from '@/components/ui/pager';
import { getReading, listReadings } from '@/db/queries/readings';
import { requireRole } from '@/lib/auth/viewer';
import { idSchema } from '@/lib/validation/common';
import { listSearchSchema } from '@/lib/validation/courses';

export const metadata: Metadata = { title: '学习篇目' };

const TH = 'px-3 py-2 text-left text-sm font-medium text-stone-700';
const TD = 'px-3 py-2 align-top';

/** The shared 学习篇目 library: search, add, edit (?edit=<id>), delete the unused. */
export default async function ReadingsPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const viewer = await requireRole('organizer', 'admin');
  const sp = await searchParams;
  const filter = listSearchSchema.parse(sp);
  const list = await listReadings(viewer, filter);
  const editId = idSchema.safeParse(sp.edit);
  const editing = editId.success ? await getReading(viewer, { id: editId.data }) : undefined;
  const listHref = `/courses/readings${filter.q ? `?q=${encodeURIComponent(filter.q)}` : ''}`;

  return (
    <AppShell viewer={viewer}>
      <Breadcrumbs items={[{ href: '/courses', label: '读书班' }, { label: '学习篇目' }]} />
      <PageTitle>学习篇目</PageTitle>
      <p className="mb-5 text-stone-700">
        所有读书班共用的篇目库。集中学习和心得任务从这里选篇目，同一篇目只需录入一次。点“原文”录入或替换篇目全文，
        <Link href="/courses/readings/search" className="text-brand-700 underline underline-offset-2">
          搜索原文
        </Link>
        。
      </p>
      <div className="grid gap-6 lg:grid-cols-[3fr_2fr]">
        <section aria-labelledby="library-heading" className="min-w-0">
          <h2 id="library-heading" className="mb-3 text-lg font-semibold">
            篇目库
          </h2>
          <form method="get" role="search" aria-label="查找篇目" className="mb-3 flex flex-wrap items-end gap-3">
            <div className="min-w-0 flex-1 basis-48 space-y-1">
              <label htmlFor="readings-q" className="block text-sm font-medium text-stone-800">
                搜索篇目
              </label>
              <input id="readings-q" name="q" type="search" defaultValue={filter.q ?? ''} maxLength={50} placeholder="篇名、出处或章节" className={inputClass} />
            </div>
            <button type="submit" className={buttonClass('secondary')}>
              搜索
            </button>
          </form>
          {list.items.length === 0 ? (
            <p className="rounded-lg border border-dashed border-stone-300 bg-white p-6 text-stone-700">
              {filter.q ? `没有包含“${filter.q}”的篇目。` : '篇目库还是空的。用右边的表单添加第一篇。'}
            </p>
          ) : (
            <div className="overflow-x-auto rounded-lg border border-stone-200 bg-white">
              <table className="w-full min-w-[36rem] border-collapse">
                <caption className="sr-only">学习篇目</caption>
                <thead className="bg-stone-50">
                  <tr>
                    <th scope="col" className={TH}>
                      篇名
                    </th>
                    <th scope="col" className={TH}>
                      出处
                    </th>
                    <th scope="col" className={TH}>
                      引用
                    </th>
                    <th scope="col" className={TH}>
                      <span className="sr-only">操作</span>
                    </th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-stone-100">
                  {list.items.map((r) => (
                    <tr key={r.id}>
                      <th scope="row" className={`${TD} max-w-64 break-words text-left font-medium`}>
                        {r.title}
                        {r.chapters ? <span className="block text-sm font-normal text-stone-600">{r.chapters}</span> : null}
                        {r.notes ? <span className="block whitespace-pre-line text-sm font-normal text-stone-500">{r.notes}</span> : null}
                      </th>
                      <td className={`${TD} max-w-48 break-words text-sm`}>{r.source || '—'}</td>
                      <td className={`${TD} text-sm tabular-nums`}>{r.useCount}</td>
                      <td className={TD}>
                        <div className="flex flex-wrap gap-2">
                          <Link href={`/courses/readings/${r.id}/text`} className={buttonClass('secondary')}>
                            原文<span className="sr-only">{r.title}</span>
                          </Link>
                          {r.editable ? (
                            <Link
                              href={`/courses/readings?${new URLSearchParams({ ...(filter.q ? { q: filter.q } : {}), edit: String(r.id) }).toString()}`}
                              className={buttonClass('secondary')}
                            >
                              修改<span className="sr-only">{r.title}</span>
                            </Link>
                          ) : (
                            <span className="text-sm text-stone-500">其他读书班在用</span>
                          )}
                          {r.deletable ? (
                            <ActionButton
                              action={deleteReadingAction}
                              fields={{ id: r.id }}
                              variant="danger"
                              confirm={`确定删除${r.title}？`}
                              confirmLabel="确认删除"
                            >
                              删除<span className="sr-only">{r.title}</span>
                            </ActionButton>
                          ) : null}
                        </div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <Pager page={list.page} pageCount={list.pageCount} total={list.total} basePath="/courses/readings" params={{ q: filter.q }} />
        </section>
        <section aria-labelledby="reading-form-heading" className="self-start rounded-lg border border-stone-200 bg-white p-5">
          <h2 id="reading-form-heading" className="mb-4 text-lg font-semibold">
            {editing ? '修改篇目' : '添加篇目'}
          </h2>
          {editing && !editing.editable ? (
            <p className="text-stone-700">这个篇目也用在你不负责的读书班中，不能修改；可以另建一个篇目。</p>
          ) : editing ? (
            <ReadingForm key={editing.id} reading={editing} />
          ) : (
            <ReadingForm />
          )}
          {editing ? (
            <Link href={listHref} className={`${buttonClass('secondary')} mt-4`}>
              取消修改
            </Link>
          ) : null}
        </section>
      </div>
    </AppShell>
  );
}
