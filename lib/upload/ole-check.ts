// .doc and .wps (WPS's Word-compatible format) are OLE compound documents: a FAT file system in
// one file. Nothing in them is compressed, but a crafted one can make a parser loop for ever (a
// sector chain or a directory tree that points back at itself) or allocate far more than the
// upload (stream sizes that claim gigabytes, chains shared by many streams). This reads the
// header, the FAT, the directory and every chain itself, and hands the parser only files whose
// chains end, stay inside the file, and together claim no more than the file holds.

export type OleRefusal = 'not_ole' | 'corrupt' | 'too_large' | 'entries' | 'loop' | 'missing_part';

export type OleCheck = { ok: true; streams: string[]; declaredBytes: number } | { ok: false; reason: OleRefusal };

export interface OleLimits {
  maxDirectoryEntries: number;
  /** What all streams together may claim, as a multiple of the file's own size. */
  maxDeclaredRatio: number;
  /** Streams the format must have. */
  required: readonly string[];
}

export const WORD97_LIMITS: OleLimits = { maxDirectoryEntries: 4_096, maxDeclaredRatio: 1, required: ['WordDocument'] };

const MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const END_OF_CHAIN = 0xfffffffe;
const FREE = 0xffffffff;
const NO_STREAM = 0xffffffff;
const HEADER_DIFAT = 109;

function refuse(reason: OleRefusal): OleCheck {
  return { ok: false, reason };
}

class Refused extends Error {
  constructor(readonly reason: OleRefusal) {
    super(reason);
  }
}

export function isOle(buf: Uint8Array): boolean {
  return buf.length >= 512 && MAGIC.every((b, i) => buf[i] === b);
}

/** Checks an OLE compound document's structure before any parser sees it. */
export function checkOle(buf: Buffer, limits: OleLimits = WORD97_LIMITS): OleCheck {
  if (!isOle(buf)) return refuse('not_ole');
  try {
    return walk(buf, limits);
  } catch (e) {
    if (e instanceof Refused) return refuse(e.reason);
    if (e instanceof RangeError) return refuse('corrupt');
    throw e;
  }
}

function walk(buf: Buffer, limits: OleLimits): OleCheck {
  const major = buf.readUInt16LE(0x1a);
  const shift = buf.readUInt16LE(0x1e);
  if (buf.readUInt16LE(0x1c) !== 0xfffe) throw new Refused('corrupt');
  if (!((major === 3 && shift === 9) || (major === 4 && shift === 12))) throw new Refused('corrupt');
  if (buf.readUInt16LE(0x20) !== 6) throw new Refused('corrupt');
  const sectorSize = 1 << shift;
  const miniSize = 64;
  const sectorCount = Math.floor((buf.length - sectorSize) / sectorSize) + ((buf.length - sectorSize) % sectorSize ? 1 : 0);
  if (sectorCount <= 0) throw new Refused('corrupt');
  const fatSectors = buf.readUInt32LE(0x2c);
  const firstDir = buf.readUInt32LE(0x30);
  const cutoff = buf.readUInt32LE(0x38);
  const firstMiniFat = buf.readUInt32LE(0x3c);
  const miniFatSectors = buf.readUInt32LE(0x40);
  let difatNext = buf.readUInt32LE(0x44);
  const difatSectors = buf.readUInt32LE(0x48);
  if (cutoff !== 4096) throw new Refused('corrupt');
  if (fatSectors > sectorCount || difatSectors > sectorCount || miniFatSectors > sectorCount) throw new Refused('too_large');

  const offsetOf = (sector: number) => {
    if (sector >= sectorCount) throw new Refused('corrupt');
    return (sector + 1) * sectorSize;
  };
  const perSector = sectorSize / 4;

  // The FAT's own sectors: 109 in the header, the rest in the DIFAT chain.
  const fatList: number[] = [];
  for (let i = 0; i < HEADER_DIFAT && fatList.length < fatSectors; i++) fatList.push(buf.readUInt32LE(0x4c + i * 4));
  const difatSeen = new Set<number>();
  while (fatList.length < fatSectors) {
    if (difatNext === END_OF_CHAIN || difatNext === FREE) throw new Refused('corrupt');
    if (difatSeen.has(difatNext) || difatSeen.size >= difatSectors) throw new Refused('loop');
    difatSeen.add(difatNext);
    const at = offsetOf(difatNext);
    for (let i = 0; i < perSector - 1 && fatList.length < fatSectors; i++) fatList.push(buf.readUInt32LE(at + i * 4));
    difatNext = buf.readUInt32LE(at + (perSector - 1) * 4);
  }
  const fat = new Uint32Array(fatList.length * perSector);
  fatList.forEach((s, k) => {
    const at = offsetOf(s);
    for (let i = 0; i < perSector; i++) fat[k * perSector + i] = buf.readUInt32LE(at + i * 4);
  });

  /** The sectors of a chain, refusing one that leaves the table, the file, or comes back on itself. */
  const chain = (table: Uint32Array, start: number, limit: number): number[] => {
    const out: number[] = [];
    const seen = new Set<number>();
    let s = start;
    while (s !== END_OF_CHAIN) {
      if (s >= table.length || s >= limit) throw new Refused('corrupt');
      if (seen.has(s)) throw new Refused('loop');
      seen.add(s);
      out.push(s);
      s = table[s]!;
    }
    return out;
  };

  const dirSectors = chain(fat, firstDir, sectorCount);
  const entryCount = (dirSectors.length * sectorSize) / 128;
  if (entryCount > limits.maxDirectoryEntries) throw new Refused('entries');
  const entryAt = (i: number) => offsetOf(dirSectors[Math.floor((i * 128) / sectorSize)]!) + ((i * 128) % sectorSize);

  const miniFatChain = miniFatSectors > 0 ? chain(fat, firstMiniFat, sectorCount) : [];
  if (miniFatChain.length !== miniFatSectors) throw new Refused('corrupt');
  const miniFat = new Uint32Array(miniFatChain.length * perSector);
  miniFatChain.forEach((s, k) => {
    const at = offsetOf(s);
    for (let i = 0; i < perSector; i++) miniFat[k * perSector + i] = buf.readUInt32LE(at + i * 4);
  });

  // The directory is a tree (child, left, right); a parser walks it recursively, so it must not cycle.
  const root = entryAt(0);
  if (buf.readUInt8(root + 0x42) !== 5) throw new Refused('corrupt');
  const visited = new Set<number>([0]);
  const stack = [buf.readUInt32LE(root + 0x4c)];
  const streams: string[] = [];
  let declared = 0;
  const rootSize = major === 3 ? buf.readUInt32LE(root + 0x78) : Number(buf.readBigUInt64LE(root + 0x78));
  const miniStreamSectors = rootSize > 0 ? chain(fat, buf.readUInt32LE(root + 0x74), sectorCount) : [];
  if (rootSize > buf.length || miniStreamSectors.length * sectorSize < rootSize) throw new Refused('too_large');
  const miniCount = Math.ceil(rootSize / miniSize);

  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === NO_STREAM) continue;
    if (id >= entryCount) throw new Refused('corrupt');
    if (visited.has(id)) throw new Refused('loop');
    visited.add(id);
    const at = entryAt(id);
    const type = buf.readUInt8(at + 0x42);
    stack.push(buf.readUInt32LE(at + 0x44), buf.readUInt32LE(at + 0x48), buf.readUInt32LE(at + 0x4c));
    if (type !== 2) continue;
    const nameLen = Math.min(buf.readUInt16LE(at + 0x40), 64);
    const name = buf.toString('utf16le', at, at + Math.max(0, nameLen - 2));
    const size = major === 3 ? buf.readUInt32LE(at + 0x78) : Number(buf.readBigUInt64LE(at + 0x78));
    if (size > buf.length) throw new Refused('too_large');
    declared += size;
    if (declared > buf.length * limits.maxDeclaredRatio) throw new Refused('too_large');
    const start = buf.readUInt32LE(at + 0x74);
    if (size > 0) {
      const mini = size < cutoff;
      const sectors = mini ? chain(miniFat, start, miniCount) : chain(fat, start, sectorCount);
      if (sectors.length * (mini ? miniSize : sectorSize) < size) throw new Refused('corrupt');
    }
    streams.push(name);
  }
  for (const r of limits.required) if (!streams.includes(r)) throw new Refused('missing_part');
  return { ok: true, streams, declaredBytes: declared };
}
