import type { ServerCopy } from '@/db/queries/reflections/working-copy';
import { sameContent, type DraftContent } from '@/lib/reflection/limits';
import { isEmptyContent, writeLocal, type LocalDraft } from './local-copy';

// The autosave protocol, apart from React so that it can be tested step by step.
//
// - Every change is written at once to the browser's storage (with the server revision it
//   started from), then sent to the server 2 s after typing stops, on blur, when the page is
//   hidden, and with fetch keepalive when it is closed.
// - The server answers with the new revision; a stale revision is a conflict and nothing is
//   written until the cadre chooses between the two copies.
// - No connection: the text stays in the browser and is sent again with backoff, and at once
//   when the browser says it is online again or the window regains focus.
// - Signed out (401): nothing more is sent until the window regains focus, when it tries again.

export const DRAFT_URL = '/api/reflections/draft';
export const DEBOUNCE_MS = 2000;
const RETRY_MAX_MS = 60_000;
/** Browsers refuse keepalive bodies over 64 KiB. */
const KEEPALIVE_MAX_BYTES = 60_000;

export type SaveStatus =
  | { kind: 'idle' }
  | { kind: 'pending' }
  | { kind: 'saving' }
  | { kind: 'saved'; at: number }
  | { kind: 'offline'; local: boolean }
  | { kind: 'unauthenticated' }
  | { kind: 'conflict' }
  | { kind: 'locked'; message: string }
  | { kind: 'error'; message: string };

export interface Divergence {
  /** restore: found on opening the page; conflict: found by a save or a submit. */
  reason: 'restore' | 'conflict';
  server: ServerCopy;
  mine: DraftContent;
  /** When "mine" was last changed, ms since the epoch. */
  mineAt: number;
}

type Halt = 'choice' | 'unauthenticated' | 'locked' | 'submitted';

interface Options {
  assignmentId: number;
  storageKey: string;
  storage: Storage | null;
  /** The revision the opening text is based on; 0 when the server holds nothing yet. */
  base: number;
  /** What the server holds at `base`; null when it holds nothing. */
  saved: DraftContent | null;
  content: DraftContent;
  editedAt: number;
  /** When the server last saved the text, ms since the epoch; null when it holds nothing. */
  savedAt: number | null;
  onStatus: (s: SaveStatus) => void;
  onDivergence: (d: Divergence | null) => void;
  fetch?: typeof fetch;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (t: unknown) => void;
  now?: () => number;
}

type DraftResponse =
  | { ok: true; revision: number; savedAt: number }
  | { ok: false; code: string; message?: string; server?: ServerCopy };

export class DraftSync {
  private base: number;
  private saved: DraftContent | null;
  private content: DraftContent;
  private editedAt: number;
  private savedAt: number | null;
  private halt: Halt | null = null;
  private inflight: Promise<void> | null = null;
  private again = false;
  private timer: unknown = undefined;
  private retryTimer: unknown = undefined;
  private attempt = 0;
  private localOk = true;
  private status: SaveStatus;
  private readonly o: Required<Pick<Options, 'fetch' | 'setTimer' | 'clearTimer' | 'now'>> & Options;

  constructor(options: Options) {
    this.o = {
      fetch: (...args) => globalThis.fetch(...args),
      setTimer: (fn, ms) => globalThis.setTimeout(fn, ms),
      clearTimer: (t) => globalThis.clearTimeout(t as number),
      now: () => Date.now(),
      ...options,
    };
    this.base = options.base;
    this.saved = options.saved;
    this.content = options.content;
    this.editedAt = options.editedAt;
    this.savedAt = options.savedAt;
    this.status = options.savedAt === null ? { kind: 'idle' } : { kind: 'saved', at: options.savedAt };
  }

  /** The revision the editor's text is based on, for a submit. */
  get baseRevision(): number {
    return this.base;
  }

  get currentStatus(): SaveStatus {
    return this.status;
  }

  /** True when the editor holds text the server has not confirmed. */
  get dirty(): boolean {
    return this.saved ? !sameContent(this.content, this.saved) : !isEmptyContent(this.content);
  }

  private setStatus(s: SaveStatus): void {
    this.status = s;
    this.o.onStatus(s);
  }

  private persist(synced: boolean): void {
    const record: LocalDraft = { v: 1, ...this.content, baseRevision: this.base, editedAt: this.editedAt, synced };
    this.localOk = writeLocal(this.o.storage, this.o.storageKey, record);
  }

  /** Opening state: waiting for the cadre to choose between two copies. */
  holdForChoice(d: Divergence): void {
    this.halt = 'choice';
    this.o.onDivergence(d);
    this.setStatus({ kind: 'conflict' });
  }

  /** Starts a save of text restored from the browser on opening. */
  restored(): void {
    this.persist(false);
    this.setStatus({ kind: 'pending' });
    this.schedule(0);
  }

  /** Every change: into the browser's storage now, to the server once typing stops. */
  edited(content: DraftContent): void {
    this.content = content;
    this.editedAt = this.o.now();
    this.persist(false);
    if (this.halt) return;
    this.setStatus(this.dirty ? { kind: 'pending' } : this.settledStatus());
    this.schedule(DEBOUNCE_MS);
  }

  private settledStatus(): SaveStatus {
    return this.savedAt === null ? { kind: 'idle' } : { kind: 'saved', at: this.savedAt };
  }

  private schedule(ms: number): void {
    if (this.timer !== undefined) this.o.clearTimer(this.timer);
    this.timer = this.o.setTimer(() => {
      this.timer = undefined;
      void this.send(false);
    }, ms);
  }

  private cancelTimers(): void {
    if (this.timer !== undefined) this.o.clearTimer(this.timer);
    if (this.retryTimer !== undefined) this.o.clearTimer(this.retryTimer);
    this.timer = undefined;
    this.retryTimer = undefined;
  }

  /** 保存草稿, blur, hidden page: send now if anything is unsaved. */
  saveNow(keepalive = false): Promise<void> {
    if (this.timer !== undefined) this.o.clearTimer(this.timer);
    this.timer = undefined;
    return this.send(keepalive);
  }

  /**
   * The page is going away: send what is unsaved with keepalive and without waiting for a save
   * in flight (the page may not live to see it finish).
   */
  leaving(): void {
    this.cancelTimers();
    if (this.halt || !this.dirty) return;
    if (!this.inflight) {
      void this.send(true);
      return;
    }
    void this.post(this.content, true).catch(() => undefined);
  }

  /** Resolves once no save is waiting or in flight, so that a submit starts from a settled revision. */
  async settle(): Promise<void> {
    if (this.timer !== undefined) this.o.clearTimer(this.timer);
    this.timer = undefined;
    while (this.inflight) await this.inflight;
  }

  /** The browser is online again, or the window has focus again: retry what failed. */
  resume(): void {
    if (this.halt === 'unauthenticated') this.halt = null;
    if (this.halt) return;
    if (this.status.kind === 'offline' || this.status.kind === 'error' || this.status.kind === 'unauthenticated') {
      this.attempt = 0;
      if (this.retryTimer !== undefined) this.o.clearTimer(this.retryTimer);
      this.retryTimer = undefined;
      void this.send(false);
    }
  }

  /** 保留我的版本 / 使用本机保存的版本: my text goes on top of the server's revision. */
  keepMine(server: ServerCopy, mine: DraftContent): void {
    this.base = server.revision;
    this.saved = { title: server.title, body: server.body, readingIds: server.readingIds };
    this.content = mine;
    this.halt = null;
    this.o.onDivergence(null);
    this.persist(false);
    this.setStatus({ kind: 'pending' });
    void this.send(false);
  }

  /** 使用服务器上的版本: the editor shows the server's text, and the browser's copy follows it. */
  takeServer(server: ServerCopy): void {
    const content = { title: server.title, body: server.body, readingIds: server.readingIds };
    this.base = server.revision;
    this.saved = content;
    this.content = content;
    this.editedAt = server.updatedAt;
    this.savedAt = server.updatedAt;
    this.halt = null;
    this.o.onDivergence(null);
    this.persist(true);
    this.setStatus({ kind: 'saved', at: server.updatedAt });
  }

  /** A submit found the server's copy moved on. */
  conflictFrom(server: ServerCopy): void {
    this.cancelTimers();
    this.holdForChoice({ reason: 'conflict', server, mine: this.content, mineAt: this.editedAt });
  }

  signedOut(): void {
    this.halt = 'unauthenticated';
    this.cancelTimers();
    this.setStatus({ kind: 'unauthenticated' });
  }

  locked(message: string): void {
    this.halt = 'locked';
    this.cancelTimers();
    this.setStatus({ kind: 'locked', message });
  }

  /** Submitted: the server holds this text now; nothing more is autosaved from this page. */
  submitted(revision: number, content: DraftContent): void {
    this.halt = 'submitted';
    this.cancelTimers();
    this.base = revision;
    this.saved = content;
    this.content = content;
    this.savedAt = this.o.now();
    this.persist(true);
    this.setStatus({ kind: 'saved', at: this.savedAt });
  }

  dispose(): void {
    this.cancelTimers();
  }

  private post(content: DraftContent, keepalive: boolean): Promise<Response> {
    const body = JSON.stringify({ assignmentId: this.o.assignmentId, ...content, baseRevision: this.base });
    const small = new TextEncoder().encode(body).length <= KEEPALIVE_MAX_BYTES;
    return this.o.fetch(DRAFT_URL, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      credentials: 'same-origin',
      cache: 'no-store',
      keepalive: keepalive && small,
      body,
    });
  }

  private send(keepalive: boolean): Promise<void> {
    if (this.halt) return Promise.resolve();
    if (this.inflight) {
      this.again = true;
      return this.inflight;
    }
    if (!this.dirty) {
      if (this.status.kind === 'pending' || this.status.kind === 'saving') this.setStatus(this.settledStatus());
      return Promise.resolve();
    }
    const snapshot = this.content;
    this.setStatus({ kind: 'saving' });
    const run = this.request(snapshot, keepalive).finally(() => {
      this.inflight = null;
      if (this.again) {
        this.again = false;
        void this.send(false);
      }
    });
    this.inflight = run;
    return run;
  }

  private async request(snapshot: DraftContent, keepalive: boolean): Promise<void> {
    let res: Response;
    try {
      res = await this.post(snapshot, keepalive);
    } catch {
      this.setStatus({ kind: 'offline', local: this.localOk });
      this.retryLater();
      return;
    }
    let data: DraftResponse | null = null;
    try {
      data = (await res.json()) as DraftResponse;
    } catch {
      data = null;
    }
    if (res.ok && data?.ok) {
      this.attempt = 0;
      this.base = data.revision;
      this.saved = snapshot;
      this.savedAt = data.savedAt;
      if (sameContent(snapshot, this.content)) {
        this.persist(true);
        this.setStatus({ kind: 'saved', at: data.savedAt });
      } else {
        this.setStatus({ kind: 'pending' });
        if (this.timer === undefined) this.schedule(DEBOUNCE_MS);
      }
      return;
    }
    if (res.status === 401) {
      this.signedOut();
      return;
    }
    if (data && !data.ok && data.code === 'conflict' && data.server) {
      this.conflictFrom(data.server);
      return;
    }
    if (data && !data.ok && data.code === 'locked') {
      this.locked(data.message ?? '这篇心得现在不能修改');
      return;
    }
    if (res.status >= 500 || !data) {
      this.setStatus({ kind: 'error', message: '保存没有成功，内容已保存在本机，稍后自动重试' });
      this.retryLater();
      return;
    }
    this.setStatus({ kind: 'error', message: data.ok ? '保存没有成功' : (data.message ?? '保存没有成功') });
  }

  private retryLater(): void {
    if (this.retryTimer !== undefined) this.o.clearTimer(this.retryTimer);
    const delay = Math.min(RETRY_MAX_MS, DEBOUNCE_MS * 2 ** this.attempt);
    this.attempt += 1;
    this.retryTimer = this.o.setTimer(() => {
      this.retryTimer = undefined;
      void this.send(false);
    }, delay);
  }
}
