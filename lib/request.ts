import 'server-only';
import { headers } from 'next/headers';

export interface RequestInfo {
  ip: string;
  userAgent: string;
}

/**
 * The client's address. `next start` appends the socket's address to x-forwarded-for, so
 * the last entry is the one this server saw; earlier entries are whatever the client sent.
 */
export function clientIp(h: Headers): string {
  const forwarded = h.get('x-forwarded-for');
  const last = forwarded?.split(',').map((s) => s.trim()).filter(Boolean).pop();
  return (last || h.get('x-real-ip') || 'unknown').slice(0, 64);
}

export async function requestInfo(): Promise<RequestInfo> {
  const h = await headers();
  return { ip: clientIp(h), userAgent: (h.get('user-agent') ?? '').slice(0, 300) };
}
