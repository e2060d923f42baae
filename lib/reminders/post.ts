import 'server-only';
import type { WebhookKind } from '@/db/schema';
import { webhookUrlProblem } from './webhook-url';

// Posting to a group robot: 企业微信 and 钉钉 both take {"msgtype":"text","text":{"content":…}}
// and answer {"errcode":0,…} on success. A short timeout, no redirects; a failure is a Chinese
// sentence for the organizer, never the robot's own answer.

export const WEBHOOK_TIMEOUT_MS = 5_000;

export async function postToRobot(kind: WebhookKind, url: string, content: string, timeoutMs = WEBHOOK_TIMEOUT_MS): Promise<{ ok: true } | { ok: false; message: string }> {
  const problem = webhookUrlProblem(url, kind);
  if (problem) return { ok: false, message: `群机器人地址不再被允许（${problem}），请管理员重新设置。` };
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ msgtype: 'text', text: { content } }),
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (res.status < 200 || res.status >= 300) return { ok: false, message: `群机器人拒绝了这条消息（HTTP ${res.status}），请管理员检查机器人地址。` };
    const body = (await res.json().catch(() => null)) as { errcode?: unknown } | null;
    if (body && typeof body.errcode === 'number' && body.errcode !== 0) {
      return { ok: false, message: `群机器人拒绝了这条消息（错误码 ${body.errcode}），请管理员检查机器人地址或安全设置。` };
    }
    return { ok: true };
  } catch (e) {
    const name = (e as { name?: string } | null)?.name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      return { ok: false, message: `群机器人在 ${Math.round(timeoutMs / 1000)} 秒内没有响应，消息可能没有发出。请稍后再试，或用“复制催交名单”发到群里。` };
    }
    return { ok: false, message: '连不上群机器人，消息没有发出。请稍后再试，或用“复制催交名单”发到群里。' };
  }
}
