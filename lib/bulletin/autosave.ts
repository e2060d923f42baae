import type { ComposerSource, ComposerState } from './composer-state';

// The 简报 composer's autosave, apart from React so that it can be tested step by step (the
// reflection editor's DraftSync is the model).
//
// - A change is sent 3 s after the organizer stops; 加入简报, a reorder, blur and a hidden page
//   send at once; a closing page sends with fetch keepalive.
// - Every save names the revision it started from. When another organizer saved in between the
//   server writes nothing and answers with its copy: autosave stops until the organizer has
//   chosen, and both copies stay on the screen.
// - No connection or a server error: retried with backoff; signed out: nothing is sent until the
//   window has focus again.

export const BULLETIN_SAVE_URL = '/api/bulletins/save';
export const AUTOSAVE_DELAY_MS = 3000;
const RETRY_MAX_MS = 60_000;
/** Browsers refuse keepalive bodies over 64 KiB. */
const KEEPALIVE_MAX_BYTES = 60_000;

export type AutosaveStatus =
  | { kind: 'idle' }
  | { kind: 'pending' }
  | { kind: 'saving' }
  | { kind: 'saved'; at: number }
  | { kind: 'offline' }
  | { kind: 'unauthenticated' }
  | { kind: 'conflict' }
  | { kind: 'invalid'; message: string; fieldErrors: Record<string, string[]> }
  | { kind: 'error'; message: string };

/** What the server's copy looks like in JSON (dates as strings). */
export type ServerBulletin = ComposerSource & { id: number; title: string; status: string };

/** What is on the screen now, ready to send; null when nothing differs from the saved copy. */
export interface Snapshot {
  /** savePayload(...) of the screen's state; its expectedRevision is replaced by the tracked one. */
  payload: Record<string, unknown>;
  /** The items' keys in the order sent, so that new items learn their ids. */
  keys: string[];
  /** contentKey of the state sent. */
  key: string;
  /** The screen's state it was made from. */
  state: ComposerState;
}

interface Options {
  /** The revision the screen's copy is based on. */
  base: number;
  onSaved: (server: ServerBulletin, sent: Snapshot) => void;
  /** A save was refused as stale: the other copy, and the one refused. */
  onConflict: (server: ServerBulletin, mine: Snapshot) => void;
  onStatus: (s: AutosaveStatus) => void;
  fetch?: typeof fetch;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (t: unknown) => void;
  now?: () => number;
}

type SaveResponse =
  | { ok: true; revision: number; bulletin: ServerBulletin }
  | { ok: false; code: string; message?: string; fieldErrors?: Record<string, string[]>; current?: ServerBulletin };

type Halt = 'conflict' | 'unauthenticated' | 'readOnly';

export class BulletinAutosave {
  private base: number;
  private halt: Halt | null = null;
  private inflight: Promise<void> | null = null;
  private again = false;
  private timer: unknown = undefined;
  private retryTimer: unknown = undefined;
  private attempt = 0;
  /** contentKey of the last copy the server took, so that a repeat is not sent twice. */
  private lastSaved: string | null = null;
  private status: AutosaveStatus = { kind: 'idle' };
  /** What the screen holds now; null when it equals what the server has. */
  private current: Snapshot | null = null;
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
  }

  get revision(): number {
    return this.base;
  }

  get currentStatus(): AutosaveStatus {
    return this.status;
  }

  /** True while a save waits for a choice between two copies. */
  get halted(): boolean {
    return this.halt !== null;
  }

  private setStatus(s: AutosaveStatus): void {
    this.status = s;
    this.o.onStatus(s);
  }

  /** The screen's content after every render. */
  track(snapshot: Snapshot | null): void {
    this.current = snapshot;
  }

  /** True when the screen holds content the server has not taken. */
  get unsaved(): boolean {
    return this.current !== null && this.current.key !== this.lastSaved;
  }

  /** A change was typed: send once the organizer stops. */
  changed(): void {
    if (this.halt) return;
    this.setStatus({ kind: 'pending' });
    this.schedule(AUTOSAVE_DELAY_MS);
  }

  /** 加入简报, a reorder, blur, 保存, a hidden page: send now. */
  saveNow(keepalive = false): Promise<void> {
    this.clearTimer();
    return this.send(keepalive);
  }

  /** The page is going away: send with keepalive, without waiting for a save in flight. */
  leaving(): void {
    this.clearTimer();
    if (this.halt) return;
    const snap = this.current;
    if (!snap || snap.key === this.lastSaved) return;
    if (!this.inflight) {
      void this.send(true);
      return;
    }
    void this.post(snap, true).catch(() => undefined);
  }

  /** Waits for the save in flight and any that follows it. */
  async settle(): Promise<void> {
    this.clearTimer();
    while (this.inflight) await this.inflight;
  }

  /** The window has focus or the browser is online again: retry what failed. */
  resume(): void {
    if (this.halt === 'unauthenticated') this.halt = null;
    if (this.halt) return;
    if (this.status.kind === 'offline' || this.status.kind === 'error' || this.status.kind === 'unauthenticated') {
      this.attempt = 0;
      void this.send(false);
    }
  }

  /**
   * The organizer chose after a conflict: the screen now holds a copy based on the server's
   * revision (theirs loaded, or mine kept on top of it). Mine kept is sent at once.
   */
  resolved(revision: number, send: boolean): Promise<void> {
    this.base = revision;
    this.halt = null;
    this.lastSaved = null;
    this.setStatus({ kind: send ? 'pending' : 'idle' });
    return send ? this.send(false) : Promise.resolve();
  }

  /** Published (read-only): nothing more is sent from this page. */
  stop(): void {
    this.halt = 'readOnly';
    this.clearTimer();
  }

  /** A fresh server copy was taken (after publish, correction): continue from its revision. */
  rebase(revision: number): void {
    this.base = revision;
    this.lastSaved = null;
    if (this.halt === 'readOnly') this.halt = null;
  }

  dispose(): void {
    this.clearTimer();
    if (this.retryTimer !== undefined) this.o.clearTimer(this.retryTimer);
    this.retryTimer = undefined;
  }

  private schedule(ms: number): void {
    this.clearTimer();
    this.timer = this.o.setTimer(() => {
      this.timer = undefined;
      void this.send(false);
    }, ms);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.o.clearTimer(this.timer);
    this.timer = undefined;
  }

  private post(snap: Snapshot, keepalive: boolean): Promise<Response> {
    const body = JSON.stringify({ ...snap.payload, expectedRevision: this.base });
    const small = new TextEncoder().encode(body).length <= KEEPALIVE_MAX_BYTES;
    return this.o.fetch(BULLETIN_SAVE_URL, {
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
    const snap = this.current;
    if (!snap || snap.key === this.lastSaved) {
      if (this.status.kind === 'pending' || this.status.kind === 'saving') this.setStatus({ kind: 'saved', at: this.o.now() });
      return Promise.resolve();
    }
    this.setStatus({ kind: 'saving' });
    const run = this.request(snap, keepalive).finally(() => {
      this.inflight = null;
      if (this.again) {
        this.again = false;
        void this.send(false);
      }
    });
    this.inflight = run;
    return run;
  }

  private async request(snap: Snapshot, keepalive: boolean): Promise<void> {
    let res: Response;
    try {
      res = await this.post(snap, keepalive);
    } catch {
      this.setStatus({ kind: 'offline' });
      this.retryLater();
      return;
    }
    let data: SaveResponse | null = null;
    try {
      data = (await res.json()) as SaveResponse;
    } catch {
      data = null;
    }
    if (res.ok && data?.ok) {
      this.attempt = 0;
      this.base = data.revision;
      this.lastSaved = snap.key;
      this.o.onSaved(data.bulletin, snap);
      const now = this.current;
      if (now && now.key !== snap.key) {
        this.setStatus({ kind: 'pending' });
        if (this.timer === undefined) this.schedule(AUTOSAVE_DELAY_MS);
      } else {
        this.setStatus({ kind: 'saved', at: this.o.now() });
      }
      return;
    }
    if (res.status === 401) {
      this.halt = 'unauthenticated';
      this.clearTimer();
      this.setStatus({ kind: 'unauthenticated' });
      return;
    }
    if (data && !data.ok && data.code === 'stale' && data.current) {
      this.halt = 'conflict';
      this.clearTimer();
      this.again = false;
      this.setStatus({ kind: 'conflict' });
      this.o.onConflict(data.current, snap);
      return;
    }
    if (res.status >= 500 || !data) {
      this.setStatus({ kind: 'error', message: '保存没有成功，稍后自动重试；请不要关闭页面' });
      this.retryLater();
      return;
    }
    if (!data.ok && data.code === 'read_only') {
      this.halt = 'readOnly';
      this.clearTimer();
    }
    const message = data.ok ? '保存没有成功' : (data.message ?? '保存没有成功');
    this.setStatus({ kind: 'invalid', message, fieldErrors: (!data.ok && data.fieldErrors) || {} });
  }

  private retryLater(): void {
    if (this.retryTimer !== undefined) this.o.clearTimer(this.retryTimer);
    const delay = Math.min(RETRY_MAX_MS, AUTOSAVE_DELAY_MS * 2 ** this.attempt);
    this.attempt += 1;
    this.retryTimer = this.o.setTimer(() => {
      this.retryTimer = undefined;
      void this.send(false);
    }, delay);
  }
}
