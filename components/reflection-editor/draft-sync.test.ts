import { describe, expect, it } from 'vitest';
import type { ServerCopy } from '@/db/queries/reflections/working-copy';
import { DEBOUNCE_MS, DraftSync, type Divergence, type SaveStatus } from './draft-sync';
import { decideRestore, readLocal, type LocalDraft, type ServerSnapshot } from './local-copy';
import { newSubmitKey } from './submit-key';

// The autosave protocol against a fake server, fake timers and a fake localStorage.

class MemoryStorage {
  map = new Map<string, string>();
  full = false;
  getItem(k: string) {
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    if (this.full) throw new Error('QuotaExceededError');
    this.map.set(k, v);
  }
  removeItem(k: string) {
    this.map.delete(k);
  }
}

interface Sent {
  body: { title: string; body: string; baseRevision: number; readingIds: number[]; assignmentId: number };
  keepalive: boolean;
}

function harness(opts: { base?: number; saved?: { title: string; body: string } | null } = {}) {
  const storage = new MemoryStorage();
  const statuses: SaveStatus[] = [];
  const divergences: (Divergence | null)[] = [];
  const timers = new Map<number, { fn: () => void; ms: number }>();
  let nextTimer = 1;
  const sent: Sent[] = [];
  let clock = 1_000_000;
  // What the fake server answers next; by default: saved with the next revision.
  let reply: (s: Sent) => Promise<Response> = (s) =>
    Promise.resolve(Response.json({ ok: true, revision: s.body.baseRevision + 1, savedAt: clock }, { status: 200 }));
  const saved = opts.saved === undefined ? null : opts.saved;
  const sync = new DraftSync({
    assignmentId: 7,
    storageKey: 'k',
    storage: storage as unknown as Storage,
    base: opts.base ?? 0,
    saved: saved ? { ...saved, readingIds: [] } : null,
    content: saved ? { ...saved, readingIds: [] } : { title: '', body: '', readingIds: [] },
    editedAt: clock,
    savedAt: saved ? clock : null,
    onStatus: (s) => statuses.push(s),
    onDivergence: (d) => divergences.push(d),
    fetch: (_url, init) => {
      const s = { body: JSON.parse(String(init?.body)) as Sent['body'], keepalive: !!init?.keepalive };
      sent.push(s);
      return reply(s);
    },
    setTimer: (fn, ms) => {
      const id = nextTimer++;
      timers.set(id, { fn, ms });
      return id;
    },
    clearTimer: (t) => timers.delete(t as number),
    now: () => clock,
  });
  return {
    sync,
    storage,
    statuses,
    divergences,
    sent,
    timers,
    last: () => statuses[statuses.length - 1],
    local: () => readLocal(storage as unknown as Storage, 'k'),
    setReply: (fn: typeof reply) => {
      reply = fn;
    },
    tick: (ms = 1000) => {
      clock += ms;
    },
    /** Runs the timers that are due (all of them: the fake has no notion of time passing). */
    async runTimers() {
      const due = [...timers.entries()];
      for (const [id, t] of due) {
        timers.delete(id);
        t.fn();
      }
      await flush();
    },
  };
}

async function flush() {
  for (let i = 0; i < 10; i++) await Promise.resolve();
  await new Promise((r) => setTimeout(r, 0));
}

const text = (body: string, title = '标题') => ({ title, body, readingIds: [] as number[] });

describe('autosave', () => {
  it('writes every change to the browser at once and to the server once typing stops', async () => {
    const h = harness();
    h.sync.edited(text('第'));
    h.sync.edited(text('第一段'));
    expect(h.local()).toMatchObject({ body: '第一段', synced: false, baseRevision: 0 });
    expect(h.sent).toHaveLength(0);
    expect([...h.timers.values()].map((t) => t.ms)).toEqual([DEBOUNCE_MS]);
    expect(h.last()).toEqual({ kind: 'pending' });

    await h.runTimers();
    expect(h.sent).toHaveLength(1);
    expect(h.sent[0]?.body).toMatchObject({ assignmentId: 7, body: '第一段', baseRevision: 0 });
    expect(h.last()).toMatchObject({ kind: 'saved' });
    expect(h.local()).toMatchObject({ body: '第一段', synced: true, baseRevision: 1 });

    h.sync.edited(text('第一段\n第二段'));
    await h.sync.saveNow();
    expect(h.sent[1]?.body.baseRevision).toBe(1);
    expect(h.sync.baseRevision).toBe(2);
  });

  it('does not send an empty editor, nor the same text twice', async () => {
    const h = harness();
    await h.sync.saveNow();
    expect(h.sent).toHaveLength(0);
    h.sync.edited(text('甲'));
    await h.sync.saveNow();
    await h.sync.saveNow();
    expect(h.sent).toHaveLength(1);
  });

  it('without a connection keeps the text in the browser, says so, and retries with backoff and when online', async () => {
    const h = harness();
    h.setReply(() => Promise.reject(new TypeError('Failed to fetch')));
    h.sync.edited(text('断网时写的'));
    await h.sync.saveNow();
    expect(h.last()).toEqual({ kind: 'offline', local: true });
    expect(h.local()).toMatchObject({ body: '断网时写的', synced: false });
    expect([...h.timers.values()].map((t) => t.ms)).toEqual([2000]);
    await h.runTimers();
    expect([...h.timers.values()].map((t) => t.ms)).toEqual([4000]);

    h.setReply((s) => Promise.resolve(Response.json({ ok: true, revision: s.body.baseRevision + 1, savedAt: 5 })));
    h.sync.resume();
    await flush();
    expect(h.last()).toEqual({ kind: 'saved', at: 5 });
    expect(h.local()?.synced).toBe(true);
  });

  it('says when the browser could not keep a copy either', async () => {
    const h = harness();
    h.storage.full = true;
    h.setReply(() => Promise.reject(new TypeError('offline')));
    h.sync.edited(text('甲'));
    await h.sync.saveNow();
    expect(h.last()).toEqual({ kind: 'offline', local: false });
  });

  it('stops on an expired sign-in (401) and tries again when the window has focus', async () => {
    const h = harness();
    h.setReply(() => Promise.resolve(Response.json({ ok: false, code: 'unauthenticated' }, { status: 401 })));
    h.sync.edited(text('甲'));
    await h.sync.saveNow();
    expect(h.last()).toEqual({ kind: 'unauthenticated' });
    h.sync.edited(text('甲乙'));
    expect(h.timers.size).toBe(0);
    expect(h.local()).toMatchObject({ body: '甲乙', synced: false });

    h.setReply((s) => Promise.resolve(Response.json({ ok: true, revision: s.body.baseRevision + 1, savedAt: 9 })));
    h.sync.resume();
    await flush();
    expect(h.sent[h.sent.length - 1]?.body.body).toBe('甲乙');
    expect(h.last()).toEqual({ kind: 'saved', at: 9 });
  });

  it('a conflict stops autosave until the cadre chooses; keeping mine saves on the server revision', async () => {
    const h = harness({ base: 3, saved: { title: '标题', body: '旧' } });
    const server: ServerCopy = { title: '标题', body: '另一个窗口的', readingIds: [], charCount: 6, revision: 4, status: 'draft', updatedAt: 77 };
    h.setReply(() => Promise.resolve(Response.json({ ok: false, code: 'conflict', message: 'x', server }, { status: 409 })));
    h.sync.edited(text('本页的'));
    await h.sync.saveNow();
    expect(h.last()).toEqual({ kind: 'conflict' });
    expect(h.divergences[h.divergences.length - 1]).toMatchObject({ reason: 'conflict', server: { revision: 4 }, mine: { body: '本页的' } });
    h.sync.edited(text('本页的又改了'));
    expect(h.timers.size).toBe(0);

    h.setReply((s) => Promise.resolve(Response.json({ ok: true, revision: s.body.baseRevision + 1, savedAt: 80 })));
    h.sync.keepMine(server, text('本页的又改了'));
    await flush();
    expect(h.sent[h.sent.length - 1]?.body).toMatchObject({ body: '本页的又改了', baseRevision: 4 });
    expect(h.sync.baseRevision).toBe(5);
    expect(h.divergences[h.divergences.length - 1]).toBeNull();
  });

  it('taking the server copy replaces the text and the browser copy, and sends nothing', async () => {
    const h = harness({ base: 3, saved: { title: '标题', body: '旧' } });
    const server: ServerCopy = { title: '服务器', body: '服务器的', readingIds: [2], charCount: 4, revision: 6, status: 'returned', updatedAt: 99 };
    h.sync.edited(text('本页的'));
    h.sync.takeServer(server);
    await h.runTimers();
    expect(h.sent).toHaveLength(0);
    expect(h.local()).toMatchObject({ title: '服务器', body: '服务器的', readingIds: [2], baseRevision: 6, synced: true });
    expect(h.last()).toEqual({ kind: 'saved', at: 99 });
  });

  it('a locked reflection (submitted in another tab) stops autosave and keeps the text', async () => {
    const h = harness({ base: 1, saved: { title: '标题', body: '旧' } });
    h.setReply(() => Promise.resolve(Response.json({ ok: false, code: 'locked', message: '这篇心得已提交' }, { status: 423 })));
    h.sync.edited(text('新'));
    await h.sync.saveNow();
    expect(h.last()).toEqual({ kind: 'locked', message: '这篇心得已提交' });
    expect(h.local()?.body).toBe('新');
  });

  it('sends with keepalive when the page is hidden or closed, and waits for a save in flight before a submit', async () => {
    const h = harness();
    h.sync.edited(text('甲'));
    h.sync.leaving();
    await flush();
    expect(h.sent[0]?.keepalive).toBe(true);

    let release: () => void = () => undefined;
    h.setReply(
      (s) =>
        new Promise((resolve) => {
          release = () => resolve(Response.json({ ok: true, revision: s.body.baseRevision + 1, savedAt: 1 }));
        }),
    );
    h.sync.edited(text('甲乙'));
    const saving = h.sync.saveNow();
    let settled = false;
    const settling = h.sync.settle().then(() => {
      settled = true;
    });
    await flush();
    expect(settled).toBe(false);
    release();
    await saving;
    await settling;
    expect(settled).toBe(true);
    expect(h.sync.baseRevision).toBe(2);
    expect(h.sync.dirty).toBe(false);
  });

  it('a change made while a save is in flight is saved after it', async () => {
    const h = harness();
    let release: () => void = () => undefined;
    h.setReply(
      (s) =>
        new Promise((resolve) => {
          release = () => resolve(Response.json({ ok: true, revision: s.body.baseRevision + 1, savedAt: 1 }));
        }),
    );
    h.sync.edited(text('甲'));
    const first = h.sync.saveNow();
    h.sync.edited(text('甲乙'));
    void h.sync.saveNow();
    release();
    await first;
    await flush();
    release();
    await flush();
    expect(h.sent.map((s) => [s.body.body, s.body.baseRevision])).toEqual([
      ['甲', 0],
      ['甲乙', 1],
    ]);
    expect(h.local()).toMatchObject({ body: '甲乙', synced: true, baseRevision: 2 });
  });
});

describe('opening the editor', () => {
  const server: ServerSnapshot = { title: '标题', body: '服务器的', readingIds: [], revision: 4, updatedAt: 100, charCount: 4 };
  const local = (over: Partial<LocalDraft>): LocalDraft => ({
    v: 1,
    title: '标题',
    body: '本机的',
    readingIds: [],
    baseRevision: 4,
    editedAt: 200,
    synced: false,
    ...over,
  });

  it('uses the server copy when the browser has none, the same text, or a confirmed mirror', () => {
    expect(decideRestore(null, server).kind).toBe('server');
    expect(decideRestore(local({ body: '服务器的' }), server).kind).toBe('server');
    expect(decideRestore(local({ synced: true, baseRevision: 3 }), server).kind).toBe('server');
  });

  it('restores the browser copy when the server holds nothing (closed before the first save)', () => {
    expect(decideRestore(local({ baseRevision: 0 }), null)).toMatchObject({ kind: 'local', local: { body: '本机的' } });
    expect(decideRestore(local({ body: '', title: '' }), null).kind).toBe('server');
  });

  it('asks the cadre when an unconfirmed browser copy differs from the server copy', () => {
    expect(decideRestore(local({}), server).kind).toBe('choose');
    expect(decideRestore(local({ baseRevision: 2, editedAt: 50 }), server).kind).toBe('choose');
  });

  it('ignores a malformed browser copy', () => {
    const s = new MemoryStorage();
    s.setItem('k', '{"v":1,"title":3}');
    expect(readLocal(s as unknown as Storage, 'k')).toBeNull();
    s.setItem('k', 'not json');
    expect(readLocal(s as unknown as Storage, 'k')).toBeNull();
  });

  it('makes v4 UUIDs for submit keys', () => {
    const a = newSubmitKey();
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/u);
    expect(newSubmitKey()).not.toBe(a);
  });
});
