import { shanghaiParts } from '@/lib/time';

const pad = (n: number) => String(n).padStart(2, '0');

/** yyyy-m-d of an instant in Asia/Shanghai, to tell whether two instants fall on one day. */
export function shanghaiDay(at: number): string {
  const p = shanghaiParts(new Date(at));
  return `${p.year}-${p.month}-${p.day}`;
}

/** 14:05 on the given day, 5月9日 14:05 on another. */
export function clockLabel(at: number, today: string): string {
  const p = shanghaiParts(new Date(at));
  const hm = `${pad(p.hour)}:${pad(p.minute)}`;
  return shanghaiDay(at) === today ? hm : `${p.month}月${p.day}日 ${hm}`;
}
