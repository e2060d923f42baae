'use client';

export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main id="main" className="mx-auto max-w-lg px-4 py-16 text-center">
      <h1 className="text-2xl font-bold">出了点问题</h1>
      <p className="mt-3 text-stone-700">页面没能打开。你填写的内容没有丢失，请稍后重试；问题持续时请联系管理员。</p>
      <button type="button" onClick={reset} className="mt-6 rounded-md bg-brand-600 px-4 py-2 text-white">
        重试
      </button>
    </main>
  );
}
