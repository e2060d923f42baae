import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';
import drizzle from 'eslint-plugin-drizzle';
import tseslint from 'typescript-eslint';
import xuesi from './eslint-rules/drizzle-where.mjs';

// Data reaches pages, actions and route handlers only through db/queries (the data-access layer).
const DATA_LAYER_ONLY = {
  paths: [
    { name: '@/db', message: '页面与组件经由 db/queries/* 取数据，不直接连数据库。' },
    { name: '@/db/index', message: '页面与组件经由 db/queries/* 取数据，不直接连数据库。' },
    { name: '@/db/schema', allowTypeImports: true, message: '只可引入 schema 的类型（import type）。' },
    { name: '@/db/mutation', allowTypeImports: true, message: '变更经由 db/queries/* 的 mutation 与 lib/server-action 适配器。' },
    { name: '@/db/audit', message: '审计记录只在 db/queries/* 的事务里写。' },
    { name: '@/db/sql-kit', allowTypeImports: true, message: 'SQL 工具只在 db/ 里用。' },
    { name: 'better-sqlite3', message: '页面与组件不直接连数据库。' },
  ],
  patterns: [{ group: ['drizzle-orm', 'drizzle-orm/*'], message: '页面与组件不直接写 SQL:经由 db/queries/*。' }],
};

// Transactions are async (db/index.ts runTransaction: the write lock, BEGIN IMMEDIATE, the async
// context that routes the callback's statements): a synchronous callback could not await them.
const ASYNC_TRANSACTIONS = [
  {
    selector: "CallExpression[callee.property.name='transaction'] > :function[async=false]",
    message: '事务回调须是 async 函数，其中每条语句都要 await（db/index.ts）。',
  },
  {
    selector: "CallExpression[callee.name='transaction'] > :function[async=false]",
    message: '事务回调须是 async 函数，其中每条语句都要 await（db/index.ts）。',
  },
];

export default tseslint.config(
  { ignores: ['.next/**', 'node_modules/**', 'data/**', '.tmp/**', 'test-results/**', 'playwright-report/**', 'next-env.d.ts'] },
  ...nextVitals,
  ...nextTs,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { drizzle, xuesi },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'drizzle/enforce-delete-with-where': ['error', { drizzleObjectName: ['db', 'tx', 'getDb'] }],
      'drizzle/enforce-update-with-where': ['error', { drizzleObjectName: ['db', 'tx', 'getDb'] }],
      'xuesi/drizzle-where': 'error',
      'no-restricted-syntax': ['error', ...ASYNC_TRANSACTIONS],
    },
  },
  {
    files: ['app/**/*.ts', 'app/**/*.tsx', 'components/**/*.ts', 'components/**/*.tsx'],
    ignores: ['**/*.test.ts', '**/*.test.tsx'],
    rules: { 'no-restricted-imports': ['error', DATA_LAYER_ONLY] },
  },
  {
    // CommonJS preload scripts (scripts/*.cjs) can only require.
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // useTestDatabase() registers vitest hooks; it is not a React hook.
    files: ['**/*.test.ts', 'test/**/*.ts'],
    rules: { 'react-hooks/rules-of-hooks': 'off' },
  },
);
