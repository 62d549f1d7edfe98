import { createClient, type NudgeClient } from './client.js';
import { NudgeWorkerError } from './errors.js';
import { createPool, type NudgePool, type PoolOptions } from './pool.js';
import type { PoolWorkerHandle } from './pool-types.js';

export interface BrowserWorkerOptions {
  /** Name shown in the browser's developer tools and in error messages (default 'nudge'). */
  name?: string;
}

/** Start a module Web Worker serving the Nudge API: its client, and a kill switch. */
function startBrowserWorker(name: string, onFail?: (reason: Error) => void): PoolWorkerHandle {
  const worker = new Worker(new URL('./browser-worker.js', import.meta.url), { type: 'module', name });
  const { client, fail } = createClient(worker, { terminate: () => worker.terminate(), ...(onFail ? { onFail } : {}) });
  const who = `the Nudge worker '${name}'`;
  worker.addEventListener('error', (event: ErrorEvent) => {
    fail(new NudgeWorkerError('crashed', `${who} failed: ${event.message || 'it could not be loaded'}`));
  });
  worker.addEventListener('messageerror', () => {
    fail(new NudgeWorkerError('crashed', `${who} sent a message that could not be read`));
  });
  return {
    client,
    async kill() {
      // A browser tells no one that a worker was terminated: say it here.
      worker.terminate();
      fail(new NudgeWorkerError('crashed', `${who} was terminated`));
    },
  };
}

/**
 * Start the Nudge core in a module Web Worker and return its client. Bundlers
 * (Vite) find the worker through the `new URL(..., import.meta.url)` above;
 * a Vite app needs `worker: { format: 'es' }`.
 */
export function createBrowserWorker(options: BrowserWorkerOptions = {}): NudgeClient {
  return startBrowserWorker(options.name ?? 'nudge').client;
}

/**
 * Start a pool of module Web Workers (see `NudgePool`). Size: default
 * `navigator.hardwareConcurrency` (4 where the browser does not say).
 */
export function createBrowserPool(options: PoolOptions = {}): NudgePool {
  const cores = typeof navigator !== 'undefined' && navigator.hardwareConcurrency > 0 ? navigator.hardwareConcurrency : 4;
  return createPool((name, onFail) => startBrowserWorker(name, onFail), { ...options, size: options.size ?? cores });
}

export type { NudgeClient } from './client.js';
export type { NudgePool, PoolOptions, PoolWorkerInfo, PoolMinimizeOptions, PoolGridOptions } from './pool.js';
