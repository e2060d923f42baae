import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@\//, replacement: `${path.resolve(import.meta.dirname)}/` },
      // Tests run the data-access layer directly, outside React's server environment.
      { find: /^server-only$/, replacement: path.resolve(import.meta.dirname, 'test/empty.ts') },
    ],
  },
  test: {
    include: ['**/*.test.ts', '**/*.test.tsx'],
    exclude: ['node_modules/**', '.next/**', 'e2e/**', '.tmp/**', 'data/**'],
    environment: 'node',
    globalSetup: ['test/global-setup.ts'],
    env: { __NEXT_EXPERIMENTAL_AUTH_INTERRUPTS: 'true', TZ: 'UTC' },
    // argon2 at production cost is deliberately slow; leave room on two cores.
    testTimeout: 20000,
    pool: 'forks',
  },
});
