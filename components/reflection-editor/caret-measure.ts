// Where the caret's line is in a text box, for the editor's sticky bar (caret-guard.ts), which
// loads this after the page is up.

const COPIED = [
  'boxSizing', 'width', 'borderTopWidth', 'borderRightWidth', 'borderBottomWidth', 'borderLeftWidth',
  'paddingTop', 'paddingRight', 'paddingBottom', 'paddingLeft', 'fontFamily', 'fontSize', 'fontWeight',
  'fontStyle', 'letterSpacing', 'lineHeight', 'textTransform', 'wordSpacing', 'textIndent', 'tabSize',
] as const;

/** The caret's bottom edge in viewport coordinates, measured on a hidden copy of the text box. */
export function caretBottom(el: HTMLTextAreaElement): number {
  const style = getComputedStyle(el);
  const mirror = document.createElement('div');
  for (const p of COPIED) mirror.style[p] = style[p];
  mirror.style.position = 'absolute';
  mirror.style.visibility = 'hidden';
  mirror.style.whiteSpace = 'pre-wrap';
  mirror.style.overflowWrap = 'break-word';
  mirror.style.top = '0';
  mirror.style.left = '-9999px';
  mirror.textContent = el.value.slice(0, el.selectionEnd ?? el.value.length);
  const marker = document.createElement('span');
  marker.textContent = '\u200b';
  mirror.appendChild(marker);
  document.body.appendChild(mirror);
  const lineHeight = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.5;
  const top = marker.offsetTop;
  mirror.remove();
  return el.getBoundingClientRect().top + top - el.scrollTop + lineHeight;
}

