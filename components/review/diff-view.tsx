import Link from 'next/link';
import type { ReviewVersionDto } from '@/db/queries/review/detail';
import { diffStats, diffTexts, type DiffPart } from '@/lib/review/diff';
import { formatDateTime } from '@/lib/time';
import s from './detail.module.css';

// A version beside the one before it: insertions underlined on green, deletions struck through on
// red, and for screen readers the words 新增 / 删除 around each change (colour is never the only cue).
// Their looks come from the section's class (detail.module.css), not a class on each change.

function Ins({ children }: { children: string }) {
  return (
    <ins>
      <span className="sr-only">[新增：</span>
      {children}
      <span className="sr-only">]</span>
    </ins>
  );
}

function Del({ children }: { children: string }) {
  return (
    <del>
      <span className="sr-only">[删除：</span>
      {children}
      <span className="sr-only">]</span>
    </del>
  );
}

function Parts({ parts }: { parts: DiffPart[] }) {
  return (
    <>
      {parts.map((p, i) => (p.kind === 'ins' ? <Ins key={i}>{p.text}</Ins> : p.kind === 'del' ? <Del key={i}>{p.text}</Del> : <span key={i}>{p.text}</span>))}
    </>
  );
}

export function DiffView({
  versions,
  selected,
  hrefFor,
}: {
  /** Newest first. */
  versions: ReviewVersionDto[];
  selected: number;
  hrefFor: (version: number) => string;
}) {
  const current = versions.find((v) => v.version === selected) ?? versions[0];
  if (!current) return null;
  const previous = versions.find((v) => v.version === current.version - 1);
  const diff = previous ? diffTexts(previous.body, current.body) : null;
  const stats = diff ? diffStats(diff) : null;
  const titleChanged = previous && previous.title !== current.title;
  return (
    <section aria-labelledby="versions-heading" className={`${s.card} ${s.versions}`}>
      <h2 id="versions-heading" className={s.h2}>
        历次版本
      </h2>
      <nav aria-label="选择版本" className={s.pick}>
        {[...versions].reverse().map((v) => (
          <Link
            key={v.version}
            href={hrefFor(v.version)}
            aria-current={v.version === current.version ? 'page' : undefined}
          >
            第 {v.version} 版
          </Link>
        ))}
      </nav>
      <p className={s.about}>
        第 {current.version} 版 · {formatDateTime(current.submittedAt)} 提交 · {current.charCount} 字{current.late ? ' · 逾期' : ''}
        {previous && stats ? `。与第 ${previous.version} 版相比：新增 ${stats.inserted} 字，删除 ${stats.deleted} 字` : '。这是第一次提交'}
      </p>
      {titleChanged ? (
        <p>
          标题：<Del>{previous.title}</Del> <Ins>{current.title}</Ins>
        </p>
      ) : null}
      {diff ? (
        <div className={s.diff}>
          {diff.map((p, i) =>
            p.kind === 'same' ? (
              <p key={i}>
                {p.text}
              </p>
            ) : p.kind === 'ins' ? (
              <p key={i}>
                <Ins>{p.text}</Ins>
              </p>
            ) : p.kind === 'del' ? (
              <p key={i}>
                <Del>{p.text}</Del>
              </p>
            ) : (
              <p key={i}>
                <Parts parts={p.parts} />
              </p>
            ),
          )}
        </div>
      ) : null}
    </section>
  );
}
