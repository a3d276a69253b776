/**
 * Preloaded by the stress script where no tmpfs can be mounted: the Nth file write of the process
 * (and every one after it) fails with ENOSPC, as on a full disk. Test tooling only.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const after = Number(process.env.CALISTI_STRESS_ENOSPC_AFTER ?? 0);
if (after > 0) {
  let writes = 0;
  const original = fs.writeFileSync;
  fs.writeFileSync = ((...args: Parameters<typeof fs.writeFileSync>) => {
    if (++writes >= after) {
      const e = new Error(`ENOSPC: no space left on device, write '${String(args[0])}'`) as NodeJS.ErrnoException;
      e.code = 'ENOSPC';
      e.path = String(args[0]);
      e.syscall = 'write';
      throw e;
    }
    return original(...args);
  }) as typeof fs.writeFileSync;
  syncBuiltinESMExports();
}
