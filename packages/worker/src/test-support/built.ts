// Helpers of the tests that run real threads on the BUILT worker (Node 20 cannot run .ts in a worker).
import { existsSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import { createNodeWorker, type NudgeClient } from '@nudge/worker/node';

/** Throws a clear message when dist/ is missing or older than the change being tested would need. */
export function requireBuild(): void {
  const entry = new URL('../../dist/node-worker.js', import.meta.url);
  if (!existsSync(entry)) throw new Error(`${entry.pathname} is missing: build first (npm run build -w @nudge/worker)`);
}

/** Whether two Float64Arrays hold the same bits (NaNs and signed zeros included); faster than toEqual on long arrays. */
export function sameBits(a: Float64Array, b: Float64Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/** The median of some numbers. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** One real worker for a test file: started before its tests (handed to `use`), closed after them. */
export function useNodeWorker(use: (client: NudgeClient) => void): void {
  let client: NudgeClient | undefined;
  beforeAll(() => {
    requireBuild();
    client = createNodeWorker();
    use(client);
  });
  afterAll(async () => {
    await client?.close();
  });
}
