// The queue's 查重 cell: the share overlapping other people's writing, and 疑似雷同 at or above
// the course's threshold.

export function SimilarityCell({ share, threshold }: { share: number | null; threshold: number }) {
  if (share === null) return <span className="text-stone-500 max-md:hidden">—</span>;
  const flagged = share >= threshold * 10;
  return (
    <span className="whitespace-nowrap">
      <span className="tabular-nums max-md:before:content-['重合_']">{Math.round(share / 10)}%</span>
      {flagged ? <span className="ml-1 rounded bg-rose-50 px-1.5 py-0.5 text-xs font-medium text-rose-800 ring-1 ring-rose-300">疑似雷同</span> : null}
    </span>
  );
}
