// npm run db:backup [file]: a consistent online copy of the database, safe while the portal runs.
import path from 'node:path';
import fs from 'node:fs';
import { databasePath, getSqlite, restrictFile } from '../db';

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
