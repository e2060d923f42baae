import 'server-only';
import { timingSafeEqual } from 'node:crypto';
import { headers } from 'next/headers';
import { CLIENT_IP_HEADER, CLIENT_IP_TOKEN_ENV, CLIENT_IP_TOKEN_HEADER } from './client-address';

export interface RequestInfo {
  ip: string;
  userAgent: string;
}

function sameToken(sent: string | null, token: string): boolean {
  if (!sent || sent.length !== token.length) return false;
  return timingSafeEqual(Buffer.from(sent), Buffer.from(token));
}

/**
 * The client's address, as the production server (scripts/serve.ts) took it from the socket, or
 * from the proxies TRUSTED_PROXY_HOPS trusts. Nothing else a client sends is read: the header
 * counts only beside the token that server shares with this process, so under `next dev` or a
 * bare `next start` every address is 'unknown' (docs/decisions/0009-sign-in-throttle.md).
 */
export function clientIp(h: Headers): string {
  const token = process.env[CLIENT_IP_TOKEN_ENV];
  if (!token || !sameToken(h.get(CLIENT_IP_TOKEN_HEADER), token)) return 'unknown';
  return (h.get(CLIENT_IP_HEADER) || 'unknown').slice(0, 64);
}

export async function requestInfo(): Promise<RequestInfo> {
  const h = await headers();
  return { ip: clientIp(h), userAgent: (h.get('user-agent') ?? '').slice(0, 300) };
}
