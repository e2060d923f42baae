import { limitState } from '@/lib/text/char-count';

/** 字数 523 / 要求 300–1500, red when outside the limits, read out politely as it changes. */
export function CharCounter({ id, count, min, max }: { id: string; count: number; min: number; max: number }) {
  const state = limitState(count, min, max);
  const wanted = min > 0 && max > 0 ? `${min}–${max}` : min > 0 ? `不少于 ${min}` : max > 0 ? `不超过 ${max}` : '';
  const outside = (state === 'under' && count > 0) || state === 'over';
  let note = '';
  if (state === 'under' && count > 0) note = `，还差 ${min - count} 字`;
  if (state === 'over') note = `，超出 ${count - max} 字`;
  return (
    <p
      id={id}
      role="status"
      aria-live="polite"
      aria-atomic="true"
      className={`text-sm tabular-nums ${outside ? 'font-medium text-red-700' : 'text-stone-600'}`}
    >
      字数 {count}
      {wanted ? ` / 要求 ${wanted}` : ''}
      {note}
    </p>
  );
}
