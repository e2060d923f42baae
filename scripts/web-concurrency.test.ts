import { describe, expect, it } from 'vitest';
import { MAX_WEB_CONCURRENCY, webConcurrency } from './web-concurrency';

describe('WEB_CONCURRENCY: how many server processes npm start runs', () => {
  it('unset or empty: one per core', () => {
    expect(webConcurrency(undefined, 16)).toBe(16);
    expect(webConcurrency('', 2)).toBe(2);
    expect(webConcurrency(' ', 1)).toBe(1);
    expect(webConcurrency(undefined, 200)).toBe(MAX_WEB_CONCURRENCY);
  });

  it('a count overrides the cores; 1 is one process', () => {
    expect(webConcurrency('1', 16)).toBe(1);
    expect(webConcurrency('3', 2)).toBe(3);
  });

  it('anything else stops the start with a Chinese message', () => {
    for (const bad of ['0', '-2', '2.5', 'auto', '65']) {
      expect(() => webConcurrency(bad, 2)).toThrow(`WEB_CONCURRENCY 应为 1 到 ${MAX_WEB_CONCURRENCY} 之间的整数（现为“${bad}”）`);
    }
  });
});
