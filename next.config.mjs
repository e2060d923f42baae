/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // Native modules must be loaded by Node at run time, not bundled.
  serverExternalPackages: ['better-sqlite3', '@node-rs/argon2', '@node-rs/jieba', 'echarts'],
  experimental: {
    // forbidden() renders app/forbidden.tsx with status 403.
    authInterrupts: true,
    serverActions: { bodySizeLimit: '6mb' },
  },
};

export default nextConfig;
