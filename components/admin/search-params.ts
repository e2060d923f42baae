/** Next gives a repeated query parameter as an array; the admin pages read the first value. */
export type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export function firstValues(params: Record<string, string | string[] | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(params)) out[k] = Array.isArray(v) ? v[0] : v;
  return out;
}
