// Who is on the other end of a request. Only the production server (scripts/serve.ts) decides
// it, from the socket, and hands it to the application in an internal header that it always
// overwrites; the application reads nothing else. A client can put any X-Forwarded-For it likes
// into a request, so that header counts only for the proxies TRUSTED_PROXY_HOPS says are ours.

/** The internal header the production server writes; a client-sent copy is always replaced. */
export const CLIENT_IP_HEADER = 'x-xuesi-client-ip';
/** Proves the header came from this process's server (`next start` alone never writes it). */
export const CLIENT_IP_TOKEN_HEADER = 'x-xuesi-client-ip-token';
export const CLIENT_IP_TOKEN_ENV = 'XUESI_CLIENT_IP_TOKEN';

/** TRUSTED_PROXY_HOPS as a count: unset, empty or invalid is 0 (no proxy is trusted). */
export function trustedProxyHops(value: string | undefined): number {
  const n = Number(value ?? '0');
  return Number.isInteger(n) && n >= 0 && n <= 10 ? n : 0;
}

function normalise(address: string): string {
  const a = address.trim();
  // An IPv4 client on a dual-stack socket reads as ::ffff:192.0.2.1.
  return (a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a).slice(0, 64);
}

/**
 * The client's address: the socket's, or with `hops` trusted proxies in front, the entry that
 * the farthest trusted proxy appended to X-Forwarded-For (each proxy appends the address it saw).
 * Entries to the left of that one were written by the client and are never used.
 */
export function clientAddress(socketAddress: string | undefined, forwardedFor: string | string[] | undefined, hops: number): string {
  const socket = normalise(socketAddress ?? '') || 'unknown';
  if (hops <= 0) return socket;
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? '');
  const chain = [...header.split(',').map(normalise).filter(Boolean), socket];
  // chain[last] is the nearest proxy (the socket); each trusted hop moves one entry to the left.
  return chain[Math.max(0, chain.length - 1 - hops)] ?? socket;
}
