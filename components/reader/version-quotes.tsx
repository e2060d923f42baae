import type { QuoteDto } from '@/db/queries/reading-texts';

/** 引用的原文: the passages of assigned readings this version quotes, as recorded on submit. */
export function VersionQuotes({ quotes }: { quotes: QuoteDto[] }) {
  if (quotes.length === 0) return null;
  return (
    <section aria-labelledby="quotes-heading" className="mt-6 border-t border-stone-200 pt-4">
      <h2 id="quotes-heading" className="text-lg font-semibold">
        引用的原文
      </h2>
      <ul className="mt-2 space-y-2">
        {quotes.map((q, i) => (
          <li key={i} className="text-base break-words text-stone-800">
            “{q.passage}”
            <span className="ml-1 text-sm text-stone-600">
              （{q.readingTitle}
              {q.heading ? `，${q.heading}` : ''}）
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
