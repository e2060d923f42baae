import { randomUUID } from 'node:crypto';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getMyAssignment } from '@/db/queries/reflections/reads';
import { ReadingLinks } from '@/components/reader/reading-links';
import { AppShell } from '@/components/app-shell';
import { ReflectionEditor } from '@/components/reflection-editor/reflection-editor';
import { LocalCopyNotice } from '@/components/reflection-editor/local-copy-notice';
import { shanghaiDay } from '@/components/reflection-editor/format';
import { CurrentDecision, DecisionHistory, splitDecision } from '@/components/reflection-view/decision-panel';
import { ReflectionText } from '@/components/reflection-view/reflection-text';
import { StatusBadge } from '@/components/reflection-view/status-badge';
import { SubmittedBar, SubmittedOutcome } from '@/components/reflection-view/submitted-outcome';
import { VersionList } from '@/components/reflection-view/version-list';
import { Alert } from '@/components/ui/alert';
import { requireRole } from '@/lib/auth/viewer';
import { deadlineLabel } from '@/lib/reflection/deadline';
import { limitsText } from '@/lib/reflection/limits';
import { formatDate, formatDateTime } from '@/lib/time';
import { assignmentParamsSchema } from '@/lib/validation/reflections';

export const metadata: Metadata = { title: '学习心得' };

export default async function MyAssignmentPage({
  params,
  searchParams,
}: {
  params: Promise<{ assignmentId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const viewer = await requireRole('cadre');
  const parsed = assignmentParamsSchema.safeParse(await params);
  if (!parsed.success) notFound();
  const now = new Date();
  const d = await getMyAssignment(viewer, { assignmentId: parsed.data.assignmentId }, now);
  const { assignment: a, reflection: r } = d;
  const decision = splitDecision(d.status, d.comments);
  const href = `/my/assignments/${a.id}`;
  const query = await searchParams;
  const submittedAt = r?.submittedAt ? formatDateTime(r.submittedAt) : '';
  const showOutcome = d.status === 'submitted' && !!r;

  let submitNote: string | null = null;
  if (d.status !== 'returned' && d.deadline.kind === 'late') {
    submitNote = `${deadlineLabel(d.deadline)}，现在提交将记为逾期提交${a.cutoffAt ? `；${formatDateTime(a.cutoffAt)} 后不再接受提交` : ''}。`;
  }

  return (
    <AppShell viewer={viewer}>
      <div className="group/page">
        <nav aria-label="位置" className="mb-3 text-sm text-stone-600">
          {/* A plain link, as in the shell: next/link would add a script file to the editor (issue 15). */}
          <a href="/my" className="inline-flex min-h-11 items-center underline-offset-2 hover:underline">
            我的学习
          </a>
          <span aria-hidden="true"> › </span>
          <span className="break-words">{d.course.name}</span>
        </nav>
        <div className="mb-4 flex flex-wrap items-start justify-between gap-3">
          <div className="min-w-0">
            <h1 className="text-2xl font-bold break-words text-stone-900">{a.title}</h1>
            <p className="mt-1 text-base text-stone-700">
              {d.meeting.title}
              {d.meeting.startsAt ? ` · ${formatDate(d.meeting.startsAt)}` : ''}
              {d.meeting.place ? ` · ${d.meeting.place}` : ''}
            </p>
          </div>
          {d.writable ? (
            // Once the editor has handed the text in it says so itself (data-just-submitted), without
            // a new render of this page: the badge follows by CSS alone.
            <>
              <span className="group-has-[[data-just-submitted]]/page:hidden">
                <StatusBadge status={d.status} />
              </span>
              <span className="hidden group-has-[[data-just-submitted]]/page:inline-flex">
                <StatusBadge status="submitted" />
              </span>
            </>
          ) : (
            <StatusBadge status={d.status} />
          )}
        </div>

        {showOutcome ? (
          <SubmittedOutcome
            assignmentId={a.id}
            version={r.versionCount}
            when={submittedAt}
            late={r.late}
            canWithdraw={d.canWithdraw}
            justSubmitted={query.submitted !== undefined}
          />
        ) : null}
        {query.withdrawn !== undefined && d.writable ? (
          <div className="mb-5">
            <Alert kind="success">已撤回，修改后请重新提交。以前提交的版本仍保留在“历史版本”里。</Alert>
          </div>
        ) : null}
        <CurrentDecision status={d.status} comment={decision.current} />
        <div className="grid gap-5 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
          <div className="min-w-0 space-y-5">

            {d.writable ? (
              <section aria-label="撰写心得">
                <ReflectionEditor
                  // A new revision (after 撤回) is a new editor, not the one that showed 已提交.
                  key={r?.revision ?? 0}
                  userId={viewer.id}
                  assignmentId={a.id}
                  minChars={a.minChars}
                  maxChars={a.maxChars}
                  readings={d.readings}
                  server={
                    r
                      ? {
                          title: r.title,
                          body: r.body,
                          readingIds: r.readingIds,
                          revision: r.revision,
                          updatedAt: r.updatedAt.getTime(),
                          charCount: r.charCount,
                        }
                      : null
                  }
                  submitNote={submitNote}
                  today={shanghaiDay(now.getTime())}
                  loginHref={`/login?callbackUrl=${encodeURIComponent(href)}`}
                  assignmentTitle={a.title}
                  plainSubmitKey={randomUUID()}
                />
              </section>
            ) : (
              <>
                {d.lockedReason && d.status !== 'approved' && !showOutcome ? <Alert kind="info">{d.lockedReason}</Alert> : null}
                <LocalCopyNotice
                  userId={viewer.id}
                  assignmentId={a.id}
                  server={r ? { title: r.title, body: r.body, readingIds: r.readingIds } : null}
                />
                {r ? (
                  <article aria-labelledby="text-heading" className="rounded-lg border border-stone-200 bg-white p-5">
                    <h2 id="text-heading" className="text-xl font-semibold break-words">
                      {r.title || '（无标题）'}
                    </h2>
                    <p className="mt-1 flex flex-wrap gap-x-3 text-sm text-stone-600">
                      <span>字数 {r.charCount}</span>
                      {r.submittedAt ? <span>{formatDateTime(r.submittedAt)} 提交第 {r.versionCount} 版</span> : <span>草稿，未提交</span>}
                      {r.late ? <span className="font-medium text-red-700">逾期提交</span> : null}
                    </p>
                    {d.readings.length > 0 && r.readingIds.length > 0 ? (
                      <p className="mt-1 text-sm text-stone-600">
                        涉及篇目：{d.readings.filter((x) => r.readingIds.includes(x.id)).map((x) => x.title).join('、')}
                      </p>
                    ) : null}
                    <ReflectionText body={r.body} className="mt-4" />
                  </article>
                ) : (
                  <p className="rounded-lg border border-stone-200 bg-white p-5 text-stone-700">没有提交心得。</p>
                )}
              </>
            )}

            <DecisionHistory comments={decision.history} />

            {d.versions.length > 0 ? (
              <section aria-labelledby="versions-heading" className="rounded-lg border border-stone-200 bg-white p-5">
                <h2 id="versions-heading" className="text-lg font-semibold">
                  历史版本
                </h2>
                <p className="mt-1 text-sm text-stone-600">每次提交的内容都会保留，可以点开阅读。</p>
                <div className="mt-3">
                  <VersionList assignmentId={a.id} versions={d.versions} />
                </div>
              </section>
            ) : null}
            {showOutcome ? <SubmittedBar version={r.versionCount} when={submittedAt} /> : null}
          </div>

          <aside aria-labelledby="task-heading" className="order-first h-fit rounded-lg border border-stone-200 bg-white p-5 lg:sticky lg:top-4 lg:order-none">
            <h2 id="task-heading" className="text-lg font-semibold">
              任务要求
            </h2>
            <dl className="mt-3 grid grid-cols-[4.5em_minmax(0,1fr)] gap-x-3 gap-y-2 text-base">
              <dt className="text-stone-600">截止</dt>
              <dd>
                {formatDateTime(a.dueAt)}
                {d.status === 'submitted' || d.status === 'approved' || d.status === 'returned' ? null : (
                  <span className={`block text-sm group-has-[[data-just-submitted]]/page:hidden ${d.deadline.kind === 'open' ? 'text-stone-600' : 'font-medium text-red-700'}`}>
                    {deadlineLabel(d.deadline)}
                  </span>
                )}
              </dd>
              {a.cutoffAt ? (
                <>
                  <dt className="text-stone-600">最迟</dt>
                  <dd>{formatDateTime(a.cutoffAt)} 后不再接受提交</dd>
                </>
              ) : null}
              <dt className="text-stone-600">逾期</dt>
              <dd>{a.allowLate ? '可以逾期提交，记为逾期' : '不接受逾期提交'}</dd>
              <dt className="text-stone-600">字数</dt>
              <dd>{limitsText(a.minChars, a.maxChars)}</dd>
              {d.readings.length > 0 ? (
                <>
                  <dt className="text-stone-600">篇目</dt>
                  <dd>
                    <ReadingLinks assignmentId={a.id} readings={d.readings} withText={d.readingsWithText} />
                  </dd>
                </>
              ) : null}
            </dl>
            {a.prompt ? (
              <>
                <h3 className="mt-4 text-base font-semibold">写作要求</h3>
                <p className="mt-1 text-base break-words whitespace-pre-line text-stone-800">{a.prompt}</p>
              </>
            ) : null}
          </aside>
        </div>
      </div>
    </AppShell>
  );
}
