// Where the production build keeps the roster process bundled (scripts/roster-bundle.ts), relative
// to the project directory; lib/roster/off-thread.ts loads it when it is there.
export const ROSTER_BUNDLE = '.next/xuesi/roster-worker.cjs';
