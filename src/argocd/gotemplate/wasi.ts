/**
 * Runs a WASI preview1 command module synchronously, entirely in memory: stdin from a buffer,
 * stdout and stderr collected. Only what Go's wasip1 runtime asks of a command that reads stdin
 * and writes stdout is implemented; no file system, no sockets (node:wasi would need real file
 * descriptors, hence temp files, and prints an experimental warning).
 */
import { randomFillSync } from 'node:crypto';

export interface WasiRun {
  code: number;
  stdout: Buffer;
  stderr: Buffer;
}

const SUCCESS = 0;
const EBADF = 8;
const ENOSYS = 52;
const FILETYPE_CHARACTER_DEVICE = 2;
const EVENTTYPE_CLOCK = 0;
const SUBSCRIPTION_CLOCK_ABSTIME = 1;

/** proc_exit unwinds the module's stack by throwing this; nothing of the module runs after it. */
class ProcExit {
  constructor(readonly code: number) {}
}

export function runWasi(module: WebAssembly.Module, argv0: string, stdin: Uint8Array): WasiRun {
  let memory: WebAssembly.Memory | undefined;
  const mem = (): DataView => new DataView(memory!.buffer);
  const bytes = (ptr: number, len: number): Uint8Array => new Uint8Array(memory!.buffer, ptr, len);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let stdinOffset = 0;
  const arg = Buffer.from(`${argv0}\0`);
  const realtime = (): bigint => BigInt(Date.now()) * 1_000_000n;
  const monotonic = (): bigint => process.hrtime.bigint();

  const iovecs = (iovs: number, count: number): Uint8Array[] => {
    const view = mem();
    return Array.from({ length: count }, (_, i) => bytes(view.getUint32(iovs + i * 8, true), view.getUint32(iovs + i * 8 + 4, true)));
  };

  const wasi: Record<string, (...args: never[]) => number> = {
    args_sizes_get(argc: number, bufSize: number) {
      mem().setUint32(argc, 1, true);
      mem().setUint32(bufSize, arg.length, true);
      return SUCCESS;
    },
    args_get(argv: number, buf: number) {
      mem().setUint32(argv, buf, true);
      bytes(buf, arg.length).set(arg);
      return SUCCESS;
    },
    environ_sizes_get(count: number, bufSize: number) {
      mem().setUint32(count, 0, true);
      mem().setUint32(bufSize, 0, true);
      return SUCCESS;
    },
    environ_get: () => SUCCESS,
    clock_time_get(id: number, _precision: bigint, time: number) {
      mem().setBigUint64(time, id === 0 ? realtime() : monotonic(), true);
      return SUCCESS;
    },
    random_get(buf: number, len: number) {
      randomFillSync(bytes(buf, len));
      return SUCCESS;
    },
    fd_read(fd: number, iovs: number, count: number, nread: number) {
      if (fd !== 0) return EBADF;
      let n = 0;
      for (const iov of iovecs(iovs, count)) {
        const chunk = stdin.subarray(stdinOffset, stdinOffset + iov.length);
        iov.set(chunk);
        stdinOffset += chunk.length;
        n += chunk.length;
        if (chunk.length < iov.length) break;
      }
      mem().setUint32(nread, n, true);
      return SUCCESS;
    },
    fd_write(fd: number, iovs: number, count: number, nwritten: number) {
      const sink = fd === 1 ? out : fd === 2 ? err : undefined;
      if (!sink) return EBADF;
      let n = 0;
      for (const iov of iovecs(iovs, count)) {
        sink.push(Buffer.from(iov));
        n += iov.length;
      }
      mem().setUint32(nwritten, n, true);
      return SUCCESS;
    },
    fd_fdstat_get(fd: number, stat: number) {
      if (fd > 2) return EBADF;
      const view = mem();
      view.setUint8(stat, FILETYPE_CHARACTER_DEVICE);
      view.setUint16(stat + 2, 0, true); // blocking: Go then reads stdin directly, never through poll_oneoff
      view.setBigUint64(stat + 8, 0xffff_ffff_ffff_ffffn, true);
      view.setBigUint64(stat + 16, 0xffff_ffff_ffff_ffffn, true);
      return SUCCESS;
    },
    fd_fdstat_set_flags: (fd: number) => (fd > 2 ? EBADF : SUCCESS),
    fd_prestat_get: () => EBADF, // no preopened directories
    sched_yield: () => SUCCESS,
    poll_oneoff(subscriptions: number, events: number, count: number, nevents: number) {
      // Every subscription is reported ready at once; when all are clocks, first sleep until the
      // earliest is due (Go's runtime sleeps this way when it has nothing to run).
      const view = mem();
      let sleepNs: bigint | undefined;
      for (let i = 0; i < count; i++) {
        const s = subscriptions + i * 48;
        if (view.getUint8(s + 8) !== EVENTTYPE_CLOCK) {
          sleepNs = 0n;
          break;
        }
        const timeout = view.getBigUint64(s + 24, true);
        const abs = (view.getUint16(s + 40, true) & SUBSCRIPTION_CLOCK_ABSTIME) !== 0;
        const now = view.getUint32(s + 16, true) === 0 ? realtime() : monotonic();
        const wait = abs ? timeout - now : timeout;
        if (sleepNs === undefined || wait < sleepNs) sleepNs = wait;
      }
      if (sleepNs !== undefined && sleepNs >= 1_000_000n) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(sleepNs / 1_000_000n));
      for (let i = 0; i < count; i++) {
        const s = subscriptions + i * 48;
        const e = events + i * 32;
        bytes(e, 32).fill(0);
        view.setBigUint64(e, view.getBigUint64(s, true), true);
        view.setUint8(e + 10, view.getUint8(s + 8));
      }
      view.setUint32(nevents, count, true);
      return SUCCESS;
    },
    proc_exit(code: number) {
      throw new ProcExit(code);
    },
  };
  const imports: Record<string, WebAssembly.ImportValue> = {};
  for (const { module: from, name } of WebAssembly.Module.imports(module)) {
    if (from === 'wasi_snapshot_preview1') imports[name] = wasi[name] ?? (() => ENOSYS);
  }
  const instance = new WebAssembly.Instance(module, { wasi_snapshot_preview1: imports });
  memory = instance.exports.memory as WebAssembly.Memory;
  let code = 0;
  try {
    (instance.exports._start as () => void)();
  } catch (e) {
    if (!(e instanceof ProcExit)) throw e;
    code = e.code;
  }
  return { code, stdout: Buffer.concat(out), stderr: Buffer.concat(err) };
}
