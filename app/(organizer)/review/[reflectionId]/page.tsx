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
import s from '@/components/review/detail.module.css';
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
  const d = await getReviewReflection(viewer, { id });
  const neighbours = await getQueueNeighbors(viewer, { filter: sp, reflectionId: id });
  const q = filterQuery(filter);
  const withQ = (path: string, extra: Record<string, string> = {}) => {
    const all = new URLSearchParams(q);
    for (const [k, v] of Object.entries(extra)) all.set(k, v);
    const s = all.toString();
    return s ? `${path}?${s}` : path;
  };
  const self = withQ(`/review/${id}`);
  const bank = d.status === 'submitted' ? await listDecisionBank(viewer, { courseId: d.course.id }) : [];
  const suggestions = tagSuggestionsFor(viewer, d);
  const latest = d.versions[0]?.version ?? 0;
  const chosenVersion = Number(sp.v) > 0 && Number(sp.v) <= latest ? Number(sp.v) : latest;
  const initialDecision = sp.decide === 'approve' || sp.decide === 'return' ? sp.decide : null;
  const done = sp.done ? DONE[sp.done] : undefined;
  const decided = sp.decided ? DONE[sp.decided] : undefined;

  return (
    <AppShell viewer={viewer}>
      <nav aria-label="位置" className={s.crumb}>
        <Link href={withQ('/review')}>
          审阅
        </Link>
        <span aria-hidden="true"> › </span>
        <span>{d.course.name}</span>
      </nav>
      {done ? (
        <div className={s.done}>
          <Alert kind="success">{done}</Alert>
        </div>
      ) : decided ? (
        <div className={s.done}>
          <Alert kind="success">上一篇{decided.replace(/。$/u, '')}；这是下一篇待审阅的心得。</Alert>
        </div>
      ) : null}

      <div className={s.head}>
        <div>
          <h1>{d.title || '（无标题）'}</h1>
          <p className={s.byline}>
            {d.author.title ? `${d.author.title} ` : ''}
            <strong>{d.author.name}</strong>
            {d.author.unitName ? ` · ${d.author.unitName}` : ''}
            {d.author.groupName ? ` · ${d.author.groupName}` : ''}
          </p>
          <p className={s.meta}>
            {d.meeting.title} · {d.assignment.title} · {d.charCount} 字 · 第 {d.versionCount} 版
            {d.submittedAt ? ` · ${formatDateTime(d.submittedAt)} 提交` : ''}
          </p>
        </div>
        <div className={s.badges}>
          <StatusBadge status={d.status} />
          {d.late ? <span className={s.late}>逾期</span> : null}
          {d.excellent ? <span className={s.excellent}>优秀</span> : null}
        </div>
      </div>

      <nav aria-label="翻篇" className={s.pager}>
        {neighbours.prevId ? (
          <Link href={withQ(`/review/${neighbours.prevId}`)} className={s.b} rel="prev">
            上一篇 <kbd>k</kbd>
          </Link>
        ) : (
          <span className={`${s.b} ${s.off}`} aria-disabled="true">
            没有上一篇
          </span>
        )}
        {neighbours.nextId ? (
          <Link href={withQ(`/review/${neighbours.nextId}`)} className={s.b} rel="next">
            下一篇 <kbd>j</kbd>
          </Link>
        ) : (
          <span className={`${s.b} ${s.off}`} aria-disabled="true">
            没有下一篇
          </span>
        )}
        <Link href={withQ('/review')} className={s.b}>
          返回列表
        </Link>
        <DetailKeys
          prevHref={neighbours.prevId ? withQ(`/review/${neighbours.prevId}`) : null}
          nextHref={neighbours.nextId ? withQ(`/review/${neighbours.nextId}`) : null}
        />
      </nav>

      <div className={s.cols}>
        <div>
          <article aria-labelledby="text-heading" className={`${s.card} ${s.text}`}>
            <h2 id="text-heading" className={s.h2}>
              心得正文（第 {d.versionCount} 版）
            </h2>
            <ReflectionText body={d.body} />
          </article>
          <OriginalityPanel data={await getOriginalityForReview(viewer, { id })} reportHref={`/review/originality/${d.course.id}`} />
          <WordingReview body={d.body} rules={await rulesInForce()} />
          {d.versions.length > 0 ? (
            <DiffView versions={d.versions} selected={chosenVersion} hrefFor={(v) => withQ(`/review/${id}`, { v: String(v) })} />
          ) : null}
          <section aria-labelledby="history-heading" className={s.card}>
            <h2 id="history-heading" className={s.h2}>
              审阅记录
            </h2>
            {d.comments.length === 0 ? (
              <p className={s.muted}>还没有审阅记录。</p>
            ) : (
              <ol className={s.history}>
                {d.comments.map((c) => (
                  <li key={c.id} className={c.internal ? s.internal : undefined}>
                    <p>
                      <span>{c.authorName ?? '组织者'}</span>
                      <span>{formatDateTime(c.createdAt)}</span>
                      {c.version ? <span>关于第 {c.version} 版</span> : null}
                      {c.decision ? <span className={s.strong}>{c.decision === 'approve' ? '通过' : '退回修改'}</span> : null}
                      {c.internal ? <span className={s.strong}>内部备注（学员看不到）</span> : null}
                    </p>
                    {c.body ? <p>{c.body}</p> : null}
                  </li>
                ))}
              </ol>
            )}
          </section>
        </div>

        <div>
          <section aria-label="审阅" className={s.decide}>
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
              <div className={s.stack}>
                <h2 className={s.h2}>审阅意见</h2>
                <p className={s.status}>
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

          <section className={s.card}>
            <TagPanel reflectionId={d.id} applied={d.tags} courseTags={d.courseTags} suggestions={suggestions} />
          </section>

          <section aria-labelledby="assignment-heading" className={`${s.card} ${s.task}`}>
            <h2 id="assignment-heading" className={s.h2}>
              心得任务：{d.assignment.title}
            </h2>
            <p className={s.meta}>
              {d.meeting.title} · 截止 {formatDateTime(d.assignment.dueAt)} · {charLimits(d.assignment.minChars, d.assignment.maxChars)}
            </p>
            {d.assignment.prompt ? <p className={s.prose}>{d.assignment.prompt}</p> : null}
            <h3>学习篇目</h3>
            {d.readings.length === 0 ? (
              <p className={s.hint}>没有指定篇目。</p>
            ) : (
              <ul>
                {d.readings.map((r) => (
                  <li key={r.id}>
                    {r.title}
                    {r.source ? <span> · {r.source}</span> : null}
                    {d.citedReadingIds.includes(r.id) ? <span className={s.cited}>（学员选用）</span> : null}
                  </li>
                ))}
              </ul>
            )}
          </section>

          {d.status !== 'submitted' ? (
            <section className={s.card}>
              <NoteForm key={`n${d.comments.length}`} reflectionId={d.id} reloadHref={self} />
            </section>
          ) : null}
        </div>
      </div>
    </AppShell>
  );
}
