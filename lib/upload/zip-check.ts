import { inflateRawSync } from 'node:zlib';

// .docx and .xlsx files are zip archives. mammoth and exceljs (both through JSZip) unpack every
// entry into memory and trust the sizes the archive declares, so a 400 KB upload can make them
// inflate gigabytes. Every upload path runs this check first and hands the parser only bytes it
// accepted: it reads the central directory itself, refuses too many entries, too much declared
// size, an unsafe name, encryption, a duplicated name, or a suspicious compression ratio, and
// then inflates every entry with a hard cap equal to the size it declares (never more than the
// archive's whole budget), so that an entry that lies about its size costs at most that cap.

export type ZipRefusal =
  | 'not_zip'
  | 'corrupt'
  | 'entries'
  | 'too_large'
  | 'ratio'
  | 'unsafe_name'
  | 'encrypted'
  | 'missing_part';

export type ZipCheck = { ok: true; entries: string[]; unzippedBytes: number } | { ok: false; reason: ZipRefusal };

export interface ZipLimits {
  maxEntries: number;
  /** The whole archive unpacked, by the directory's claims and by what inflating produces. */
  maxUnzippedBytes: number;
  /** Unpacked / packed size of one entry, checked for entries larger than RATIO_FLOOR_BYTES. */
  maxRatio: number;
  /** Entries the format must have (compared without a leading slash). */
  required: readonly string[];
}

/** Small entries may compress as well as they like: a ratio matters only when the size does. */
export const RATIO_FLOOR_BYTES = 1024 * 1024;

export const XLSX_LIMITS: ZipLimits = {
  maxEntries: 2_000,
  maxUnzippedBytes: 100 * 1024 * 1024,
  maxRatio: 200,
  required: ['[Content_Types].xml', 'xl/workbook.xml'],
};

/** A reflection or a bulletin is a few pages of text: 32 MB unpacked leaves room for pictures. */
export const DOCX_LIMITS: ZipLimits = {
  maxEntries: 2_000,
  maxUnzippedBytes: 32 * 1024 * 1024,
  maxRatio: 200,
  required: ['[Content_Types].xml', 'word/document.xml'],
};

const LOCAL_SIG = 0x04034b50;
const CENTRAL_SIG = 0x02014b50;
const EOCD_SIG = 0x06054b50;
const ZIP64_LOCATOR_SIG = 0x07064b50;
const ZIP64_EOCD_SIG = 0x06064b50;
const U16_MAX = 0xffff;
const U32_MAX = 0xffffffff;

/** The first bytes of an Office 97–2003 file (.doc, .xls): an OLE compound document. */
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

function refuse(reason: ZipRefusal): ZipCheck {
  return { ok: false, reason };
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

/** True for an OLE compound document (.doc, .xls): never parsed, only named in a refusal. */
export function looksLikeOle(buf: Uint8Array): boolean {
  return buf.length >= OLE_MAGIC.length && OLE_MAGIC.every((b, i) => buf[i] === b);
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
  compressedSize: number;
  size: number;
  localOffset: number;
}

function tooCompressed(size: number, compressedSize: number, limits: ZipLimits): boolean {
  return size > RATIO_FLOOR_BYTES && size / Math.max(1, compressedSize) > limits.maxRatio;
}

/** Checks a zip-based Office file before any library unpacks it (see the comment at the top). */
export function checkZip(bytes: Uint8Array, limits: ZipLimits): ZipCheck {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!looksLikeZip(buf)) return refuse('not_zip');
  const eocd = findEocd(buf);
  if (eocd < 0) return refuse('corrupt');

  let total = buf.readUInt16LE(eocd + 10);
  let cdSize = buf.readUInt32LE(eocd + 12);
  let cdOffset = buf.readUInt32LE(eocd + 16);
  if (buf.readUInt16LE(eocd + 4) !== 0 || buf.readUInt16LE(eocd + 6) !== 0) return refuse('corrupt');
  if (total === U16_MAX || cdSize === U32_MAX || cdOffset === U32_MAX) {
    const loc = eocd - 20;
    if (loc < 0 || buf.readUInt32LE(loc) !== ZIP64_LOCATOR_SIG) return refuse('corrupt');
    const z = u64(buf, loc + 8);
    if (z === null || z + 56 > buf.length || buf.readUInt32LE(z) !== ZIP64_EOCD_SIG) return refuse('corrupt');
    const t = u64(buf, z + 32);
    const s = u64(buf, z + 40);
    const o = u64(buf, z + 48);
    if (t === null || s === null || o === null) return refuse('too_large');
    [total, cdSize, cdOffset] = [t, s, o];
  }
  if (total > limits.maxEntries) return refuse('entries');
  if (cdOffset + cdSize > buf.length) return refuse('corrupt');

  const entries: Entry[] = [];
  const seen = new Set<string>();
  let declared = 0;
  let at = cdOffset;
  const end = cdOffset + cdSize;
  while (at < end) {
    if (entries.length >= limits.maxEntries) return refuse('entries');
    if (at + 46 > end || buf.readUInt32LE(at) !== CENTRAL_SIG) return refuse('corrupt');
    const flags = buf.readUInt16LE(at + 8);
    const method = buf.readUInt16LE(at + 10);
    let compressedSize = buf.readUInt32LE(at + 20);
    let size = buf.readUInt32LE(at + 24);
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    let localOffset = buf.readUInt32LE(at + 42);
    const next = at + 46 + nameLen + extraLen + commentLen;
    if (next > end) return refuse('corrupt');
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
          if (s === null || c === null || o === null) return refuse('too_large');
          [size, compressedSize, localOffset] = [s, c, o];
          found = true;
          break;
        }
        e += 4 + len;
      }
      if (!found) return refuse('corrupt');
    }

    if (unsafeEntryName(name)) return refuse('unsafe_name');
    if (flags & 0x1) return refuse('encrypted');
    if (method !== 0 && method !== 8) return refuse('corrupt');
    // Two entries of one name: the checker and the parser could each read a different one.
    const key = name.replace(/^\//u, '');
    if (seen.has(key)) return refuse('corrupt');
    seen.add(key);
    declared += size;
    if (declared > limits.maxUnzippedBytes) return refuse('too_large');
    entries.push({ name, method, compressedSize, size, localOffset });
    at = next;
  }
  if (entries.length !== total) return refuse('corrupt');
  if (entries.some((e) => tooCompressed(e.size, e.compressedSize, limits))) return refuse('ratio');

  const names = entries.map((e) => e.name);
  if (!limits.required.every((r) => seen.has(r))) return refuse('missing_part');

  // The directory's sizes are only claims: inflate every entry with its claim as a hard ceiling.
  let actual = 0;
  for (const e of entries) {
    const lh = e.localOffset;
    if (lh + 30 > buf.length || buf.readUInt32LE(lh) !== LOCAL_SIG) return refuse('corrupt');
    const dataStart = lh + 30 + buf.readUInt16LE(lh + 26) + buf.readUInt16LE(lh + 28);
    const dataEnd = dataStart + e.compressedSize;
    if (dataEnd > buf.length) return refuse('corrupt');
    const data = buf.subarray(dataStart, dataEnd);
    let produced: number;
    if (e.method === 0) {
      produced = data.length;
    } else {
      const cap = Math.max(1, Math.min(e.size, limits.maxUnzippedBytes - actual));
      try {
        produced = inflateRawSync(data, { maxOutputLength: cap }).length;
      } catch (err) {
        const code = (err as { code?: string }).code;
        return refuse(code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError ? 'too_large' : 'corrupt');
      }
    }
    if (produced !== e.size) return refuse(produced > e.size ? 'too_large' : 'corrupt');
    actual += produced;
    if (actual > limits.maxUnzippedBytes) return refuse('too_large');
  }
  return { ok: true, entries: names, unzippedBytes: actual };
}
