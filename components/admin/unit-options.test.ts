import { describe, expect, it } from 'vitest';
import { packUnits, unpackUnits } from './unit-options';

describe('packUnits', () => {
  it('sends each unit by its own name and gives the same full paths back, a name with a slash included', () => {
    const units = [
      { id: 1, depth: 0, path: '江滨区' },
      { id: 2, depth: 1, path: '江滨区/望江街道' },
      { id: 3, depth: 2, path: '江滨区/望江街道/临江社区' },
      { id: 4, depth: 1, path: '江滨区/A/B 联合党委' },
      { id: 5, depth: 0, path: '樊城区' },
      { id: 6, depth: 1, path: '樊城区/牛首镇' },
    ];
    const packed = packUnits(units);
    expect(packed[2]).toEqual([3, 2, '临江社区']);
    expect(packed[3]).toEqual([4, 1, 'A/B 联合党委']);
    expect(unpackUnits(packed)).toEqual(units);
  });
});
