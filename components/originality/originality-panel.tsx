import Link from 'next/link';
import type { OriginalityDto, PassageDto } from '@/db/queries/originality/reads';

// 查重 in the review detail: the share of the text overlapping other people's writing (quotes of
// the assigned readings counted apart as 引用原文), the top sources with links, and each matched
// passage side by side, highlighted.

const pct = (perMille: number) => `${(perMille / 10).toFixed(perMille % 10 === 0 ? 0 : 1)}%`;

function Side({ label, part }: { label: string; part: PassageDto['ours'] }) {
  return (
    <div className="min-w-0 rounded-md border border-stone-200 bg-stone-50 p-2">
      <p className="mb-1 text-sm font-medium text-stone-600">{label}</p>
      <p className="text-base leading-7 break-words whitespace-pre-line text-stone-900">
        {part.before ? `…${part.before}` : ''}
        <mark className="rounded bg-rose-200 px-0.5">{part.match}</mark>
        {part.after ? `${part.after}…` : ''}
      </p>
    </div>
  );
}

export function OriginalityPanel({ data, reportHref }: { data: OriginalityDto | null; reportHref: string }) {
  return (
    <section aria-labelledby="originality-heading" className="rounded-lg border border-stone-200 bg-white p-4 sm:p-6">
      <div className="mb-2 flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="originality-heading" className="text-lg font-semibold">
          查重
        </h2>
        <Link href={reportHref} className="text-base text-brand-700 underline underline-offset-2">
          本班查重报告
        </Link>
      </div>
      {!data ? (
        <p className="text-stone-600">这篇心得还没有查重结果。</p>
      ) : data.status === 'pending' ? (
        <p className="text-stone-600">正在排队查重，稍后刷新查看。</p>
      ) : (
        <>
          <p className="text-base text-stone-900">
            与他人文字重合 <strong className={data.flagged ? 'text-rose-700' : ''}>{pct(data.share)}</strong>
            {data.flagged ? <span className="ml-2 rounded-full bg-rose-50 px-2.5 py-0.5 text-sm font-medium text-rose-800 ring-1 ring-rose-300 ring-inset">疑似雷同</span> : null}
            <span className="text-stone-600">（本班阈值 {data.threshold}%）</span>；引用原文 {pct(data.quoteShare)}（不计入重合）。
          </p>
          {data.sources.length === 0 ? <p className="mt-2 text-stone-600">没有找到相似的来源。</p> : null}
          <ol className="mt-3 space-y-4">
            {data.sources.map((s, i) => (
              <li key={i} className="space-y-2">
                <p className="text-base">
                  {s.quote ? <span className="mr-1 rounded bg-green-50 px-1.5 text-sm text-green-800 ring-1 ring-green-300 ring-inset">引用原文</span> : null}
                  {s.href ? (
                    <Link href={s.href} className="text-brand-700 underline underline-offset-2">
                      {s.label}
                    </Link>
                  ) : (
                    s.label
                  )}
                  <span className="text-stone-600"> · {pct(s.share)} · {s.passages.length} 段</span>
                </p>
                <ul className="space-y-2" aria-label={`与“${s.label}”对照`}>
                  {s.passages.map((p, j) => (
                    <li key={j} className="grid gap-2 md:grid-cols-2">
                      <Side label="本文" part={p.ours} />
                      <Side label={s.quote ? '原文' : '来源'} part={p.theirs} />
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
