export default function Forbidden() {
  return (
    <main id="main" className="mx-auto max-w-lg px-4 py-16 text-center">
      <h1 className="text-2xl font-bold">无权访问</h1>
      <p className="mt-3 text-stone-700">你的账号没有打开这个页面的权限。如需要，请联系管理员。</p>
      {/* eslint-disable-next-line @next/next/no-html-link-for-pages -- a plain link: next/link here put its client chunk on every page (issue 15) */}
      <a href="/" className="mt-6 inline-block rounded-md bg-brand-600 px-4 py-2 text-white">
        回到首页
      </a>
    </main>
  );
}
