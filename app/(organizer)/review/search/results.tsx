'use client';

import css from './results.module.css';

// The results of /review/search, rendered from short tuples (issue 15): as a client component's
// props each result travels once, as its text, where server-rendered results would travel twice,
// in the HTML and again as elements in the page's payload.

/**
 * Text with the query's words marked, as its pieces in turn: plain, hit, plain, hit, … (the first
 * piece is plain and may be empty). Rendered as React text inside <mark>, never as HTML.
 */
export type Marked = string[];

/** One result: [reflection id, title pieces (empty: 无标题), the line under it, excerpt pieces, text left out before, after]. */
export type SearchResultRow = [id: number, title: Marked, meta: string, excerpt: Marked, before: boolean, after: boolean];

function Pieces({ pieces }: { pieces: Marked }) {
  return <>{pieces.map((p, i) => (i % 2 ? <mark key={i}>{p}</mark> : p))}</>;
}

export function SearchResults({ rows }: { rows: SearchResultRow[] }) {
  return (
    <ol className={css.results}>
      {rows.map(([id, title, meta, excerpt, before, after]) => (
        <li key={id}>
          <h3>
            <a href={`/review/${id}`}>{title.length ? <Pieces pieces={title} /> : '（无标题）'}</a>
          </h3>
          <p>{meta}</p>
          <p>
            {before ? '…' : ''}
            <Pieces pieces={excerpt} />
            {after ? '…' : ''}
          </p>
        </li>
      ))}
    </ol>
  );
}
