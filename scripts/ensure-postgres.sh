#!/usr/bin/env bash
# The vitest suite starts throwaway PostgreSQL clusters (test/pg/cluster.ts) with Debian's server
# binaries (/usr/lib/postgresql/<version>/bin). Install them when we are root and they are
# missing; otherwise say exactly what to install.
set -euo pipefail
for bin in /usr/lib/postgresql/*/bin; do
  [ -x "$bin/initdb" ] && [ -x "$bin/pg_ctl" ] && exit 0
done
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "安装测试所需的 Debian 软件包：postgresql"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
  exit 0
fi
echo "测试需要 PostgreSQL 服务端程序（/usr/lib/postgresql/*/bin/initdb），请先以 root 运行：" >&2
echo "  apt-get update && apt-get install -y postgresql" >&2
exit 1
