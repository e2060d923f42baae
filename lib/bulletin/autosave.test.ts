import { describe, expect, it } from 'vitest';
import { initComposer } from './composer-state';
import { AUTOSAVE_DELAY_MS, BulletinAutosave, type AutosaveStatus, type ServerBulletin, type Snapshot } from './autosave';

const source = {
  course: { name: '甲读书班', columnName: '甲' },
  number: 1,
  title: 't',
  headline: '',
  editor: '',
  issuedOn: '2020-05-09',
  publisher: '',
  lead: '',
  summary: '',
  transition: '',
  reportTo: '',
  sendTo: '',
  issueTo: '',
  copies: 0,
  revision: 3,
  items: [],
};

function harness(answers: (((body: Record<string, unknown>) => { status: number; json: unknown }) | 'offline')[]) {
  const timers = new Map<number, { fn: () => void; ms: number }>();
  let seq = 0;
  const sent: Record<string, unknown>[] = [];
  const statuses: AutosaveStatus['kind'][] = [];
  const saved: Snapshot[] = [];
  const conflicts: ServerBulletin[] = [];
  const snap = (content: string) => ({ payload: { id: 9, summary: content, expectedRevision: 0 }, keys: ['i1'], key: content, state: initComposer(source) });
  const sync = new BulletinAutosave({
    base: 3,
    onSaved: (_server, snap) => saved.push(snap),
    onConflict: (server) => conflicts.push(server),
    onStatus: (s) => statuses.push(s.kind),
    fetch: (_url, init) => {
      const body = JSON.parse(String(init?.body)) as Record<string, unknown>;
      sent.push(body);
      const next = answers.shift() ?? (() => ({ status: 500, json: null }));
      if (next === 'offline') return Promise.reject(new TypeError('offline'));
      const answer = next(body);
      return Promise.resolve(new Response(JSON.stringify(answer.json), { status: answer.status }));
    },
    setTimer: (fn, ms) => {
      timers.set(++seq, { fn, ms });
      return seq;
    },
    clearTimer: (t) => timers.delete(t as number),
    now: () => 1000,
  });
  const fire = () => {
    const all = [...timers.entries()];
    timers.clear();
    for (const [, t] of all) t.fn();
  };
  sync.track(snap('a'));
  return { sync, sent, statuses, saved, conflicts, timers, fire, type: (s: string) => sync.track(snap(s)) };
}

const ok = (revision: number) => () => ({ status: 200, json: { ok: true, revision, bulletin: { id: 9, title: 't', status: 'draft', items: [] } } });
const flush = () => new Promise((r) => setTimeout(r, 0));

describe('the 简报 autosave', () => {
  it('sends a change after the delay, naming the revision it started from, then the next from the new one', async () => {
    const h = harness([ok(4), ok(5)]);
    h.sync.changed();
    expect([...h.timers.values()][0]?.ms).toBe(AUTOSAVE_DELAY_MS);
    h.fire();
    await h.sync.settle();
    expect(h.sent[0]).toMatchObject({ summary: 'a', expectedRevision: 3 });
    expect(h.saved).toHaveLength(1);
    h.type('ab');
    await h.sync.saveNow();
    expect(h.sent[1]).toMatchObject({ summary: 'ab', expectedRevision: 4 });
    expect(h.sync.currentStatus.kind).toBe('saved');
  });

  it('does not send the same copy twice', async () => {
    const h = harness([ok(4)]);
    await h.sync.saveNow();
    await h.sync.saveNow();
    expect(h.sent).toHaveLength(1);
  });

  it('stops on a stale save, hands over the other copy, and goes on from its revision once resolved', async () => {
    const current = { id: 9, title: '他的标题', status: 'draft', revision: 7, items: [] };
    const h = harness([() => ({ status: 409, json: { ok: false, code: 'stale', message: '已被修改', current } }), ok(8)]);
    await h.sync.saveNow();
    expect(h.conflicts).toEqual([current]);
    expect(h.sync.currentStatus.kind).toBe('conflict');
    h.type('b');
    h.sync.changed();
    await h.sync.saveNow();
    expect(h.sent).toHaveLength(1);
    await h.sync.resolved(7, true);
    expect(h.sent[1]).toMatchObject({ summary: 'b', expectedRevision: 7 });
    expect(h.sync.revision).toBe(8);
  });

  it('retries after no connection, and says so', async () => {
    const h = harness(['offline', ok(4)]);
    await h.sync.saveNow();
    expect(h.sync.currentStatus.kind).toBe('offline');
    h.fire();
    await flush();
    await h.sync.settle();
    expect(h.sent).toHaveLength(2);
    expect(h.sync.currentStatus.kind).toBe('saved');
  });

  it('shows what the server refused, without retrying', async () => {
    const h = harness([() => ({ status: 400, json: { ok: false, code: 'invalid', message: '请检查', fieldErrors: { title: ['请填写标题'] } } })]);
    await h.sync.saveNow();
    expect(h.sync.currentStatus).toEqual({ kind: 'invalid', message: '请检查', fieldErrors: { title: ['请填写标题'] } });
    expect(h.timers.size).toBe(0);
  });

  it('waits for the window after a sign-out', async () => {
    const h = harness([() => ({ status: 401, json: { ok: false, code: 'unauthenticated' } }), ok(4)]);
    await h.sync.saveNow();
    h.sync.changed();
    expect(h.timers.size).toBe(0);
    h.sync.resume();
    await h.sync.settle();
    expect(h.sent).toHaveLength(2);
  });
});
