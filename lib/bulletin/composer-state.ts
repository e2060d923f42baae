import { defaultBulletinTitle, itemHeading } from './format';

// The 简报 compose screen's state as a pure reducer: the bulletin's fields, its items in order,
// the revision the screen started from, and whether anything typed is waiting to be saved. No
// React here, so that every change can be tested on its own and later saved as it happens.

export const COMPOSER_FIELDS = [
  'number',
  'title',
  'editor',
  'issuedOn',
  'publisher',
  'lead',
  'summary',
  'transition',
  'reportTo',
  'sendTo',
  'issueTo',
  'copies',
] as const;

export type ComposerFieldName = (typeof COMPOSER_FIELDS)[number];
export type ComposerFields = Record<ComposerFieldName, string>;

export interface ComposerItem {
  /** Stable across moves, for React keys and focus: `i{id}` for saved items, `n{seq}` for new ones. */
  key: string;
  id?: number;
  reflectionId: number | null;
  heading: string;
  body: string;
  authorName: string;
  changed: boolean;
  currentBody: string | null;
  refreshed?: boolean;
}

/** A bulletin as the server sends it (BulletinEditDto fits). */
export interface ComposerSource {
  course: { name: string; columnName: string };
  number: number;
  title: string;
  editor: string;
  issuedOn: string;
  publisher: string;
  lead: string;
  summary: string;
  transition: string;
  reportTo: string;
  sendTo: string;
  issueTo: string;
  copies: number;
  revision: number;
  items: readonly { id: number; reflectionId: number | null; heading: string; body: string; authorName: string; changed: boolean; currentBody: string | null }[];
}

/** An approved reflection offered by the picker (CandidateDto fits). */
export interface ComposerCandidate {
  reflectionId: number;
  authorName: string;
  authorTitle: string;
  body: string;
}

export interface ComposerState {
  course: { name: string; columnName: string };
  fields: ComposerFields;
  items: ComposerItem[];
  /** The revision the next save names as the one it started from. */
  revision: number;
  /** Something typed is not saved yet. */
  dirty: boolean;
  /** The last sequence number used for the key of an item added on this screen. */
  keySeq: number;
}

export type ComposerAction =
  /** Replace everything with this copy (载入对方的版本). */
  | { type: 'load'; source: ComposerSource }
  /** A fresh server copy (after publish, correction, refresh): taken only when nothing typed waits. */
  | { type: 'serverCopy'; source: ComposerSource }
  /** The save went through: the saved items and revision; the fields stay as typed. */
  | { type: 'saved'; source: ComposerSource }
  | { type: 'setField'; name: ComposerFieldName; value: string }
  | { type: 'setItem'; key: string; patch: Partial<Omit<ComposerItem, 'key' | 'id' | 'reflectionId'>> }
  /** Up (-1) or down (+1) by keyboard or button. */
  | { type: 'move'; index: number; delta: number }
  /** Dragged from one position and dropped on another. */
  | { type: 'moveTo'; from: number; to: number }
  | { type: 'remove'; key: string }
  /** Ticked candidates, appended; ones already in the bulletin are left out. */
  | { type: 'add'; candidates: readonly ComposerCandidate[] };

export function fieldsFrom(b: ComposerSource): ComposerFields {
  return {
    number: String(b.number),
    title: b.title,
    editor: b.editor,
    issuedOn: b.issuedOn,
    publisher: b.publisher,
    lead: b.lead,
    summary: b.summary,
    transition: b.transition,
    reportTo: b.reportTo,
    sendTo: b.sendTo,
    issueTo: b.issueTo,
    copies: String(b.copies),
  };
}

export function itemsFrom(b: ComposerSource): ComposerItem[] {
  return b.items.map((i) => ({
    key: `i${i.id}`,
    id: i.id,
    reflectionId: i.reflectionId,
    heading: i.heading,
    body: i.body,
    authorName: i.authorName,
    changed: i.changed,
    currentBody: i.currentBody,
  }));
}

export function initComposer(source: ComposerSource): ComposerState {
  return { course: source.course, fields: fieldsFrom(source), items: itemsFrom(source), revision: source.revision, dirty: false, keySeq: 0 };
}

/** The candidates that adding would append: those whose reflection is not in the bulletin yet. */
export function freshCandidates<C extends ComposerCandidate>(state: ComposerState, chosen: readonly C[]): C[] {
  const have = new Set(state.items.map((i) => i.reflectionId));
  return chosen.filter((c) => !have.has(c.reflectionId));
}

/** Whether moving the item at `index` by `delta` stays inside the list. */
export function canMove(state: ComposerState, index: number, delta: number): boolean {
  const to = index + delta;
  return index >= 0 && index < state.items.length && to >= 0 && to < state.items.length;
}

function relocate(items: ComposerItem[], from: number, to: number): ComposerItem[] {
  const next = [...items];
  const [it] = next.splice(from, 1);
  next.splice(to, 0, it as ComposerItem);
  return next;
}

function withField(state: ComposerState, name: ComposerFieldName, value: string): ComposerFields {
  const f = state.fields;
  const next = { ...f, [name]: value };
  if (name === 'number') {
    // The title follows the number while it is still the default one.
    const { columnName, name: courseName } = state.course;
    const old = defaultBulletinTitle({ columnName, courseName, number: Number(f.number) });
    const n = Number(value);
    if (f.title === old && Number.isInteger(n) && n > 0) next.title = defaultBulletinTitle({ columnName, courseName, number: n });
  }
  return next;
}

export function composerReducer(state: ComposerState, action: ComposerAction): ComposerState {
  switch (action.type) {
    case 'load':
      return { ...initComposer(action.source), keySeq: state.keySeq };
    case 'serverCopy':
      return state.dirty ? state : { ...initComposer(action.source), keySeq: state.keySeq };
    case 'saved':
      return { ...state, items: itemsFrom(action.source), revision: action.source.revision, dirty: false };
    case 'setField':
      return { ...state, fields: withField(state, action.name, action.value), dirty: true };
    case 'setItem':
      return { ...state, items: state.items.map((i) => (i.key === action.key ? { ...i, ...action.patch } : i)), dirty: true };
    case 'move':
      if (!canMove(state, action.index, action.delta)) return state;
      return { ...state, items: relocate(state.items, action.index, action.index + action.delta), dirty: true };
    case 'moveTo': {
      const { from, to } = action;
      const inside = (n: number) => Number.isInteger(n) && n >= 0 && n < state.items.length;
      if (from === to || !inside(from) || !inside(to)) return state;
      return { ...state, items: relocate(state.items, from, to), dirty: true };
    }
    case 'remove':
      return { ...state, items: state.items.filter((i) => i.key !== action.key), dirty: true };
    case 'add': {
      const fresh = freshCandidates(state, action.candidates);
      if (!fresh.length) return state;
      let keySeq = state.keySeq;
      const added = fresh.map((c) => ({
        key: `n${++keySeq}`,
        reflectionId: c.reflectionId,
        heading: itemHeading(c.authorTitle, c.authorName),
        body: c.body,
        authorName: c.authorName,
        changed: false,
        currentBody: null,
      }));
      return { ...state, items: [...state.items, ...added], dirty: true, keySeq };
    }
  }
}

/** What 保存 sends: the fields as typed and the items in order, naming the revision started from. */
export function savePayload(state: ComposerState, id: number, expectedRevision = state.revision) {
  return {
    id,
    expectedRevision,
    ...state.fields,
    items: state.items.map((i) => ({
      ...(i.id ? { id: i.id } : {}),
      reflectionId: i.reflectionId,
      heading: i.heading,
      body: i.body,
      ...(i.refreshed ? { refreshed: true } : {}),
    })),
  };
}
