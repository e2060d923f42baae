import { afterEach, describe, expect, it } from 'vitest';
import { CLIENT_IP_HEADER, CLIENT_IP_TOKEN_ENV, CLIENT_IP_TOKEN_HEADER, clientAddress, trustedProxyHops } from './client-address';
import { clientIp } from './request';

// Finding 2 of the security review: the sign-in address came from the last X-Forwarded-For entry,
// which the client wrote. Now the production server decides it from the socket.

afterEach(() => {
  delete process.env[CLIENT_IP_TOKEN_ENV];
});

describe('the client address', () => {
  it('is the socket address, whatever X-Forwarded-For says, when no proxy is trusted', () => {
    expect(clientAddress('203.0.113.7', '10.77.0.1', 0)).toBe('203.0.113.7');
    expect(clientAddress('::ffff:203.0.113.7', ['10.77.0.1', '10.77.0.2'], 0)).toBe('203.0.113.7');
    expect(clientAddress(undefined, undefined, 0)).toBe('unknown');
  });

  it('with n trusted proxies is the entry the farthest of them appended, never one to its left', () => {
    // client → nginx (appends the client's address) → portal: one hop.
    expect(clientAddress('127.0.0.1', '10.77.0.1, 198.51.100.4', 1)).toBe('198.51.100.4');
    expect(clientAddress('127.0.0.1', '10.77.0.1, 198.51.100.4, 192.0.2.9', 2)).toBe('198.51.100.4');
    // Fewer entries than trusted hops: the leftmost there is, which a trusted proxy wrote.
    expect(clientAddress('127.0.0.1', '198.51.100.4', 3)).toBe('198.51.100.4');
    expect(clientAddress('127.0.0.1', undefined, 1)).toBe('127.0.0.1');
  });

  it('reads TRUSTED_PROXY_HOPS as a small count, anything else as none', () => {
    expect(trustedProxyHops(undefined)).toBe(0);
    expect(trustedProxyHops('')).toBe(0);
    expect(trustedProxyHops('2')).toBe(2);
    expect(trustedProxyHops('-1')).toBe(0);
    expect(trustedProxyHops('1.5')).toBe(0);
    expect(trustedProxyHops('yes')).toBe(0);
  });

  it('is read by the application only from the server’s header beside its token', () => {
    const spoofed = new Headers({ 'x-forwarded-for': '10.77.0.1', 'x-real-ip': '10.77.0.2', [CLIENT_IP_HEADER]: '10.77.0.3' });
    expect(clientIp(spoofed)).toBe('unknown');
    process.env[CLIENT_IP_TOKEN_ENV] = 'server-token-123';
    expect(clientIp(new Headers({ [CLIENT_IP_HEADER]: '10.77.0.3', [CLIENT_IP_TOKEN_HEADER]: 'guess' }))).toBe('unknown');
    expect(clientIp(new Headers({ [CLIENT_IP_HEADER]: '203.0.113.7', [CLIENT_IP_TOKEN_HEADER]: 'server-token-123' }))).toBe('203.0.113.7');
  });
});
