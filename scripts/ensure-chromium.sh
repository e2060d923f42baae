#!/usr/bin/env bash
# Playwright drives Debian's Chromium (it cannot download its own here). Install it when we
# are root and it is missing; otherwise say exactly what to install.
set -euo pipefail
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
need=()
[ -x "$CHROMIUM" ] || need+=(chromium)
if command -v fc-list >/dev/null 2>&1; then
  fc-list :lang=zh | grep -qi 'Noto Sans CJK\|Noto Serif CJK\|WenQuanYi\|Droid Sans Fallback' || need+=(fonts-noto-cjk)
else
  need+=(fonts-noto-cjk)
fi
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "安装浏览器测试所需的 Debian 软件包：${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
  exit 0
fi
echo "端到端测试需要 Debian 的 Chromium 和中文字体。请先以 root 运行：" >&2
echo "  apt-get update && apt-get install -y ${need[*]}" >&2
echo "（或把 CHROMIUM_PATH 设为已安装的 Chromium 路径）" >&2
exit 1
