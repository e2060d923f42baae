// npm run db:backup [file]: a consistent online copy of the database, safe while the portal runs.
import path from 'node:path';
import fs from 'node:fs';
import { databasePath, getSqlite, restrictFile } from '../db';
import { isPostgres } from '../db/dialect';

if (isPostgres()) {
  // PostgreSQL has its own online backup; the portal's copy is for the SQLite file.
  console.error('当前数据库是 PostgreSQL（DATABASE_URL）：请用 pg_dump 备份，例如 pg_dump -Fc -f xuesi.dump "$DATABASE_URL"；见 docs/deploy.md。');
  process.exit(1);
}

const stamp = new Date().toISOString().replace(/[:.]/gu, '-');
const target = path.resolve(process.argv[2] ?? path.join(path.dirname(databasePath()), 'backups', `xuesi-${stamp}.db`));
fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
// A backup holds the password hashes too: created 600, and kept 600 after SQLite has written it.
restrictFile(target);
getSqlite()
  .backup(target)
  .then(() => {
    restrictFile(target);
    console.log(`已备份到 ${target}`);
  })
  .catch((e: unknown) => {
    console.error('备份失败：', e instanceof Error ? e.message : e);
    process.exit(1);
  });
