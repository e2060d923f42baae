import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { databasePath } from '@/db';
import { TEMP_FILE_TTL_MS } from './limits';

// Short-lived files beside the database: an uploaded roster between its preview and its commit,
// and a password sheet between the commit and its one download. Nothing here goes into the
// database. Files are readable by this process's user only and are removed after use, or by the
// sweep once they are an hour old.

const ID = /^[A-Za-z0-9_-]{32}$/u;

export function importsDir(): string {
  const dir = path.join(path.dirname(databasePath()), 'imports');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

function newId(): string {
  return randomBytes(24).toString('base64url');
}

export function isStoreId(id: unknown): id is string {
  return typeof id === 'string' && ID.test(id);
}

function writePrivate(file: string, data: Uint8Array | string): void {
  fs.writeFileSync(file, data, { mode: 0o600, flag: 'wx' });
}

function readJson<T>(file: string): T | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return null;
  }
}

function removeQuietly(file: string): void {
  fs.rmSync(file, { force: true });
}

/** Removes every stored file older than the time to live. */
export function sweepImports(now = Date.now()): void {
  const dir = importsDir();
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    try {
      if (now - fs.statSync(file).mtimeMs > TEMP_FILE_TTL_MS) removeQuietly(file);
    } catch {
      // Removed meanwhile by another request.
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Uploads awaiting commit

export interface UploadMeta {
  ownerId: number;
  fileName: string;
  allowCreateUnits: boolean;
  createdAt: number;
}

export function saveUpload(bytes: Uint8Array, meta: Omit<UploadMeta, 'createdAt'>, now = Date.now()): string {
  sweepImports(now);
  const id = newId();
  const dir = importsDir();
  writePrivate(path.join(dir, `${id}.bin`), bytes);
  writePrivate(path.join(dir, `${id}.json`), JSON.stringify({ ...meta, createdAt: now } satisfies UploadMeta));
  return id;
}

/** The upload, when it exists, is this admin's and is not older than an hour. */
export function loadUpload(id: string, ownerId: number, now = Date.now()): { bytes: Buffer; meta: UploadMeta } | null {
  if (!isStoreId(id)) return null;
  const dir = importsDir();
  const meta = readJson<UploadMeta>(path.join(dir, `${id}.json`));
  if (!meta || meta.ownerId !== ownerId) return null;
  if (now - meta.createdAt > TEMP_FILE_TTL_MS) {
    deleteUpload(id);
    return null;
  }
  try {
    return { bytes: fs.readFileSync(path.join(dir, `${id}.bin`)), meta };
  } catch {
    return null;
  }
}

export function deleteUpload(id: string): void {
  if (!isStoreId(id)) return;
  const dir = importsDir();
  removeQuietly(path.join(dir, `${id}.bin`));
  removeQuietly(path.join(dir, `${id}.json`));
  removeQuietly(path.join(dir, `${id}.hashed`));
  removeQuietly(path.join(dir, `${id}.hashing`));
}

/** Deletes an upload only when it is this admin's. */
export function discardUpload(id: string, ownerId: number): boolean {
  if (!isStoreId(id)) return false;
  const meta = readJson<UploadMeta>(path.join(importsDir(), `${id}.json`));
  if (!meta || meta.ownerId !== ownerId) return false;
  deleteUpload(id);
  return true;
}

// ---------------------------------------------------------------------------------------------
// One-time passwords hashed at the preview, for a commit that reaches another server process
// (npm start runs one per core, docs/decisions/0014): the process that previewed keeps them in
// memory (lib/roster/prehash.ts) and, once all are hashed, here too, beside the upload and gone
// with it. The plain passwords are on disk only as long as the password sheet will be after the
// commit (mode 600, the same folder).

export interface Prehashed {
  ownerId: number;
  createdAt: number;
  secrets: { password: string; hash: string }[];
}

/** Written once all are hashed; only while the upload is still there. Replaces atomically. */
export function savePrehashed(id: string, ownerId: number, secrets: Prehashed['secrets'], now = Date.now()): void {
  if (!isStoreId(id)) return;
  const dir = importsDir();
  const meta = readJson<UploadMeta>(path.join(dir, `${id}.json`));
  if (!meta || meta.ownerId !== ownerId) return;
  const tmp = path.join(dir, `${id}.hashed.${randomBytes(6).toString('hex')}`);
  writePrivate(tmp, JSON.stringify({ ownerId, createdAt: now, secrets } satisfies Prehashed));
  fs.renameSync(tmp, path.join(dir, `${id}.hashed`));
}

/** The hashed passwords of this admin's upload, once, when not older than `ttlMs`. */
export function takePrehashed(id: string, ownerId: number, ttlMs: number, now = Date.now()): Prehashed['secrets'] | null {
  if (!isStoreId(id)) return null;
  const file = path.join(importsDir(), `${id}.hashed`);
  const stored = readJson<Prehashed>(file);
  removeQuietly(file);
  if (!stored || stored.ownerId !== ownerId || now - stored.createdAt > ttlMs) return null;
  return Array.isArray(stored.secrets) ? stored.secrets : null;
}

/**
 * While the process that previewed is still hashing: which process, and how far it is, so that a
 * commit reaching another process waits for those hashes instead of hashing every password again
 * beside it (lib/roster/prehash.ts awaitPrehashElsewhere). No password is in it.
 */
export interface HashingMark {
  ownerId: number;
  pid: number;
  done: number;
  total: number;
  /** When it was last written (ms). */
  at: number;
}

/** Written at the start of the preview's hashing and again as it goes on; replaced atomically. */
export function markHashing(id: string, mark: Omit<HashingMark, 'at'>, now = Date.now()): void {
  if (!isStoreId(id)) return;
  const dir = importsDir();
  const tmp = path.join(dir, `${id}.hashing.${randomBytes(6).toString('hex')}`);
  try {
    writePrivate(tmp, JSON.stringify({ ...mark, at: now } satisfies HashingMark));
    fs.renameSync(tmp, path.join(dir, `${id}.hashing`));
  } catch {
    // Only a hint for another process: without it, that process hashes for itself.
    removeQuietly(tmp);
  }
}

export function readHashing(id: string): HashingMark | null {
  return isStoreId(id) ? readJson<HashingMark>(path.join(importsDir(), `${id}.hashing`)) : null;
}

export function dropHashing(id: string): void {
  if (isStoreId(id)) removeQuietly(path.join(importsDir(), `${id}.hashing`));
}

/** Drops the hashed passwords of an upload (a newer preview, 取消, the time to live). */
export function dropPrehashed(id: string): void {
  if (isStoreId(id)) removeQuietly(path.join(importsDir(), `${id}.hashed`));
}

// ---------------------------------------------------------------------------------------------
// Password sheets: one download each

export interface SheetMeta {
  ownerId: number;
  count: number;
  fileName: string;
  createdAt: number;
}

export function savePasswordSheet(bytes: Uint8Array, meta: Omit<SheetMeta, 'createdAt'>, now = Date.now()): string {
  sweepImports(now);
  const token = newId();
  const dir = importsDir();
  writePrivate(path.join(dir, `${token}.pw`), bytes);
  writePrivate(path.join(dir, `${token}.pw.json`), JSON.stringify({ ...meta, createdAt: now } satisfies SheetMeta));
  return token;
}

/**
 * Hands the sheet over and deletes it: a second request, even a simultaneous one, gets null.
 * Only the admin who imported may take it.
 */
export function takePasswordSheet(token: string, ownerId: number, now = Date.now()): { bytes: Buffer; meta: SheetMeta } | null {
  if (!isStoreId(token)) return null;
  const dir = importsDir();
  const metaFile = path.join(dir, `${token}.pw.json`);
  const meta = readJson<SheetMeta>(metaFile);
  if (!meta || meta.ownerId !== ownerId) return null;
  const claimed = path.join(dir, `${token}.pw.taken-${randomBytes(6).toString('hex')}`);
  try {
    // rename is atomic: of two requests, one wins and the other finds nothing.
    fs.renameSync(path.join(dir, `${token}.pw`), claimed);
  } catch {
    return null;
  }
  try {
    if (now - meta.createdAt > TEMP_FILE_TTL_MS) return null;
    return { bytes: fs.readFileSync(claimed), meta };
  } finally {
    removeQuietly(claimed);
    removeQuietly(metaFile);
  }
}

/** Sheets this admin has not downloaded yet (after a closed tab, say), newest first. */
export function listPasswordSheets(ownerId: number, now = Date.now()): { token: string; count: number; fileName: string; createdAt: number }[] {
  sweepImports(now);
  const dir = importsDir();
  const out: { token: string; count: number; fileName: string; createdAt: number }[] = [];
  for (const name of fs.readdirSync(dir)) {
    const m = /^([A-Za-z0-9_-]{32})\.pw\.json$/u.exec(name);
    if (!m) continue;
    const token = m[1] as string;
    const meta = readJson<SheetMeta>(path.join(dir, name));
    if (!meta || meta.ownerId !== ownerId || now - meta.createdAt > TEMP_FILE_TTL_MS) continue;
    if (!fs.existsSync(path.join(dir, `${token}.pw`))) continue;
    out.push({ token, count: meta.count, fileName: meta.fileName, createdAt: meta.createdAt });
  }
  return out.sort((a, b) => b.createdAt - a.createdAt);
}
