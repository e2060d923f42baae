// Adds up the vitest (SQLite, then PostgreSQL) and Playwright JSON reports into one closing line.
import fs from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
const v = JSON.parse(fs.readFileSync('.tmp/vitest.json', 'utf8'));
const pg = JSON.parse(fs.readFileSync('.tmp/vitest-pg.json', 'utf8'));
for (const run of [v, pg]) {
  passed += run.numPassedTests;
  failed += run.numFailedTests;
  skipped += run.numPendingTests + (run.numTodoTests ?? 0);
}
const p = JSON.parse(fs.readFileSync('.tmp/playwright.json', 'utf8'));
passed += p.stats.expected;
failed += p.stats.unexpected + p.stats.flaky;
skipped += p.stats.skipped;
console.log(`vitest ${v.numPassedTests}, vitest on PostgreSQL ${pg.numPassedTests}, playwright ${p.stats.expected}`);
console.log(`total: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
