'use client';

import { useState } from 'react';
import { buttonClass } from '@/components/ui/button-class';

/** Copies a text the server wrote (工作总结, 催交名单) with one press, and says so. */
export function CopyButton({ text, label, done = '已复制' }: { text: string; label: string; done?: string }) {
  const [state, setState] = useState<'idle' | 'done' | 'failed'>('idle');
  return (
    <span className="inline-flex flex-wrap items-center gap-2 print:hidden">
      <button
        type="button"
        className={buttonClass('secondary')}
        onClick={() => {
          navigator.clipboard.writeText(text).then(
            () => setState('done'),
            () => setState('failed'),
          );
        }}
      >
        {label}
      </button>
      <span role="status" className="text-sm text-stone-700">
        {state === 'done' ? `${done}，可以粘贴了。` : state === 'failed' ? '浏览器不允许复制，请选中文字后手动复制。' : ''}
      </span>
    </span>
  );
}
