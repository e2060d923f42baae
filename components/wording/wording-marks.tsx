import type { Finding } from '@/lib/wording/engine';

// The text with each finding marked, for reading (the review detail). Paragraphs keep their
// breaks; a mark's title says what the standard form is.

export function WordingMarks({ text, findings }: { text: string; findings: readonly Finding[] }) {
  const parts: React.ReactNode[] = [];
  let at = 0;
  findings.forEach((f, i) => {
    if (f.start < at) return;
    if (f.start > at) parts.push(text.slice(at, f.start));
    parts.push(
      <mark key={i} title={f.message} className={f.kind === 'wording' ? 'rounded bg-amber-200 px-0.5 text-stone-900' : 'rounded bg-sky-200 px-0.5 text-stone-900'}>
        {text.slice(f.start, f.end)}
      </mark>,
    );
    at = f.end;
  });
  if (at < text.length) parts.push(text.slice(at));
  return <div className="text-base leading-8 break-words whitespace-pre-line text-stone-900">{parts}</div>;
}

/** A few characters either side of a finding, the finding marked. */
export function FindingExcerpt({ text, finding }: { text: string; finding: Finding }) {
  const before = text.slice(Math.max(0, finding.start - 8), finding.start).replace(/\n/gu, ' ');
  const after = text.slice(finding.end, finding.end + 8).replace(/\n/gu, ' ');
  return (
    <span className="break-words">
      …{before}
      <mark className="rounded bg-amber-200 px-0.5">{text.slice(finding.start, finding.end) || ' '}</mark>
      {after}…
    </span>
  );
}
