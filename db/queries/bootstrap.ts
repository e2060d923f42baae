import 'server-only';
import { count } from 'drizzle-orm';
import { getDb } from '@/db';
import { users } from '@/db/schema';
import { writeAudit } from '@/db/audit';
import { transaction } from '@/db/mutation';
import { generatePassword, hashOneTimePassword, hashPassword, passwordProblem } from '@/lib/auth/password';
import { usernameSchema } from '@/lib/validation/users';

export type BootstrapResult =
  | { created: false }
  | { created: true; username: string; password: string | null };

/**
 * On an empty database, creates the first admin: from INITIAL_ADMIN_USERNAME/PASSWORD when set,
 * otherwise with a random password that must be changed at first sign-in. Never a known default.
 */
export async function ensureInitialAdmin(env: Record<string, string | undefined> = process.env): Promise<BootstrapResult> {
  const db = getDb();
  if (((await db.select({ n: count() }).from(users).get())?.n ?? 0) > 0) return { created: false };

  const username = usernameSchema.parse(env.INITIAL_ADMIN_USERNAME || 'admin');
  const given = env.INITIAL_ADMIN_PASSWORD;
  if (given) {
    const problem = passwordProblem(given, username);
    if (problem) throw new Error(`INITIAL_ADMIN_PASSWORD 不可用：${problem}`);
  }
  const password = given || generatePassword(16);
  // A generated password (must be changed) is hashed like other one-time passwords.
  const hash = given ? await hashPassword(password) : await hashOneTimePassword(password);
  const created = await transaction(async (tx) => {
    // Checked again inside the transaction: two processes starting at once create one admin.
    if (((await tx.select({ n: count() }).from(users).get())?.n ?? 0) > 0) return false;
    const row = await tx
      .insert(users)
      .values({
        username,
        name: '系统管理员',
        title: '',
        role: 'admin',
        passwordHash: hash,
        mustChangePassword: !given,
      })
      .returning({ id: users.id })
      .get();
    await writeAudit(tx, {
      actorId: null,
      actorUsername: 'system',
      action: 'user.bootstrap',
      targetType: 'user',
      targetId: row.id,
      detail: { username, passwordFrom: given ? 'env' : 'random' },
    });
    return true;
  });
  if (!created) return { created: false };
  return { created: true, username, password: given ? null : password };
}
