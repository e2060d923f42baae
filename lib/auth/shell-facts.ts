import type { Viewer } from './viewer-type';

/** What the frame of every signed-in page shows about the viewer: 大字模式 and the unread count. */
export interface ShellFacts {
  largeUi: boolean;
  unread: number;
}

// The facts read with the sign-in row itself (loadViewer), kept for that viewer object: a page
// renders with the viewer it loaded at its start, so they are as fresh as the viewer, and the
// frame needs no statement of its own (issue 15). The mutation kernel forgets them for the viewer
// who changes anything (switching 大字模式 or reading notifications), so whatever is rendered
// after a change with the same viewer object reads them again.
const known = new WeakMap<Viewer, ShellFacts>();

export function rememberShellFacts(viewer: Viewer, facts: ShellFacts): void {
  known.set(viewer, facts);
}

export function rememberedShellFacts(viewer: Viewer): ShellFacts | undefined {
  return known.get(viewer);
}

export function forgetShellFacts(viewer: Viewer): void {
  known.delete(viewer);
}
