// Text typed into the composer before its scripts ran (a page opened by a plain link on a slow
// connection). React keeps what was typed into an empty field when it takes the page over, but it
// puts a textarea that had text back to the text it was rendered with (react-dom's initTextarea),
// so the 摘编内容 of an item, typed over, would be lost. A few lines run inline, before any field
// exists, and note the value of every field typed into; the composer reads them once it starts.

/** Inline, with the page's nonce: notes `data-typed` (or else the name) → value on every input. */
export const TYPED_EARLY_SCRIPT =
  "(function(){var v={};function h(e){var t=e.target;if(!t||!t.getAttribute)return;var k=t.getAttribute('data-typed')||t.getAttribute('name');if(k)v[k]=t.value}" +
  "document.addEventListener('input',h,true);window.__xsTyped={v:v,stop:function(){document.removeEventListener('input',h,true)}}})();";

type Noted = { v: Record<string, string>; stop: () => void };

/** What was typed before the scripts ran, by field key; stops the noting. Empty when nothing was. */
export function takeTypedEarly(): Record<string, string> {
  const w = window as unknown as { __xsTyped?: Noted };
  const noted = w.__xsTyped;
  if (!noted) return {};
  noted.stop();
  delete w.__xsTyped;
  return noted.v;
}
