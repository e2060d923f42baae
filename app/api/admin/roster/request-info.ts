import { clientIp, type RequestInfo } from '@/lib/request';

/** Who sent a route handler's request, as the audit log records it. */
export function requestInfoOf(request: Request): RequestInfo {
  return { ip: clientIp(request.headers), userAgent: (request.headers.get('user-agent') ?? '').slice(0, 300) };
}
