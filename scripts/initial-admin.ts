// The first admin, as both `npm start` and `npm run db:seed` create it on an empty database
// (db/queries/bootstrap.ts decides who it is), and how it is announced: a generated one-time
// password is printed once and written to data/initial-admin.txt (mode 600); a password from
// INITIAL_ADMIN_PASSWORD is never printed or written anywhere.
import fs from 'node:fs';
import path from 'node:path';
import { ensureInitialAdmin } from '../db/queries/bootstrap';

export async function createInitialAdmin(dbFile: string): Promise<void> {
  const admin = await ensureInitialAdmin();
  if (!admin.created) return;
  if (!admin.password) {
    console.log(`学思：已按 INITIAL_ADMIN_USERNAME / INITIAL_ADMIN_PASSWORD 创建初始管理员 ${admin.username}（密码即环境变量所设，登录后不要求修改）`);
    return;
  }
  const file = path.join(path.dirname(dbFile), 'initial-admin.txt');
  fs.writeFileSync(file, `账号：${admin.username}\n初始密码：${admin.password}\n首次登录后须修改密码。\n`, { mode: 0o600 });
  console.log('');
  console.log('================ 初始管理员 ================');
  console.log(`  账号：${admin.username}`);
  console.log(`  初始密码：${admin.password}`);
  console.log(`  （只显示这一次，也已写入 ${file}，权限 600；首次登录后须修改）`);
  console.log('============================================');
  console.log('');
}
