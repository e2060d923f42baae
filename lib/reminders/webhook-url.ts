import type { WebhookKind } from '@/db/schema';

// Which addresses a course's group robot may post to (SSRF). The portal posts to a URL an admin
// typed, from inside the network it runs in, so the URL is held to an allow-list rather than
// merely parsed: https to the vendor's own robot host (企业微信 qyapi.weixin.qq.com, 钉钉
// oapi.dingtalk.com) on the default port, with no user-info; or exactly a host:port listed in
// WEBHOOK_ALLOWED_HOSTS (set by whoever runs the portal, e.g. an intranet relay, or the tests'
// 127.0.0.1 server), where http is allowed too. The check runs when the URL is saved and again
// before every post (the variable may have changed), and the post follows no redirect, so an
// allowed host cannot bounce the request to an internal one. The robot's answer is never shown.

export const WEBHOOK_HOSTS: Record<WebhookKind, string> = {
  wecom: 'qyapi.weixin.qq.com',
  dingtalk: 'oapi.dingtalk.com',
};

export const WEBHOOK_KIND_LABELS: Record<WebhookKind, string> = { wecom: '企业微信', dingtalk: '钉钉' };

function extraHosts(): Set<string> {
  return new Set(
    (process.env.WEBHOOK_ALLOWED_HOSTS ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
  );
}

/** null when the URL may be posted to for this kind of robot; otherwise why not, in Chinese. */
export function webhookUrlProblem(raw: string, kind: WebhookKind): string | null {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return '请填写完整的机器人地址（以 https:// 开头）';
  }
  if (u.username || u.password) return '机器人地址不能包含用户名或密码';
  const hostPort = u.port ? `${u.hostname}:${u.port}` : u.hostname;
  if (extraHosts().has(hostPort.toLowerCase()) && (u.protocol === 'https:' || u.protocol === 'http:')) return null;
  if (u.protocol !== 'https:') return '机器人地址必须以 https:// 开头';
  if (u.hostname !== WEBHOOK_HOSTS[kind] || u.port) {
    return `${WEBHOOK_KIND_LABELS[kind]}机器人的地址应以 https://${WEBHOOK_HOSTS[kind]}/ 开头`;
  }
  return null;
}

/** The URL as it may be shown: host and path, every query value reduced to its last 4 characters. */
export function maskWebhookUrl(raw: string): string {
  try {
    const u = new URL(raw);
    const q = [...u.searchParams.entries()].map(([k, v]) => `${k}=${'•'.repeat(6)}${v.slice(-4)}`);
    const path = u.pathname.length > 40 ? `${u.pathname.slice(0, 20)}…` : u.pathname;
    return `${u.protocol}//${u.host}${path}${q.length ? `?${q.join('&')}` : ''}`;
  } catch {
    return '（地址无效）';
  }
}
