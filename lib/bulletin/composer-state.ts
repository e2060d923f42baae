import { defaultBulletinTitle, itemHeading } from './format';

// The 简报 compose screen's state as a pure reducer: the bulletin's fields, its items in order,
// the revision the screen started from, and whether anything typed is waiting to be saved. No
// React here, so that every change can be tested on its own and later saved as it happens.

export const COMPOSER_FIELDS = [
  'number',
  'title',
  'headline',
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
  /** The reflection's text as it stands (null without one, e.g. imported): what 全文 / 要点 are taken from. */
  sourceBody: string | null;
  refreshed?: boolean;
}

/** A bulletin as the server sends it (BulletinEditDto fits). */
export interface ComposerSource {
  course: { name: string; columnName: string };
  number: number;
  title: string;
  /** 印刷标题: the headline under the 报头; '' lets the print view derive it. */
  headline: string;
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
  items: readonly {
    id: number;
    reflectionId: number | null;
    heading: string;
    body: string;
    authorName: string;
    changed: boolean;
    currentBody: string | null;
    sourceBody: string | null;
  }[];
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
  /** Something typed is not saved yet: the content differs from the last one the server took. */
  dirty: boolean;
  /** contentKey of what the server holds as far as this screen knows (the last copy sent and taken). */
  savedKey: string;
  /** The last sequence number used for the key of an item added on this screen. */
  keySeq: number;
}

export type ComposerAction =
  /** Replace everything with this copy (载入对方的版本). */
  | { type: 'load'; source: ComposerSource }
  /** A fresh server copy (after publish, correction, refresh): taken only when nothing typed waits. */
  | { type: 'serverCopy'; source: ComposerSource }
  /**
   * The save went through. `sentKeys` are the keys of the items as they were sent, in order, so
   * that items added on this screen get their new ids; `sentKey` is the contentKey of what was
   * sent. What was typed while the save was on its way stays as typed (and dirty).
   */
  | { type: 'saved'; source: ComposerSource; sentKeys: readonly string[]; sentKey: string }
  /** Reorder by a key per reflection (按发言顺序, 按单位); items without one keep their order at the end. */
  | { type: 'sortBy'; rank: ReadonlyMap<number, readonly (string | number)[]> }
  | { type: 'setField'; name: ComposerFieldName; value: string }
  | { type: 'setItem'; key: string; patch: Partial<Omit<ComposerItem, 'key' | 'id' | 'reflectionId'>> }
  /** Up (-1) or down (+1) by keyboard or button. */
  | { type: 'move'; index: number; delta: number }
  /** Dragged from one position and dropped on another. */
  | { type: 'moveTo'; from: number; to: number }
  | { type: 'remove'; key: string }
  /** Ticked candidates, appended in the order given (the order ticked); ones already in the bulletin are left out. */
  | { type: 'add'; candidates: readonly ComposerCandidate[] };

export function fieldsFrom(b: ComposerSource): ComposerFields {
  return {
    number: String(b.number),
    title: b.title,
    headline: b.headline,
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
    sourceBody: i.sourceBody,
  }));
}

/**
 * What the organizer wrote, as one string: the fields and the items in order (reflection, heading,
 * text). Equal keys mean there is nothing to save.
 */
export function contentKey(s: Pick<ComposerState, 'fields' | 'items'>): string {
  return JSON.stringify([COMPOSER_FIELDS.map((f) => s.fields[f]), s.items.map((i) => [i.reflectionId, i.heading, i.body])]);
}

export function initComposer(source: ComposerSource): ComposerState {
  const fields = fieldsFrom(source);
  const items = itemsFrom(source);
  return { course: source.course, fields, items, revision: source.revision, dirty: false, savedKey: contentKey({ fields, items }), keySeq: 0 };
}

function settle(s: ComposerState): ComposerState {
  const dirty = contentKey(s) !== s.savedKey;
  return dirty === s.dirty ? s : { ...s, dirty };
}

/** Compares two rank tuples element by element. */
function compareRanks(a: readonly (string | number)[], b: readonly (string | number)[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] as string | number;
    const y = b[i] as string | number;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x).localeCompare(String(y), 'zh-Hans-CN');
  }
  return a.length - b.length;
}

/** The items ordered by rank, stable; items whose reflection has no rank go last in their order. */
export function sortedItems(items: readonly ComposerItem[], rank: ReadonlyMap<number, readonly (string | number)[]>): ComposerItem[] {
  const at = items.map((item, index) => ({ item, index, r: item.reflectionId !== null ? rank.get(item.reflectionId) : undefined }));
  at.sort((a, b) => {
    if (a.r && b.r) return compareRanks(a.r, b.r) || a.index - b.index;
    if (a.r) return -1;
    if (b.r) return 1;
    return a.index - b.index;
  });
  return at.map((x) => x.item);
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
  const next = reduce(state, action);
  return next === state ? state : settle(next);
}

function reduce(state: ComposerState, action: ComposerAction): ComposerState {
  switch (action.type) {
    case 'load':
      return { ...initComposer(action.source), keySeq: state.keySeq };
    case 'serverCopy':
      return state.dirty ? state : { ...initComposer(action.source), keySeq: state.keySeq };
    case 'saved': {
      const server = action.source.items;
      const sentAt = new Map(action.sentKeys.map((k, i) => [k, i]));
      const items = state.items.map((item) => {
        const i = sentAt.get(item.key);
        const copy = i === undefined ? undefined : server[i];
        if (!copy) return item;
        // The server recorded the refreshed source revision with this save.
        const { refreshed: _recorded, ...rest } = item;
        return { ...rest, id: copy.id, changed: copy.changed, currentBody: copy.currentBody, sourceBody: copy.sourceBody };
      });
      return { ...state, items, revision: action.source.revision, savedKey: action.sentKey };
    }
    case 'sortBy': {
      const items = sortedItems(state.items, action.rank);
      return items.every((it, i) => it === state.items[i]) ? state : { ...state, items };
    }
    case 'setField':
      return { ...state, fields: withField(state, action.name, action.value) };
    case 'setItem':
      return { ...state, items: state.items.map((i) => (i.key === action.key ? { ...i, ...action.patch } : i)) };
    case 'move':
      if (!canMove(state, action.index, action.delta)) return state;
      return { ...state, items: relocate(state.items, action.index, action.index + action.delta) };
    case 'moveTo': {
      const { from, to } = action;
      const inside = (n: number) => Number.isInteger(n) && n >= 0 && n < state.items.length;
      if (from === to || !inside(from) || !inside(to)) return state;
      return { ...state, items: relocate(state.items, from, to) };
    }
    case 'remove':
      return { ...state, items: state.items.filter((i) => i.key !== action.key) };
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
        // An approved reflection's text as the picker found it: 全文 / 要点 are taken from it.
        sourceBody: c.body,
      }));
      return { ...state, items: [...state.items, ...added], keySeq };
    }
  }
}

/**
 * The patch for an item whose text becomes an excerpt (全文 / 要点 / 自定义) of its reflection's
 * current text. When that text changed after the item was added, the excerpt is taken from the
 * newer one: the save records the reflection's current revision, as 用最新原文替换 does.
 */
export function excerptPatch(item: Pick<ComposerItem, 'changed'>, body: string): Extract<ComposerAction, { type: 'setItem' }>['patch'] {
  return item.changed ? { body, changed: false, refreshed: true } : { body };
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
