// Background work on worker threads (password hashing and the password sheet of a roster import)
// must not delay the request thread. Nice 10 was not enough: with the hashing threads at nice 10
// on both cores, a request thread woken by its timer or socket often waited for the running
// thread's time slice to end (the kernel lets the current task run to parity), and /my's reads
// took twice as long at p95 during an import. A thread under SCHED_IDLE is preempted at once by
// any normal thread that wakes, and runs only on CPU nobody else wants — all of it on an idle
// machine, little on a busy one, where the import then takes longer instead of the pages.
//
// Node has no call for sched_setscheduler; util-linux's chrt sets it for one thread (a TID, read
// from /proc/thread-self), which an unprivileged process may do to its own threads. Where chrt
// or /proc is missing (not Linux, a minimal image), the thread falls back to nice 10
// (setpriority(0) also applies to the calling thread only on Linux).

/** Plain CommonJS for the top of a worker's eval'd source: lowers the worker's own thread. */
export const LOWER_THIS_THREAD = `
(() => {
  try {
    const tid = require('node:fs').readlinkSync('/proc/thread-self').split('/').pop();
    const r = require('node:child_process').spawnSync('chrt', ['--idle', '-p', '0', tid], { stdio: 'ignore', timeout: 2000 });
    if (r.status === 0) return;
  } catch {}
  try { require('node:os').setPriority(0, 10); } catch {}
})();
`;
