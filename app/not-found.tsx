export default function NotFound() {
  return (
    <main id="main" className="mx-auto max-w-lg px-4 py-16 text-center">
      <h1 className="text-2xl font-bold">页面不存在</h1>
      <p className="mt-3 text-stone-700">你要找的内容不存在，或者你没有查看它的权限。</p>
      {/* eslint-disable-next-line @next/next/no-html-link-for-pages -- a plain link: next/link here put its client chunk on every page (issue 15) */}
      <a href="/" className="mt-6 inline-block rounded-md bg-brand-600 px-4 py-2 text-white">
        回到首页
      </a>
    </main>
  );
}
