import { openSync } from 'node:fs';
import { NudgeError } from '@nudge/core';

/**
 * Opens the file a flag names for writing (`--output`, `--trace`), before any
 * work is done, so that a path that cannot be written is bad input (exit 2)
 * found at once: `--trace: cannot write 'x/y.csv': ENOENT`.
 */
export function openForWriting(path: string, flag: string): number {
  try {
    return openSync(path, 'w');
  } catch (e) {
    throw new NudgeError('invalid-argument', `${flag}: cannot write '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}
