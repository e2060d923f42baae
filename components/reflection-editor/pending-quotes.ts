import { browserStorage } from './local-copy';

// 引用到心得 in the reader leaves the quotation here; the editor of the same assignment takes it
// when it opens and adds it to the 正文 through its ordinary edit path (so the draft's autosave
// keeps it). One list per user and assignment, in the browser only.

export interface PendingQuote {
  /** “…”（《篇名》） */
  text: string;
  readingId: number;
}

export function quotesKey(userId: number, assignmentId: number): string {
  return `xuesi:pending-quotes:${userId}:${assignmentId}`;
}

function read(storage: Storage, key: string): PendingQuote[] {
  try {
    const v: unknown = JSON.parse(storage.getItem(key) ?? '[]');
    if (!Array.isArray(v)) return [];
    return v.filter(
      (q): q is PendingQuote =>
        typeof q === 'object' && q !== null && typeof (q as PendingQuote).text === 'string' && typeof (q as PendingQuote).readingId === 'number',
    );
  } catch {
    return [];
  }
}

/** Adds a quotation for the editor; false when the browser keeps no storage. */
export function addPendingQuote(userId: number, assignmentId: number, quote: PendingQuote): boolean {
  const storage = browserStorage();
  if (!storage) return false;
  const key = quotesKey(userId, assignmentId);
  try {
    storage.setItem(key, JSON.stringify([...read(storage, key), quote].slice(-20)));
    return true;
  } catch {
    return false;
  }
}

/** The quotations waiting for this editor (left in storage until clearPendingQuotes). */
export function peekPendingQuotes(userId: number, assignmentId: number): PendingQuote[] {
  const storage = browserStorage();
  return storage ? read(storage, quotesKey(userId, assignmentId)) : [];
}

export function clearPendingQuotes(userId: number, assignmentId: number): void {
  try {
    browserStorage()?.removeItem(quotesKey(userId, assignmentId));
  } catch {
    // Storage refused: the quotations stay and are offered again next time, which loses nothing.
  }
}

/** The reflection's 学习篇目 with the quoted readings ticked. */
export function withQuotedReadings(ids: readonly number[], quotes: readonly PendingQuote[], readings: readonly { id: number }[]): number[] {
  const more = quotes.map((q) => q.readingId).filter((id) => readings.some((r) => r.id === id));
  return [...new Set([...ids, ...more])].sort((a, b) => a - b);
}

/** The 正文 with the quotations added as paragraphs at its end. */
export function withQuotes(body: string, quotes: readonly PendingQuote[]): string {
  const added = quotes.map((q) => q.text).join('\n');
  const kept = body.replace(/\s+$/u, '');
  return kept ? `${kept}\n${added}` : added;
}
