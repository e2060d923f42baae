#!/usr/bin/env bash
# The two-server end-to-end test (e2e/two-servers.spec.ts) runs the portal behind Debian's nginx
# with deploy/nginx/xuesi.conf. Install it when we are root and it is missing; otherwise say
# exactly what to install. openssl makes the test's certificate.
set -euo pipefail
if { [ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1; } && command -v openssl >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "安装测试所需的 Debian 软件包：nginx openssl"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq nginx openssl >/dev/null
  exit 0
fi
echo "测试需要 nginx 和 openssl，请先以 root 运行：" >&2
echo "  apt-get update && apt-get install -y nginx openssl" >&2
exit 1
