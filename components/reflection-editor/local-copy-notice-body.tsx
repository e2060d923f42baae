'use client';

import { useState, useSyncExternalStore } from 'react';
import { countChars } from '@/lib/text/char-count';
import { sameContent, type DraftContent } from '@/lib/reflection/limits';
import { browserStorage, readLocal, removeLocal, storageKey, type LocalDraft } from './local-copy';

const subscribeNothing = () => () => undefined;

/**
 * On a reflection that can no longer be changed (submitted from another tab, past the cut-off):
 * if this browser still holds text the server never received, show it so that it can be copied,
 * rather than drop it silently.
 */
export function LocalCopyNoticeBody({
  userId,
  assignmentId,
  server,
}: {
  userId: number;
  assignmentId: number;
  server: DraftContent | null;
}) {
  const key = storageKey(userId, assignmentId);
  const raw = useSyncExternalStore(
    subscribeNothing,
    () => browserStorage()?.getItem(key) ?? null,
    () => null,
  );
  const [dismissed, setDismissed] = useState(false);
  if (dismissed || raw === null) return null;
  const local: LocalDraft | null = readLocal(browserStorage(), key);
  if (!local || local.synced) return null;
  if (server && sameContent(local, server)) return null;
  if (!local.body.trim() && !local.title.trim()) return null;
  return (
    <section aria-labelledby="local-copy-heading" className="rounded-lg border border-amber-300 bg-amber-50 p-4">
      <h2 id="local-copy-heading" className="text-base font-semibold">
        本机还有一份没有保存到服务器的内容
      </h2>
      <p className="mt-1 text-sm text-stone-700">
        字数 {countChars(local.body)}。这篇心得现在不能修改，如需要，请复制留存。
      </p>
      <label className="mt-2 block text-sm font-medium" htmlFor="local-copy-text">
        本机保存的内容
      </label>
      <textarea
        id="local-copy-text"
        readOnly
        rows={8}
        value={`${local.title}\n\n${local.body}`}
        className="mt-1 block w-full rounded-md border border-stone-300 bg-white p-2 text-base"
      />
      <button
        type="button"
        className="mt-2 min-h-11 rounded-md border border-stone-300 bg-white px-3 py-2 text-sm hover:bg-stone-100"
        onClick={() => {
          removeLocal(browserStorage(), key);
          setDismissed(true);
        }}
      >
        删除本机的这份内容
      </button>
    </section>
  );
}
