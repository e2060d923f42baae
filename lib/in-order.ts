/**
 * Maps over items one at a time: each call finishes (its statements run) before the next starts,
 * as a synchronous .map did. Inside a transaction the writes keep their order (the audit chain
 * depends on it), which Promise.all over the same calls would not promise.
 */
export async function inOrder<T, R>(items: Iterable<T> | ArrayLike<T>, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  let i = 0;
  for (const item of Array.from(items)) out.push(await fn(item, i++));
  return out;
}
