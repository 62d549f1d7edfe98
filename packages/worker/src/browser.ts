import { createClient, type NudgeClient } from './client.js';
import { NudgeWorkerError } from './errors.js';

export interface BrowserWorkerOptions {
  /** Name shown in the browser's developer tools (default 'nudge'). */
  name?: string;
}

/**
 * Start the Nudge core in a module Web Worker and return its client. Bundlers
 * (Vite) find the worker through the `new URL(..., import.meta.url)` below;
 * a Vite app needs `worker: { format: 'es' }`.
 */
export function createBrowserWorker(options: BrowserWorkerOptions = {}): NudgeClient {
  const worker = new Worker(new URL('./browser-worker.js', import.meta.url), { type: 'module', name: options.name ?? 'nudge' });
  const { client, fail } = createClient(worker, { terminate: () => worker.terminate() });
  worker.addEventListener('error', (event: ErrorEvent) => {
    fail(new NudgeWorkerError('crashed', `the Nudge worker failed: ${event.message || 'it could not be loaded'}`));
  });
  worker.addEventListener('messageerror', () => {
    fail(new NudgeWorkerError('crashed', 'the Nudge worker sent a message that could not be read'));
  });
  return client;
}

export { type NudgeClient } from './client.js';
