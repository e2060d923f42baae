import { describe, expect, it } from 'vitest';
import { submitOutcome } from './bench-http-load';
import { checkBurst, perServer, type SentSubmit, type StoredVersion } from './bench-cluster';

const sent = (authorId: number, over: Partial<SentSubmit> = {}): SentSubmit => ({ authorId, submitKey: `k${authorId}`, title: `题${authorId}`, body: `正文${authorId}`, acknowledged: true, ...over });
const stored = (authorId: number, over: Partial<StoredVersion> = {}): StoredVersion => ({ authorId, status: 'submitted', version: 1, submitKey: `k${authorId}`, title: `题${authorId}`, body: `正文${authorId}`, ...over });

describe('checkBurst: what the database must hold after the burst', () => {
  it('finds nothing wrong when every acknowledged submit is stored as sent', () => {
    expect(checkBurst([sent(1), sent(2)], [stored(1), stored(2)])).toEqual({ acknowledged: 2, lost: 0, duplicates: 0, missing: 0 });
  });

  it('counts an acknowledged submit as lost when its version is missing or its words differ', () => {
    const r = checkBurst([sent(1), sent(2), sent(3)], [stored(1, { body: '正文1 ' }), stored(2, { title: '别的' }), stored(3, { submitKey: 'other' })]);
    expect(r.lost).toBe(3);
    expect(checkBurst([sent(1)], []).lost).toBe(1);
  });

  it('does not count an unacknowledged submit as lost, but as missing when nothing was handed in', () => {
    expect(checkBurst([sent(1, { acknowledged: false })], [])).toEqual({ acknowledged: 0, lost: 0, duplicates: 0, missing: 1 });
    // Acknowledged only in the database (the answer was lost on the way): not missing.
    expect(checkBurst([sent(1, { acknowledged: false })], [stored(1)]).missing).toBe(0);
  });

  it('counts a cadre with two versions 1 once as a duplicate, and a cadre left a draft as missing', () => {
    const r = checkBurst([sent(1), sent(2)], [stored(1), stored(1, { submitKey: 'again' }), stored(2, { status: 'draft' })]);
    expect(r.duplicates).toBe(1);
    expect(r.missing).toBe(1);
  });
});

describe('perServer', () => {
  it('names each logged upstream by its app server and keeps unknown ones as logged', () => {
    const servers = [{ name: 'A', port: 4001 }, { name: 'B', port: 4002 }];
    expect(perServer(['127.0.0.1:4001', '127.0.0.1:4002', '127.0.0.1:4001', '-'], servers)).toEqual({ A: 2, B: 1, '-': 1 });
    expect(perServer([], servers)).toEqual({ A: 0, B: 0 });
  });
});

describe('submitOutcome: a server action answer in flight form', () => {
  it('tells acknowledged, busy and other answers apart', () => {
    expect(submitOutcome(200, '0:{"a":"$@1"}\n1:{"ok":true,"version":1}')).toBe('ok');
    expect(submitOutcome(200, '1:{"ok":false,"code":"busy","message":"系统正忙，这次操作没有完成，请稍后再试"}')).toBe('busy');
    expect(submitOutcome(200, '1:{"ok":false,"code":"invalid"}')).toBe('error');
    expect(submitOutcome(502, '<html>502 Bad Gateway</html>')).toBe('error');
  });
});
