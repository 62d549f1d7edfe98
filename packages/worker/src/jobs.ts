import { NudgeError } from '@nudge/core';

/**
 * Cancellation across a thread. An AbortSignal cannot be sent to a worker, so
 * the client names each cancellable call with a job id; the worker keeps an
 * AbortController per running job and `cancel(jobId)` aborts it. The descent
 * checks the signal between kernel chunks.
 */

/** Distinguishes the ids of clients that share one worker (or one API object in tests). */
const session = Math.random().toString(36).slice(2, 10);
let counter = 0;

/** A job id unique to this thread's clients: `<session>:<n>`. */
export function nextJobId(): string {
  return `${session}:${++counter}`;
}

/** The worker side: one AbortController per running job. */
export class JobRegistry {
  private readonly running = new Map<string, AbortController>();

  /** Register a job and return the signal its work checks; no id, no job (and no signal). */
  start(jobId: string | undefined): AbortSignal | undefined {
    if (jobId === undefined) return undefined;
    if (typeof jobId !== 'string' || jobId === '') throw new NudgeError('invalid-argument', `a job id is a non-empty string, got ${typeof jobId}`);
    if (this.running.has(jobId)) throw new NudgeError('invalid-argument', `job '${jobId}' is already running`);
    const controller = new AbortController();
    this.running.set(jobId, controller);
    return controller.signal;
  }

  /** Abort a running job; false when no job of that id runs (it ended, or never started). */
  cancel(jobId: string): boolean {
    const controller = this.running.get(jobId);
    if (!controller) return false;
    controller.abort();
    return true;
  }

  finish(jobId: string | undefined): void {
    if (jobId !== undefined) this.running.delete(jobId);
  }

  /** Jobs running now. */
  get size(): number {
    return this.running.size;
  }
}

/** What a cancelled call rejects with: the signal's reason (a DOMException 'AbortError' unless abort() was given one), as fetch does. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/**
 * The jobs of one call, stopped together (the caller's abort, or a failure
 * that ends the call). Each job has a signal of its own: one signal shared
 * by many jobs would gather a listener per job, which Node warns about
 * past ten.
 */
export class JobGroup {
  private readonly controllers: AbortController[];
  private readonly forward: (() => void) | undefined;
  stopped = false;

  /** `n` jobs; aborting `caller` stops them all with its reason. */
  constructor(n: number, private readonly caller?: AbortSignal) {
    this.controllers = Array.from({ length: n }, () => new AbortController());
    if (caller) {
      this.forward = () => this.stop(abortReason(caller));
      caller.addEventListener('abort', this.forward, { once: true });
    }
  }

  signal(job: number): AbortSignal {
    return this.controllers[job]!.signal;
  }

  /** Abort every job's signal: queued jobs leave the queue, running descents stop. */
  stop(reason?: unknown): void {
    this.stopped = true;
    for (const c of this.controllers) c.abort(reason);
  }

  /** Stop listening to the caller's signal (once the call has settled). */
  release(): void {
    if (this.forward) this.caller?.removeEventListener('abort', this.forward);
  }
}
