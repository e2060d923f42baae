import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findNginx, NGINX_TEMPLATE, nginxMainConf, renderNginxSite } from './cluster-rig';

const places = {
  upstreams: ['127.0.0.1:4001', '127.0.0.1:4002'],
  httpPort: 4080,
  httpsPort: 4443,
  serverName: 'localhost',
  certificate: '/tmp/x/localhost.crt',
  key: '/tmp/x/localhost.key',
  accessLog: '/tmp/x/access.log',
  errorLog: '/tmp/x/error.log',
};

describe('deploy/nginx/xuesi.conf as the two-server test runs it', () => {
  const template = fs.readFileSync(NGINX_TEMPLATE, 'utf8');
  const site = renderNginxSite(template, places);

  it('replaces only the places: addresses, ports, certificate and log paths', () => {
    expect(site).not.toMatch(/10\.0\.0\.|xuesi\.example|\/etc\/nginx\/ssl|\/var\/log/u);
    // Both upstream blocks name both app servers, keeping each line's options.
    expect(site.match(/server 127\.0\.0\.1:4001 max_fails=3 fail_timeout=10s;/gu)).toHaveLength(1);
    expect(site.match(/server 127\.0\.0\.1:4002;/gu)).toHaveLength(1);
    expect(site.match(/server 127\.0\.0\.1:400[12]/gu)).toHaveLength(4);
    expect(site).toContain('listen 127.0.0.1:4443 ssl');
    expect(site).toContain('return 301 https://$host:4443$request_uri;');
    // What decides how requests reach the app is untouched.
    const directives = (s: string) => s.split('\n').filter((l) => /proxy_|hash |client_max_body_size|keepalive/u.test(l));
    expect(directives(site)).toEqual(directives(template));
  });

  it('refuses a template that lost something the rig replaces, naming it', () => {
    expect(() => renderNginxSite(template.replace('/etc/nginx/ssl/xuesi.key', '/srv/key.pem'), places)).toThrow(/私钥路径/u);
    expect(() => renderNginxSite(template, { ...places, upstreams: ['127.0.0.1:4001'] })).toThrow(/2 台应用服务器，这里有 1 台/u);
  });

  // Without nginx installed (scripts/ensure-nginx.sh installs it for npm test) this one cannot run.
  it.skipIf(!findNginx())('is a configuration nginx accepts (nginx -t)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xuesi-nginx-t-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-keyout', path.join(dir, 'k'), '-out', path.join(dir, 'c')], { stdio: 'ignore' });
      const local = renderNginxSite(template, { ...places, certificate: path.join(dir, 'c'), key: path.join(dir, 'k'), accessLog: path.join(dir, 'a.log'), errorLog: path.join(dir, 'e.log') });
      fs.writeFileSync(path.join(dir, 'xuesi.conf'), local);
      fs.writeFileSync(path.join(dir, 'nginx.conf'), nginxMainConf(dir));
      fs.mkdirSync(path.join(dir, 'temp'));
      const checked = spawnSync(findNginx() as string, ['-t', '-e', path.join(dir, 'start.log'), '-p', dir, '-c', path.join(dir, 'nginx.conf')], { encoding: 'utf8' });
      expect(checked.stderr).toContain('test is successful');
      expect(checked.status).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
