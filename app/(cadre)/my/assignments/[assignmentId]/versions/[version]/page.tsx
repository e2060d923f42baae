import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { listMyVersionQuotes } from '@/db/queries/reading-texts';
import { getMyReflectionVersion } from '@/db/queries/reflections/reads';
import { VersionQuotes } from '@/components/reader/version-quotes';
import { AppShell } from '@/components/app-shell';
import { ReflectionText } from '@/components/reflection-view/reflection-text';
import { requireRole } from '@/lib/auth/viewer';
import { formatDateTime } from '@/lib/time';
import { versionParamsSchema } from '@/lib/validation/reflections';

export const metadata: Metadata = { title: '历史版本' };

/** One submitted version of the cadre's own reflection, exactly as it was submitted. */
export default async function MyReflectionVersionPage({
  params,
}: {
  params: Promise<{ assignmentId: string; version: string }>;
}) {
  const viewer = await requireRole('cadre');
  const parsed = versionParamsSchema.safeParse(await params);
  if (!parsed.success) notFound();
  const v = await getMyReflectionVersion(viewer, parsed.data);
  const base = `/my/assignments/${v.assignmentId}`;
  return (
    <AppShell viewer={viewer}>
      <nav aria-label="位置" className="mb-3 text-sm text-stone-600">
        <Link href="/my" className="inline-flex min-h-11 items-center underline-offset-2 hover:underline">
          我的学习
        </Link>
        <span aria-hidden="true"> › </span>
        <Link href={base} className="inline-flex min-h-11 items-center break-words underline-offset-2 hover:underline">
          {v.assignmentTitle}
        </Link>
        <span aria-hidden="true"> › </span>
        <span>第 {v.version} 版</span>
      </nav>
      <article aria-labelledby="version-heading" className="mx-auto max-w-3xl rounded-lg border border-stone-200 bg-white p-5">
        <p className="text-sm text-stone-600">
          {v.courseName} · {v.assignmentTitle} · 第 {v.version} 版（共 {v.versionCount} 版）
        </p>
        <h1 id="version-heading" className="mt-1 text-2xl font-bold break-words">
          {v.title || '（无标题）'}
        </h1>
        <p className="mt-1 flex flex-wrap gap-x-3 text-sm text-stone-600">
          <span>{formatDateTime(v.submittedAt)} 提交</span>
          <span>字数 {v.charCount}</span>
          {v.late ? <span className="font-medium text-red-700">逾期提交</span> : null}
        </p>
        <ReflectionText body={v.body} className="mt-5" />
        <VersionQuotes quotes={await listMyVersionQuotes(viewer, { assignmentId: v.assignmentId, version: v.version })} />
      </article>
      <nav aria-label="其他版本" className="mx-auto mt-4 flex max-w-3xl flex-wrap justify-between gap-2 text-base">
        {v.version > 1 ? (
          <Link href={`${base}/versions/${v.version - 1}`} className="inline-flex min-h-11 items-center rounded-md border border-stone-300 bg-white px-3 py-2 hover:bg-stone-100">
            上一版（第 {v.version - 1} 版）
          </Link>
        ) : (
          <span />
        )}
        <Link href={base} className="inline-flex min-h-11 items-center rounded-md border border-stone-300 bg-white px-3 py-2 hover:bg-stone-100">
          返回心得
        </Link>
        {v.version < v.versionCount ? (
          <Link href={`${base}/versions/${v.version + 1}`} className="inline-flex min-h-11 items-center rounded-md border border-stone-300 bg-white px-3 py-2 hover:bg-stone-100">
            下一版（第 {v.version + 1} 版）
          </Link>
        ) : (
          <span />
        )}
      </nav>
    </AppShell>
  );
}
