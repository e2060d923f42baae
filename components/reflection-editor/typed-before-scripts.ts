import type { DraftContent } from '@/lib/reflection/limits';

/**
 * What someone typed into the plain form (plain-form.tsx) in the moments before the scripts ran.
 * The full editor takes the plain form's place once they run; it starts from these fields, so that
 * a title typed on a slow phone while the page was still loading is not thrown away. A field
 * counts as typed when its value differs from the one the page was rendered with.
 */
export interface TypedBeforeScripts {
  content: Partial<DraftContent>;
  declared: boolean;
  /** The field the caret was in, and where, to put it back in the editor's field. */
  focus: { field: 'title' | 'body'; start: number; end: number } | null;
}

export function typedBeforeScripts(form: HTMLFormElement | null): TypedBeforeScripts | null {
  if (!form) return null;
  const content: Partial<DraftContent> = {};
  const title = form.elements.namedItem('title');
  const body = form.elements.namedItem('body');
  if (title instanceof HTMLInputElement && title.value !== title.defaultValue) content.title = title.value;
  if (body instanceof HTMLTextAreaElement && body.value !== body.defaultValue) content.body = body.value;
  const boxes = Array.from(form.querySelectorAll<HTMLInputElement>('input[type="checkbox"][name="readingIds"]'));
  if (boxes.some((b) => b.checked !== b.defaultChecked)) {
    content.readingIds = boxes
      .filter((b) => b.checked)
      .map((b) => Number(b.value))
      .sort((a, b) => a - b);
  }
  const declaration = form.elements.namedItem('declaration');
  const declared = declaration instanceof HTMLInputElement && declaration.checked;
  const active = form.ownerDocument.activeElement;
  let focus: TypedBeforeScripts['focus'] = null;
  if (active && (active === title || active === body)) {
    const el = active as HTMLInputElement | HTMLTextAreaElement;
    focus = { field: active === title ? 'title' : 'body', start: el.selectionStart ?? el.value.length, end: el.selectionEnd ?? el.value.length };
  }
  if (Object.keys(content).length === 0 && !declared && !focus) return null;
  return { content, declared, focus };
}
