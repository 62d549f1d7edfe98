import { Worker, type ResourceLimits } from 'node:worker_threads';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { createClient, type NudgeClient } from './client.js';
import { NudgeWorkerError } from './errors.js';

export interface NodeWorkerOptions {
  /** Name shown in debuggers and heap snapshots (default 'nudge'). */
  name?: string;
  resourceLimits?: ResourceLimits;
  /** Let the process exit while the worker is idle (default false: call close()). */
  unref?: boolean;
}

/**
 * Start the Nudge core in a worker_threads Worker and return its client.
 * Call `close()` when done, or the worker keeps the process alive.
 */
export function createNodeWorker(options: NodeWorkerOptions = {}): NudgeClient {
  const worker = new Worker(new URL('./node-worker.js', import.meta.url), {
    name: options.name ?? 'nudge',
    ...(options.resourceLimits ? { resourceLimits: options.resourceLimits } : {}),
  });
  if (options.unref) worker.unref();
  const { client, fail } = createClient(nodeEndpoint(worker), { terminate: () => worker.terminate() });
  worker.on('error', (error: Error) => {
    fail(new NudgeWorkerError('crashed', `the Nudge worker stopped with an error: ${error.message}`, { cause: error }));
  });
  worker.on('exit', (code: number) => {
    fail(new NudgeWorkerError(client.closed ? 'closed' : 'crashed', `the Nudge worker exited (code ${code})`));
  });
  return client;
}

export { type NudgeClient } from './client.js';
