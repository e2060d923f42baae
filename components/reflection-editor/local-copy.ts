import { sameContent, type DraftContent } from '@/lib/reflection/limits';

// The browser's copy of a draft: written on every keystroke, so that a dropped connection, an
// expired sign-in or a closed tab loses nothing. One key per user and assignment.

export interface LocalDraft extends DraftContent {
  v: 1;
  /** The server revision this text was started from (0: nothing on the server yet). */
  baseRevision: number;
  /** When the text was last changed here, ms since the epoch. */
  editedAt: number;
  /** True once the server has confirmed it holds exactly this text. */
  synced: boolean;
}

/** What the server held when the page was rendered. */
export interface ServerSnapshot extends DraftContent {
  revision: number;
  updatedAt: number;
  charCount: number;
}

export function storageKey(userId: number, assignmentId: number): string {
  return `xuesi:reflection-draft:${userId}:${assignmentId}`;
}

/** The browser's storage, or null where there is none (private mode, storage disabled). */
export function browserStorage(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.localStorage;
  } catch {
    return null;
  }
}

export function readLocal(storage: Storage | null, key: string): LocalDraft | null {
  if (!storage) return null;
  try {
    const raw = storage.getItem(key);
    if (!raw) return null;
    const v = JSON.parse(raw) as Partial<LocalDraft>;
    if (
      v.v !== 1 ||
      typeof v.title !== 'string' ||
      typeof v.body !== 'string' ||
      !Array.isArray(v.readingIds) ||
      !v.readingIds.every((id) => Number.isInteger(id)) ||
      typeof v.baseRevision !== 'number' ||
      typeof v.editedAt !== 'number' ||
      typeof v.synced !== 'boolean'
    ) {
      return null;
    }
    return v as LocalDraft;
  } catch {
    return null;
  }
}

/** False when the browser refused (full, disabled): the editor then must not claim a local copy. */
export function writeLocal(storage: Storage | null, key: string, draft: LocalDraft): boolean {
  if (!storage) return false;
  try {
    storage.setItem(key, JSON.stringify(draft));
    return true;
  } catch {
    return false;
  }
}

export function removeLocal(storage: Storage | null, key: string): void {
  try {
    storage?.removeItem(key);
  } catch {
    // Nothing to do: a copy that cannot be removed is shown again and can be dismissed again.
  }
}

export function isEmptyContent(c: DraftContent): boolean {
  return c.title.trim() === '' && c.body.trim() === '' && c.readingIds.length === 0;
}

export type RestoreDecision =
  | { kind: 'server' }
  /** Nothing on the server to weigh it against: the browser's text comes back as it was. */
  | { kind: 'local'; local: LocalDraft }
  /** Both hold text and they differ: the cadre chooses. */
  | { kind: 'choose'; local: LocalDraft };

/**
 * What the editor opens with. A copy the server confirmed is only a mirror and the server's
 * wins; an unconfirmed copy that differs from the server's is the cadre's to weigh.
 */
export function decideRestore(local: LocalDraft | null, server: ServerSnapshot | null): RestoreDecision {
  if (!local || local.synced) return { kind: 'server' };
  const serverContent: DraftContent = server ?? { title: '', body: '', readingIds: [] };
  if (sameContent(local, serverContent)) return { kind: 'server' };
  if (!server) return isEmptyContent(local) ? { kind: 'server' } : { kind: 'local', local };
  return { kind: 'choose', local };
}
