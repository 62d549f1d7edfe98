import { Worker, type ResourceLimits } from 'node:worker_threads';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { createClient } from './client.js';
import { NudgeWorkerError } from './errors.js';
import type { PoolWorkerHandle } from './pool-types.js';

export interface NodeWorkerOptions {
  /** Name shown in debuggers, heap snapshots and error messages (default 'nudge'). */
  name?: string;
  resourceLimits?: ResourceLimits;
  /** Let the process exit while the worker is idle (default false: call close()). */
  unref?: boolean;
}

/** @internal What `startNodeWorker` takes besides the public options. */
export interface NodeStartOptions extends NodeWorkerOptions {
  onFail?: (reason: Error) => void;
  /** The worker's entry (default: this package's dist/node-worker.js); tests use their own. */
  entry?: URL;
}

/** @internal Start a worker_threads Worker serving the Nudge API: its client, and a kill switch. */
export function startNodeWorker(options: NodeStartOptions = {}): PoolWorkerHandle {
  const name = options.name ?? 'nudge';
  const worker = new Worker(options.entry ?? new URL('./node-worker.js', import.meta.url), {
    name,
    ...(options.resourceLimits ? { resourceLimits: options.resourceLimits } : {}),
  });
  if (options.unref) worker.unref();
  const { client, fail } = createClient(nodeEndpoint(worker), {
    terminate: () => worker.terminate(),
    ...(options.onFail ? { onFail: options.onFail } : {}),
  });
  const who = `the Nudge worker '${name}'`;
  worker.on('error', (error: Error) => {
    fail(new NudgeWorkerError('crashed', `${who} stopped with an error: ${error.message}`, { cause: error }));
  });
  worker.on('exit', (code: number) => {
    fail(new NudgeWorkerError(client.closed ? 'closed' : 'crashed', `${who} exited (code ${code})`));
  });
  return {
    client,
    async kill() {
      await worker.terminate();
    },
  };
}
