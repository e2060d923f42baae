#!/usr/bin/env bash
# npm test: every check, in order of cost. Stops at the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .tmp
rm -f .tmp/vitest.json .tmp/vitest-pg.json .tmp/playwright.json

echo "== 类型检查 (tsc)"
npx tsc --noEmit
echo "== 代码检查 (eslint)"
npx eslint --max-warnings=0 .
echo "== 单元与集成测试 (vitest)"
bash scripts/ensure-postgres.sh
bash scripts/ensure-nginx.sh
npx vitest run --reporter=default --reporter=json --outputFile.json=.tmp/vitest.json
echo "== 集成测试再在 PostgreSQL 上运行 (vitest.pg.config.mts)"
npx vitest run --config vitest.pg.config.mts --reporter=default --reporter=json --outputFile.json=.tmp/vitest-pg.json
echo "== 端到端测试 (playwright)"
bash scripts/e2e.sh
node scripts/test-summary.mjs
