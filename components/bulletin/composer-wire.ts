// What the compose page sends the composer (a client component): only what it renders or edits,
// and each item's source text only where it differs from what is already sent. The page's React
// payload carries every prop as text, and an item taken whole from a reflection would otherwise
// carry the same text twice (or three times, when the reflection changed since). Plain module:
// the server page packs, the composer unpacks.
import type { BulletinEditDto } from '@/db/queries/bulletins/shared';
import type { ComposerSource } from '@/lib/bulletin/composer-state';

type Item = ComposerSource['items'][number];

/** The bulletin as the composer uses it. */
export type ComposerBulletin = Pick<
  BulletinEditDto,
  | 'id'
  | 'course'
  | 'number'
  | 'title'
  | 'headline'
  | 'editor'
  | 'issuedOn'
  | 'publisher'
  | 'lead'
  | 'summary'
  | 'transition'
  | 'reportTo'
  | 'sendTo'
  | 'issueTo'
  | 'copies'
  | 'status'
  | 'revision'
  | 'publishedRevision'
  | 'revisions'
> & { items: Item[] };

/**
 * An item on the wire: `sourceBody` is left out when it equals `body`, and `currentBody` when it
 * equals the source text (the reflection's approved text, which it always is when present).
 */
export type WireItem = Omit<Item, 'sourceBody' | 'currentBody'> & { sourceBody?: string | null; currentBody?: string | null };

export type WireBulletin = Omit<ComposerBulletin, 'items'> & { items: WireItem[] };

export function packForComposer(b: BulletinEditDto): WireBulletin {
  return {
    id: b.id,
    course: b.course,
    number: b.number,
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
    copies: b.copies,
    status: b.status,
    revision: b.revision,
    publishedRevision: b.publishedRevision,
    revisions: b.revisions,
    items: b.items.map((i) => {
      const item: WireItem = { id: i.id, reflectionId: i.reflectionId, heading: i.heading, body: i.body, authorName: i.authorName, changed: i.changed };
      if (i.sourceBody !== i.body) item.sourceBody = i.sourceBody;
      if (i.currentBody !== i.sourceBody) item.currentBody = i.currentBody;
      return item;
    }),
  };
}

export function unpackForComposer(w: WireBulletin): ComposerBulletin {
  return {
    ...w,
    items: w.items.map(({ sourceBody: sent, currentBody: current, ...i }) => {
      const sourceBody = sent === undefined ? i.body : sent;
      return { ...i, sourceBody, currentBody: current === undefined ? sourceBody : current };
    }),
  };
}
