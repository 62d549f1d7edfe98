import type { NudgeClient } from './client.js';

/** What a pool needs of one worker: its client, and a way to stop its thread as a crash would. */
export interface PoolWorkerHandle {
  client: NudgeClient;
  /** Stop the thread now, from outside: its calls in flight reject with a NudgeWorkerError ('crashed'). */
  kill(): Promise<void>;
}

/**
 * Starts one worker of a pool, named `name` (shown in debuggers and error
 * messages); the worker calls `onFail` once, synchronously, when it stops
 * (`WrapOptions.onFail`).
 */
export type PoolWorkerFactory = (name: string, onFail: (reason: Error) => void) => PoolWorkerHandle;
