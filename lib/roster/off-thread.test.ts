import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { rosterProcessId, sheetOffThread, warmRosterProcess } from './off-thread';

// The roster process (lib/roster/off-thread.ts): a child of the server process that parses, plans,
// writes the sheets and commits imports. Its whole point is that none of its CPU competes with
// everyone's pages at their priority, V8's own threads included; and a roster process that dies
// must fail only the job it had, never the server, and be replaced at the next job.

const SHEET = [{ name: '初始密码', columns: [{ header: '账号' }, { header: '姓名' }], rows: [['xiadingyang', '=夏定阳']] }];

async function cellsOf(bytes: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  const ws = wb.worksheets[0] as ExcelJS.Worksheet;
  const rows: string[][] = [];
  ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map(String)));
  return rows;
}

/** Each thread's nice value (Linux /proc), by thread id. */
function nicesOf(pid: number): number[] {
  return fs.readdirSync(`/proc/${pid}/task`).map((tid) => {
    const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });
}

async function gone(pid: number): Promise<void> {
  for (let i = 0; i < 200 && rosterProcessId() === pid; i++) await new Promise((r) => setTimeout(r, 25));
}

const linuxWithNice = fs.existsSync('/proc/self/task') && (fs.existsSync('/usr/bin/nice') || fs.existsSync('/bin/nice'));

describe('the roster process', () => {
  // Priorities per thread are read from Linux's /proc, and the process is started through coreutils' nice.
  it.skipIf(!linuxWithNice)('runs every one of its threads at nice 10, and leaves the server at its own priority', async () => {
    const before = nicesOf(process.pid);
    warmRosterProcess();
    const pid = rosterProcessId();
    expect(pid).not.toBeNull();
    // A job answered: the process has loaded and made all its threads.
    expect(await cellsOf(await sheetOffThread(SHEET))).toEqual([['账号', '姓名'], ['xiadingyang', "'=夏定阳"]]);
    expect(rosterProcessId()).toBe(pid);
    const nices = nicesOf(pid as number);
    // The main thread, V8's helpers (garbage collection, compiling) and libuv's pool.
    expect(nices.length).toBeGreaterThanOrEqual(4);
    expect(nices.every((n) => n === 10)).toBe(true);
    expect(nicesOf(process.pid).slice(0, before.length)).toEqual(before);
  }, 60_000);

  it('that dies fails the job it had with a message, and the next job gets a new one', async () => {
    warmRosterProcess();
    const first = rosterProcessId() as number;
    expect(first).not.toBeNull();
    const pending = sheetOffThread(SHEET);
    process.kill(first, 'SIGKILL');
    await expect(pending).rejects.toThrow(/roster process exited \(SIGKILL\)/u);
    await gone(first);
    expect(rosterProcessId()).toBeNull();

    expect(await cellsOf(await sheetOffThread(SHEET))).toEqual([['账号', '姓名'], ['xiadingyang', "'=夏定阳"]]);
    const second = rosterProcessId();
    expect(second).not.toBeNull();
    expect(second).not.toBe(first);
  }, 60_000);
});
