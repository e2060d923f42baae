'use client';

import { lazy, Suspense } from 'react';
import type { DraftContent } from '@/lib/reflection/limits';

// The notice shows only on a reflection that can no longer be changed and only when this browser
// holds text the server never received, so its code is fetched after the page is up rather than
// with the editor page's first scripts (issue 15). The server renders nothing for it either way:
// the browser's copy is read in the browser.
const Body = lazy(() => import('./local-copy-notice-body').then((m) => ({ default: m.LocalCopyNoticeBody })));

export function LocalCopyNotice(props: { userId: number; assignmentId: number; server: DraftContent | null }) {
  return (
    <Suspense fallback={null}>
      <Body {...props} />
    </Suspense>
  );
}
