import type { Metadata, Viewport } from 'next';
import { connection } from 'next/server';
import { shellFactsOf } from '@/components/app-shell';
import { currentViewer } from '@/lib/auth/viewer';
import './globals.css';

export const metadata: Metadata = {
  title: { default: '学思', template: '%s · 学思' },
  description: '读书班与集中学习：学习心得、审阅与简报',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Render every page per request: a nonce-based CSP needs a fresh nonce on every script tag.
  await connection();
  // 大字模式 scales every rem of the interface from the root font size.
  const viewer = await currentViewer();
  const large = viewer ? (await shellFactsOf(viewer)).largeUi : false;
  return (
    <html lang="zh-CN" className={large ? 'large-ui' : undefined}>
      <body className="min-h-dvh">{children}</body>
    </html>
  );
}
