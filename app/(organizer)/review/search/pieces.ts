import type { ExcerptSegment } from '@/lib/search/excerpt';
import type { Marked } from './results';

/** Segments as pieces in turn, plain then hit (results.tsx): a plain piece is '' where a hit opens or two hits meet. */
export function pieces(segments: ExcerptSegment[]): Marked {
  const out: Marked = [];
  for (const seg of segments) {
    if (seg.hit !== (out.length % 2 === 1)) out.push('');
    out.push(seg.text);
  }
  return out;
}
