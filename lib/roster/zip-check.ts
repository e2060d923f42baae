import { inflateRawSync } from 'node:zlib';
import { MAX_UNZIPPED_BYTES, MAX_ZIP_ENTRIES, MESSAGES } from './limits';

// An .xlsx is a zip archive. exceljs (through JSZip) unpacks every entry into memory, so a small
// upload could claim gigabytes or hundreds of thousands of entries. This reads the central
// directory itself, refuses what is too big or unsafe, and then inflates each entry with a cap
// equal to the size it declares, so that an entry that lies about its size is caught too.

export type ZipCheck = { ok: true; entries: string[]; unzippedBytes: number } | { ok: false; message: string };

const LOCAL_SIG = 0x04034b50;
const CENTRAL_SIG = 0x02014b50;
const EOCD_SIG = 0x06054b50;
const ZIP64_LOCATOR_SIG = 0x07064b50;
const ZIP64_EOCD_SIG = 0x06064b50;
const U16_MAX = 0xffff;
const U32_MAX = 0xffffffff;

function refuse(message: string): ZipCheck {
  return { ok: false, message };
}

function u64(buf: Buffer, at: number): number | null {
  if (at + 8 > buf.length) return null;
  const v = buf.readBigUInt64LE(at);
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? null : Number(v);
}

/** True when the bytes start like a zip's first local file header. */
export function looksLikeZip(buf: Uint8Array): boolean {
  return buf.length >= 4 && buf[0] === 0x50 && buf[1] === 0x4b && buf[2] === 0x03 && buf[3] === 0x04;
}

function findEocd(buf: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65,535 bytes, at the very end.
  const stop = Math.max(0, buf.length - 22 - U16_MAX);
  for (let i = buf.length - 22; i >= stop; i--) {
    if (buf.readUInt32LE(i) === EOCD_SIG && i + 22 + buf.readUInt16LE(i + 20) === buf.length) return i;
  }
  return -1;
}

/** A path inside the archive that could escape a folder it were unpacked into. */
export function unsafeEntryName(name: string): boolean {
  if (name.includes('\0')) return true;
  if (name.startsWith('/') || name.startsWith('\\') || /^[a-zA-Z]:/u.test(name)) return true;
  return name.split(/[/\\]/u).some((part) => part === '..');
}

interface Entry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

/**
 * Checks an .xlsx before any library unpacks it: the zip signature, at most MAX_ZIP_ENTRIES
 * entries, at most MAX_UNZIPPED_BYTES once unpacked (by the central directory and then by
 * actually inflating with that cap), no absolute or ../ names, no encryption.
 */
export function checkXlsxZip(bytes: Uint8Array): ZipCheck {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!looksLikeZip(buf)) return refuse(MESSAGES.xlsxNotZip);
  const eocd = findEocd(buf);
  if (eocd < 0) return refuse(MESSAGES.zipCorrupt);

  let total = buf.readUInt16LE(eocd + 10);
  let cdSize = buf.readUInt32LE(eocd + 12);
  let cdOffset = buf.readUInt32LE(eocd + 16);
  if (buf.readUInt16LE(eocd + 4) !== 0 || buf.readUInt16LE(eocd + 6) !== 0) return refuse(MESSAGES.zipCorrupt);
  if (total === U16_MAX || cdSize === U32_MAX || cdOffset === U32_MAX) {
    const loc = eocd - 20;
    if (loc < 0 || buf.readUInt32LE(loc) !== ZIP64_LOCATOR_SIG) return refuse(MESSAGES.zipCorrupt);
    const z = u64(buf, loc + 8);
    if (z === null || z + 56 > buf.length || buf.readUInt32LE(z) !== ZIP64_EOCD_SIG) return refuse(MESSAGES.zipCorrupt);
    const t = u64(buf, z + 32);
    const s = u64(buf, z + 40);
    const o = u64(buf, z + 48);
    if (t === null || s === null || o === null) return refuse(MESSAGES.zipTooLarge);
    [total, cdSize, cdOffset] = [t, s, o];
  }
  if (total > MAX_ZIP_ENTRIES) return refuse(MESSAGES.zipEntries);
  if (cdOffset + cdSize > buf.length) return refuse(MESSAGES.zipCorrupt);

  const entries: Entry[] = [];
  let declared = 0;
  let at = cdOffset;
  const end = cdOffset + cdSize;
  while (at < end) {
    if (entries.length >= MAX_ZIP_ENTRIES) return refuse(MESSAGES.zipEntries);
    if (at + 46 > end || buf.readUInt32LE(at) !== CENTRAL_SIG) return refuse(MESSAGES.zipCorrupt);
    const flags = buf.readUInt16LE(at + 8);
    const method = buf.readUInt16LE(at + 10);
    let compressedSize = buf.readUInt32LE(at + 20);
    let size = buf.readUInt32LE(at + 24);
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    let localOffset = buf.readUInt32LE(at + 42);
    const next = at + 46 + nameLen + extraLen + commentLen;
    if (next > end) return refuse(MESSAGES.zipCorrupt);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLen);

    if (size === U32_MAX || compressedSize === U32_MAX || localOffset === U32_MAX) {
      // ZIP64: the real values are in the extra field 0x0001, in this order, only where the
      // 32-bit field is saturated.
      let e = at + 46 + nameLen;
      const extraEnd = e + extraLen;
      let found = false;
      while (e + 4 <= extraEnd) {
        const id = buf.readUInt16LE(e);
        const len = buf.readUInt16LE(e + 2);
        if (id === 0x0001) {
          let p = e + 4;
          const read = () => {
            const v = p + 8 <= e + 4 + len ? u64(buf, p) : null;
            p += 8;
            return v;
          };
          const s = size === U32_MAX ? read() : size;
          const c = compressedSize === U32_MAX ? read() : compressedSize;
          const o = localOffset === U32_MAX ? read() : localOffset;
          if (s === null || c === null || o === null) return refuse(MESSAGES.zipTooLarge);
          [size, compressedSize, localOffset] = [s, c, o];
          found = true;
          break;
        }
        e += 4 + len;
      }
      if (!found) return refuse(MESSAGES.zipCorrupt);
    }

    if (unsafeEntryName(name)) return refuse(MESSAGES.zipUnsafeName);
    if (flags & 0x1) return refuse(MESSAGES.zipEncrypted);
    if (method !== 0 && method !== 8) return refuse(MESSAGES.zipCorrupt);
    declared += size;
    if (declared > MAX_UNZIPPED_BYTES) return refuse(MESSAGES.zipTooLarge);
    entries.push({ name, method, flags, compressedSize, size, localOffset });
    at = next;
  }
  if (entries.length !== total) return refuse(MESSAGES.zipCorrupt);

  const names = entries.map((e) => e.name);
  if (!names.includes('[Content_Types].xml') || !names.some((n) => n.replace(/^\//u, '') === 'xl/workbook.xml')) {
    return refuse(MESSAGES.xlsxNotZip);
  }

  // The directory's sizes are only claims: inflate every entry with its claim as the ceiling.
  let actual = 0;
  for (const e of entries) {
    const lh = e.localOffset;
    if (lh + 30 > buf.length || buf.readUInt32LE(lh) !== LOCAL_SIG) return refuse(MESSAGES.zipCorrupt);
    const dataStart = lh + 30 + buf.readUInt16LE(lh + 26) + buf.readUInt16LE(lh + 28);
    const dataEnd = dataStart + e.compressedSize;
    if (dataEnd > buf.length) return refuse(MESSAGES.zipCorrupt);
    const data = buf.subarray(dataStart, dataEnd);
    let produced: number;
    if (e.method === 0) {
      produced = data.length;
    } else {
      try {
        produced = inflateRawSync(data, { maxOutputLength: Math.max(1, e.size) }).length;
      } catch (err) {
        const code = (err as { code?: string }).code;
        return refuse(code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError ? MESSAGES.zipTooLarge : MESSAGES.zipCorrupt);
      }
    }
    if (produced !== e.size) return refuse(produced > e.size ? MESSAGES.zipTooLarge : MESSAGES.zipCorrupt);
    actual += produced;
    if (actual > MAX_UNZIPPED_BYTES) return refuse(MESSAGES.zipTooLarge);
  }
  return { ok: true, entries: names, unzippedBytes: actual };
}
