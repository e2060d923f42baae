import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getReviewReflection, listDecisionBank } from '@/db/queries/review/detail';
import { getQueueNeighbors } from '@/db/queries/review/queue';
import { tagSuggestionsFor } from '@/db/queries/tags';
import { AppShell } from '@/components/app-shell';
import { charLimits } from '@/components/course/format';
import { StatusBadge } from '@/components/reflection-view/status-badge';
import { ReflectionText } from '@/components/reflection-view/reflection-text';
import { DecisionForm } from '@/components/review/decision-form';
import { DetailKeys } from '@/components/review/detail-keys';
import { DiffView } from '@/components/review/diff-view';
import { OriginalityPanel } from '@/components/originality/originality-panel';
import { WordingReview } from '@/components/wording/wording-review';
import { getOriginalityForReview } from '@/db/queries/originality/reads';
import { rulesInForce } from '@/db/queries/wording/rules';
import { ExcellentToggle, NoteForm, TagPanel } from '@/components/review/side-forms';
import { Alert } from '@/components/ui/alert';
import { buttonClass } from '@/components/ui/button-class';
import { requireRole } from '@/lib/auth/viewer';
import { formatDateTime } from '@/lib/time';
import { idSchema } from '@/lib/validation/common';
import { filterQuery, reviewFilterSchema } from '@/lib/validation/review';

export const metadata: Metadata = { title: '审阅心得' };

const DONE: Record<string, string> = {
  approve: '已通过，学员会收到通知。',
  return: '已退回修改，学员会收到通知和评语。',
};

export default async function ReviewReflectionPage({
  params,
  searchParams,
}: {
  params: Promise<{ reflectionId: string }>;
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const viewer = await requireRole('organizer', 'admin');
  const parsedId = idSchema.safeParse((await params).reflectionId);
  if (!parsedId.success) notFound();
  const id = parsedId.data;
  const sp = await searchParams;
  const filter = reviewFilterSchema.parse(sp);
  const d = getReviewReflection(viewer, { id });
  const neighbours = getQueueNeighbors(viewer, { filter: sp, reflectionId: id });
  const q = filterQuery(filter);
  const withQ = (path: string, extra: Record<string, string> = {}) => {
    const all = new URLSearchParams(q);
    for (const [k, v] of Object.entries(extra)) all.set(k, v);
    const s = all.toString();
    return s ? `${path}?${s}` : path;
  };
  const self = withQ(`/review/${id}`);
  const bank = d.status === 'submitted' ? listDecisionBank(viewer, { courseId: d.course.id }) : [];
  const suggestions = tagSuggestionsFor(viewer, d);
  const latest = d.versions[0]?.version ?? 0;
  const chosenVersion = Number(sp.v) > 0 && Number(sp.v) <= latest ? Number(sp.v) : latest;
  const initialDecision = sp.decide === 'approve' || sp.decide === 'return' ? sp.decide : null;
  const done = sp.done ? DONE[sp.done] : undefined;
  const decided = sp.decided ? DONE[sp.decided] : undefined;

  return (
    <AppShell viewer={viewer}>
      <nav aria-label="位置" className="mb-3 text-sm text-stone-600">
        <Link href={withQ('/review')} className="underline-offset-2 hover:underline">
          审阅
        </Link>
        <span aria-hidden="true"> › </span>
        <span className="break-words">{d.course.name}</span>
      </nav>
      {done ? (
        <div className="mb-4">
          <Alert kind="success">{done}</Alert>
        </div>
      ) : decided ? (
        <div className="mb-4">
          <Alert kind="success">上一篇{decided.replace(/。$/u, '')}；这是下一篇待审阅的心得。</Alert>
        </div>
      ) : null}

      <div className="mb-4 flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h1 className="text-2xl font-bold break-words text-stone-900">{d.title || '（无标题）'}</h1>
          <p className="mt-1 text-base break-words text-stone-700">
            {d.author.title ? `${d.author.title} ` : ''}
            <strong>{d.author.name}</strong>
            {d.author.unitName ? ` · ${d.author.unitName}` : ''}
            {d.author.groupName ? ` · ${d.author.groupName}` : ''}
          </p>
          <p className="mt-1 text-sm text-stone-600">
            {d.meeting.title} · {d.assignment.title} · {d.charCount} 字 · 第 {d.versionCount} 版
            {d.submittedAt ? ` · ${formatDateTime(d.submittedAt)} 提交` : ''}
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <StatusBadge status={d.status} />
          {d.late ? <span className="rounded-full bg-orange-50 px-2.5 py-0.5 text-sm font-medium text-orange-900 ring-1 ring-orange-300 ring-inset">逾期</span> : null}
          {d.excellent ? <span className="rounded-full bg-yellow-50 px-2.5 py-0.5 text-sm font-medium text-yellow-900 ring-1 ring-yellow-400 ring-inset">优秀</span> : null}
        </div>
      </div>

      <nav aria-label="翻篇" className="mb-5 flex flex-wrap items-center gap-2">
        {neighbours.prevId ? (
          <Link href={withQ(`/review/${neighbours.prevId}`)} className={buttonClass('secondary')} rel="prev">
            上一篇 <kbd className="ml-1 rounded border border-stone-300 px-1 text-sm">k</kbd>
          </Link>
        ) : (
          <span className={`${buttonClass('secondary')} opacity-50`} aria-disabled="true">
            没有上一篇
          </span>
        )}
        {neighbours.nextId ? (
          <Link href={withQ(`/review/${neighbours.nextId}`)} className={buttonClass('secondary')} rel="next">
            下一篇 <kbd className="ml-1 rounded border border-stone-300 px-1 text-sm">j</kbd>
          </Link>
        ) : (
          <span className={`${buttonClass('secondary')} opacity-50`} aria-disabled="true">
            没有下一篇
          </span>
        )}
        <Link href={withQ('/review')} className={buttonClass('secondary')}>
          返回列表
        </Link>
        <DetailKeys
          prevHref={neighbours.prevId ? withQ(`/review/${neighbours.prevId}`) : null}
          nextHref={neighbours.nextId ? withQ(`/review/${neighbours.nextId}`) : null}
        />
      </nav>

      <div className="grid gap-5 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <div className="min-w-0 space-y-5">
          <article aria-labelledby="text-heading" className="rounded-lg border border-stone-200 bg-white p-4 sm:p-6">
            <h2 id="text-heading" className="mb-3 text-lg font-semibold">
              心得正文（第 {d.versionCount} 版）
            </h2>
            <ReflectionText body={d.body} />
          </article>
          <OriginalityPanel data={getOriginalityForReview(viewer, { id })} reportHref={`/review/originality/${d.course.id}`} />
          <WordingReview body={d.body} rules={rulesInForce()} />
          {d.versions.length > 0 ? (
            <DiffView versions={d.versions} selected={chosenVersion} hrefFor={(v) => withQ(`/review/${id}`, { v: String(v) })} />
          ) : null}
          <section aria-labelledby="history-heading" className="rounded-lg border border-stone-200 bg-white p-4">
            <h2 id="history-heading" className="mb-3 text-lg font-semibold">
              审阅记录
            </h2>
            {d.comments.length === 0 ? (
              <p className="text-stone-600">还没有审阅记录。</p>
            ) : (
              <ol className="space-y-3">
                {d.comments.map((c) => (
                  <li
                    key={c.id}
                    className={`rounded-md border p-3 ${c.internal ? 'border-dashed border-stone-400 bg-stone-50' : 'border-stone-200 bg-white'}`}
                  >
                    <p className="flex flex-wrap gap-x-2 text-sm text-stone-600">
                      <span>{c.authorName ?? '组织者'}</span>
                      <span>{formatDateTime(c.createdAt)}</span>
                      {c.version ? <span>关于第 {c.version} 版</span> : null}
                      {c.decision ? <span className="font-medium text-stone-800">{c.decision === 'approve' ? '通过' : '退回修改'}</span> : null}
                      {c.internal ? <span className="font-medium text-stone-800">内部备注（学员看不到）</span> : null}
                    </p>
                    {c.body ? <p className="mt-1 text-base break-words whitespace-pre-line text-stone-900">{c.body}</p> : null}
                  </li>
                ))}
              </ol>
            )}
          </section>
        </div>

        <div className="min-w-0 space-y-5">
          <section aria-label="审阅" className="rounded-lg border-2 border-stone-300 bg-white p-4">
            {d.status === 'submitted' ? (
              <DecisionForm
                key={d.revision}
                reflectionId={d.id}
                revision={d.revision}
                filter={q}
                initialDecision={initialDecision}
                bank={bank}
                reloadHref={self}
              />
            ) : (
              <div className="space-y-3">
                <h2 className="text-lg font-semibold">审阅意见</h2>
                <p className="text-base text-stone-800">
                  {d.status === 'approved'
                    ? '这篇心得已通过。'
                    : '这篇心得已退回修改，学员修改后重新提交时会回到“待审阅”。'}
                </p>
                {d.status === 'approved' ? (
                  <ExcellentToggle key={`x${d.revision}`} reflectionId={d.id} revision={d.revision} excellent={d.excellent} reloadHref={self} />
                ) : null}
              </div>
            )}
          </section>

          <section className="rounded-lg border border-stone-200 bg-white p-4">
            <TagPanel reflectionId={d.id} applied={d.tags} courseTags={d.courseTags} suggestions={suggestions} />
          </section>

          <section aria-labelledby="assignment-heading" className="rounded-lg border border-stone-200 bg-white p-4">
            <h2 id="assignment-heading" className="text-lg font-semibold">
              心得任务：{d.assignment.title}
            </h2>
            <p className="mt-1 text-sm text-stone-600">
              {d.meeting.title} · 截止 {formatDateTime(d.assignment.dueAt)} · {charLimits(d.assignment.minChars, d.assignment.maxChars)}
            </p>
            {d.assignment.prompt ? <p className="mt-2 text-base break-words whitespace-pre-line text-stone-900">{d.assignment.prompt}</p> : null}
            <h3 className="mt-3 text-base font-semibold">学习篇目</h3>
            {d.readings.length === 0 ? (
              <p className="text-sm text-stone-600">没有指定篇目。</p>
            ) : (
              <ul className="mt-1 space-y-1">
                {d.readings.map((r) => (
                  <li key={r.id} className="text-base">
                    {r.title}
                    {r.source ? <span className="text-sm text-stone-600"> · {r.source}</span> : null}
                    {d.citedReadingIds.includes(r.id) ? <span className="ml-1 text-sm text-green-800">（学员选用）</span> : null}
                  </li>
                ))}
              </ul>
            )}
          </section>

          {d.status !== 'submitted' ? (
            <section className="rounded-lg border border-stone-200 bg-white p-4">
              <NoteForm key={`n${d.comments.length}`} reflectionId={d.id} reloadHref={self} />
            </section>
          ) : null}
        </div>
      </div>
    </AppShell>
  );
}
