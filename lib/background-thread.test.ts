import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { LOWER_THIS_THREAD } from './background-thread';

// The worker's own thread ends up under SCHED_IDLE (policy 5 in /proc/<pid>/task/<tid>/stat,
// field 41) or, where chrt is missing, at nice 10 (field 19); the main thread keeps its priority.

function schedOf(tid: string): { policy: number; nice: number } {
  const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may contain spaces.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { nice: Number(rest[16]), policy: Number(rest[38]) };
}

describe.runIf(process.platform === 'linux')('background threads', () => {
  it('a worker lowers its own thread and no other', async () => {
    const worker = new Worker(
      `${LOWER_THIS_THREAD}
       const tid = require('node:fs').readlinkSync('/proc/thread-self').split('/').pop();
       require('node:worker_threads').parentPort.postMessage(tid);
       setTimeout(() => {}, 5000);`,
      { eval: true },
    );
    try {
      const tid = await new Promise<string>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      const lowered = schedOf(tid);
      expect(lowered.policy === 5 || lowered.nice === 10).toBe(true);
      const main = schedOf(fs.readlinkSync('/proc/thread-self').split('/').pop() as string);
      expect(main.policy).toBe(0);
      expect(main.nice).toBeLessThan(10);
    } finally {
      await worker.terminate();
    }
  });
});
