'use client';

import { useRouter } from 'next/navigation';
import { useId, useState, useTransition } from 'react';
import { processRecheckAction, queueRecheckAction, setThresholdAction } from '@/app/(organizer)/review/originality/actions';
import { buttonClass } from '@/components/ui/button-class';

// The course report's controls: the threshold (organizers of the course) and, for an admin, a
// re-run over the whole course with its progress. The re-run's queue is durable: leaving the
// page stops nothing that is not picked up again by the next 重新查重 or 继续.

export function ThresholdForm({ courseId, threshold }: { courseId: number; threshold: number }) {
  const id = useId();
  const [value, setValue] = useState(String(threshold));
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, start] = useTransition();
  const router = useRouter();
  return (
    <form
      className="flex flex-wrap items-end gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        start(async () => {
          const r = await setThresholdAction({ courseId, threshold: value });
          setMessage({ ok: r.ok, text: r.ok ? r.message : (r.fieldErrors?.threshold?.[0] ?? r.message) });
          if (r.ok) router.refresh();
        });
      }}
    >
      <div>
        <label htmlFor={id} className="block text-base font-medium">
          疑似雷同阈值（%）
        </label>
        <input id={id} inputMode="numeric" className="mt-1 w-28 rounded-md border border-stone-300 px-3 py-2 text-base" value={value} onChange={(e) => setValue(e.target.value)} />
      </div>
      <button type="submit" className={buttonClass('secondary')} disabled={pending}>
        保存阈值
      </button>
      {message ? (
        <p role="status" className={message.ok ? 'text-green-800' : 'text-red-700'}>
          {message.text}
        </p>
      ) : null}
    </form>
  );
}

export function RecheckControl({ courseId, pending: initialPending }: { courseId: number; pending: number }) {
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const router = useRouter();

  async function work(total: number) {
    let done = 0;
    setProgress({ done, total });
    for (;;) {
      const r = await processRecheckAction({ courseId });
      if (!r.ok) {
        setError(r.message);
        break;
      }
      done = total - r.left;
      setProgress({ done, total });
      if (r.left === 0 || r.processed === 0) break;
    }
  }

  async function run(queueFirst: boolean) {
    setRunning(true);
    setError(null);
    try {
      let total = initialPending;
      if (queueFirst) {
        const q = await queueRecheckAction({ courseId });
        if (!q.ok) {
          setError(q.message);
          return;
        }
        total = q.queued;
      }
      await work(total);
      router.refresh();
    } finally {
      setRunning(false);
    }
  }

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap gap-2">
        <button type="button" className={buttonClass('secondary')} disabled={running} onClick={() => void run(true)}>
          重新查重全班
        </button>
        {initialPending > 0 && !running ? (
          <button type="button" className={buttonClass('secondary')} onClick={() => void run(false)}>
            继续（还有 {initialPending} 篇排队）
          </button>
        ) : null}
      </div>
      {progress ? (
        <div role="status">
          <progress className="w-full" max={progress.total || 1} value={progress.done} aria-label="查重进度" />
          <p className="text-base">
            已完成 {progress.done} / {progress.total} 篇
          </p>
        </div>
      ) : null}
      {error ? (
        <p role="alert" className="text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}
