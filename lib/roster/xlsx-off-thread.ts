import 'server-only';
import { Worker } from 'node:worker_threads';
import { writeXlsx, type SheetSpec } from './xlsx';

// writeXlsx on a worker thread, for a big sheet written while people use the portal (the password
// sheet of a 10,000-account import): exceljs takes about a second for one, in slices of 10–25 ms
// on whichever thread runs it, and on the request thread each slice delays someone's page. The
// worker keeps the server's priority: the request thread is one thread, so on two cores each has
// one, and the niced hashing threads (lib/auth/hash-pool) yield to both; at nice 10 the sheet
// would wait behind any other work on the machine. When no worker thread can be started, the
// sheet is written here as before.

const CREATOR = '学思';

// Plain CommonJS evaluated in the worker (no bundler involved), writing what writeXlsx writes.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { PassThrough } = require('node:stream');
const ExcelJS = require('exceljs');
(async () => {
  // The streaming writer: rows go out as they are added, without the shared-strings table, which
  // takes a third less CPU than building the whole workbook in memory. Excel and WPS open either.
  const chunks = [];
  const stream = new PassThrough();
  stream.on('data', (c) => chunks.push(c));
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useSharedStrings: false, useStyles: true });
  workbook.creator = workerData.creator;
  for (const spec of workerData.sheets) {
    const ws = workbook.addWorksheet(spec.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = spec.columns.map((c) => ({ header: c.header, width: c.width ?? 16 }));
    ws.getRow(1).font = { bold: true };
    for (const r of spec.rows) ws.addRow(r).commit();
    ws.commit();
  }
  await workbook.commit();
  const b = Buffer.concat(chunks);
  const out = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  parentPort.postMessage(out, [out.buffer]);
})().catch((e) => parentPort.postMessage({ error: String(e) }));
`;

/** Cells must already be escaped (toXlsx does that before calling here). */
export function writeXlsxOffThread(sheets: SheetSpec[]): Promise<Buffer> {
  let worker: Worker;
  try {
    worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { sheets, creator: CREATOR } });
  } catch {
    return writeXlsx(sheets);
  }
  return new Promise<Buffer>((resolve, reject) => {
    worker.once('message', (m: Uint8Array | { error: string }) => {
      if (m instanceof Uint8Array) resolve(Buffer.from(m.buffer, m.byteOffset, m.byteLength));
      else reject(new Error(m.error));
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}
