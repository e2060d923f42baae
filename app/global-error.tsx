'use client';

export default function GlobalError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="zh-CN">
      <body style={{ fontFamily: 'sans-serif', textAlign: 'center', padding: '4rem 1rem' }}>
        <h1>出了点问题</h1>
        <p>页面没能打开，请稍后重试；问题持续时请联系管理员。</p>
        <button type="button" onClick={reset}>
          重试
        </button>
      </body>
    </html>
  );
}
