import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { secretBesideDatabase } from './secret';

// Authentication data the portal must be able to read back (the 两步验证 secrets: a TOTP server
// computes codes from them, so they cannot be hashed) is stored encrypted: AES-256-GCM under a
// data key that is not in the database. A copy of the database alone (a backup, a stolen file)
// does not give anyone the secrets. 等保 三级 数据保密性: 鉴别数据 encrypted in storage.

/** The environment variable that gives the data key; servers sharing one database share it. */
export const DATA_KEY_ENV = 'XUESI_DATA_KEY';
const DATA_KEY_FILE = 'data-key';
const PREFIX = 'v1.';

/**
 * XUESI_DATA_KEY, or a key generated once and kept beside the database (mode 600), as the
 * sign-in secret is (lib/auth/secret.ts).
 */
export function dataKey(): string {
  return process.env[DATA_KEY_ENV] || secretBesideDatabase(DATA_KEY_FILE, 32);
}

let derived: { key: string; bytes: Buffer } | null = null;
function keyBytes(): Buffer {
  const key = dataKey();
  if (derived?.key !== key) derived = { key, bytes: Buffer.from(hkdfSync('sha256', key, '', 'xuesi sealed fields v1', 32)) };
  return derived.bytes;
}

/** True for a value `seal` wrote (anything else in such a column is from before sealing). */
export function isSealed(stored: string): boolean {
  return stored.startsWith(PREFIX);
}

/**
 * Encrypts `plain` for storage. `context` (for example `totp:42`) is bound to the ciphertext:
 * a sealed value copied to another row does not open there.
 */
export function seal(plain: string, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyBytes(), iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `${PREFIX}${iv.toString('base64url')}.${body.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}`;
}

/**
 * The plain value of a sealed one, or null when it does not open (another data key, another
 * context, altered). A value stored before sealing is returned as it is.
 */
export function unseal(stored: string, context: string): string | null {
  if (!isSealed(stored)) return stored;
  const [iv, body, tag] = stored.slice(PREFIX.length).split('.');
  if (iv === undefined || body === undefined || tag === undefined) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyBytes(), Buffer.from(iv, 'base64url'), { authTagLength: 16 });
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
