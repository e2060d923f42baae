#!/usr/bin/env bash
# End-to-end: Playwright against a production build (built by scripts/start.ts when stale)
# on a temporary database.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-chromium.sh
exec npx playwright test "$@"
