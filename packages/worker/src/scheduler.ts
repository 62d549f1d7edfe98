import type { NudgeClient } from './client.js';
import { NudgeWorkerError } from './errors.js';
import { abortReason } from './jobs.js';
import type { PoolWorkerFactory, PoolWorkerHandle } from './pool-types.js';

/**
 * A pool's workers and its queue of jobs: each worker runs one job at a
 * time; a job waits in the queue for a free worker. A worker that dies is
 * replaced at once by a fresh one in the same slot; the job it was running
 * rejects with a NudgeWorkerError ('crashed') that names the slot, or, if
 * the job allows retries (pure work such as a grid band), goes back to the
 * front of the queue.
 */

/** One slot of the pool, as `NudgePool.workers` shows it. */
export interface PoolWorkerInfo {
  /** The slot, from 0. */
  index: number;
  /** The thread's name: `<pool name>-<index>`, with `.<generation>` after a replacement. */
  name: string;
  /** Its worker has started (loaded the kernel): it takes jobs. */
  ready: boolean;
  /** Running a job now. */
  busy: boolean;
  /** Jobs this slot's current worker has finished (resolved or rejected). */
  jobs: number;
  /** How many times this slot's worker was replaced after a crash. */
  generation: number;
}

export interface JobOptions {
  /** Rejects the job while it waits in the queue; a running job sees the signal through its own task. */
  signal?: AbortSignal;
  /** Times the job is run again after its worker crashed (default 0: it rejects). */
  retries?: number;
}

interface Member {
  index: number;
  name: string;
  generation: number;
  handle: PoolWorkerHandle;
  busy: boolean;
  jobs: number;
  /** Its init() answered: it started properly, and takes jobs. */
  started: boolean;
}

interface Job {
  what: string;
  task: (client: NudgeClient) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
  retries: number;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/** Workers that die before answering their first call, in a row, after which the pool gives up (a broken worker script, say). */
const MAX_FAILED_STARTS = 3;

function isCrash(e: unknown): e is NudgeWorkerError {
  return e instanceof NudgeWorkerError && e.code === 'crashed';
}

export class Scheduler {
  private readonly members: Member[] = [];
  private readonly queue: Job[] = [];
  /** The calls accepted and not settled. */
  private readonly pending = new Set<Promise<unknown>>();
  private state: 'open' | 'closing' | 'closed' = 'open';
  /** Set when workers keep dying as they start: every call then rejects with it. */
  private broken: NudgeWorkerError | undefined;
  private failedStarts = 0;

  constructor(
    private readonly factory: PoolWorkerFactory,
    readonly size: number,
    private readonly name: string,
  ) {
    for (let i = 0; i < size; i++) this.spawn(i, 0);
  }

  get workers(): PoolWorkerInfo[] {
    return this.members.map(({ index, name, started, busy, jobs, generation }) => ({ index, name, ready: started, busy, jobs, generation }));
  }

  /**
   * A call of the pool (one or more jobs): refused once the pool is closing;
   * `close()` waits for the calls accepted before it.
   */
  call<T>(body: () => Promise<T>): Promise<T> {
    if (this.broken) return Promise.reject(this.broken);
    if (this.state !== 'open') return Promise.reject(new NudgeWorkerError('closed', 'the Nudge pool was closed'));
    const promise = body();
    this.pending.add(promise);
    const done = (): void => void this.pending.delete(promise);
    promise.then(done, done);
    return promise;
  }

  /** Run `task` on the next free worker (a job of a call). `what` names the job in crash messages. */
  run<T>(what: string, task: (client: NudgeClient) => Promise<T>, options: JobOptions = {}): Promise<T> {
    if (this.broken) return Promise.reject(this.broken);
    if (this.state === 'closed') return Promise.reject(new NudgeWorkerError('closed', 'the Nudge pool was closed'));
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    const promise = new Promise<unknown>((resolve, reject) => {
      const job: Job = { what, task, resolve, reject, retries: options.retries ?? 0, signal, onAbort: undefined };
      if (signal) {
        job.onAbort = () => {
          const at = this.queue.indexOf(job);
          if (at >= 0) {
            this.queue.splice(at, 1);
            reject(abortReason(signal));
          }
        };
        signal.addEventListener('abort', job.onAbort, { once: true });
      }
      this.queue.push(job);
    });
    this.dispatch();
    return promise as Promise<T>;
  }

  /** Stop the thread of slot `index` as a crash would (a test hook: the slot gets a fresh worker). */
  async terminateWorker(index: number): Promise<void> {
    const member = this.members[index];
    if (!member) throw new RangeError(`the pool has no worker ${index} (it has ${this.size})`);
    await member.handle.kill();
  }

  /** Accept no more calls; finish the ones accepted (their queued jobs included); then stop every thread. */
  async close(): Promise<void> {
    if (this.state === 'open') this.state = 'closing';
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
    await this.stop((client) => client.close());
  }

  /** Stop now: queued and running calls reject with a NudgeWorkerError ('closed'). */
  async terminate(): Promise<void> {
    const closed = new NudgeWorkerError('closed', 'the Nudge pool was terminated');
    this.state = 'closed';
    for (const job of this.queue.splice(0)) this.settle(job, () => job.reject(closed));
    await this.stop((client) => client.terminate());
  }

  private async stop(how: (client: NudgeClient) => Promise<void>): Promise<void> {
    this.state = 'closed';
    await Promise.all(this.members.map((m) => how(m.handle.client)));
  }

  private spawn(index: number, generation: number): void {
    const name = `${this.name}-${index}${generation > 0 ? `.${generation}` : ''}`;
    const member = { index, name, generation, busy: false, jobs: 0, started: false } as Member;
    member.handle = this.factory(name, (reason) => this.died(member, reason));
    this.members[index] = member;
    // Jobs go to a worker once it has answered init() (the kernel is loaded): a worker that dies before that never ran a job.
    member.handle.client.init().then(
      () => {
        member.started = true;
        this.failedStarts = 0;
        this.dispatch();
      },
      () => void member.handle.kill().catch(() => {}),
    );
  }

  /** A worker stopped: replace it if it crashed while the pool is in use. Runs before its calls in flight reject. */
  private died(member: Member, reason: Error): void {
    if (this.members[member.index] !== member || this.state === 'closed' || !isCrash(reason)) return;
    if (!member.started && ++this.failedStarts >= MAX_FAILED_STARTS) {
      this.broken = new NudgeWorkerError('crashed', `the Nudge pool's workers stop as they start (${this.failedStarts} in a row): ${reason.message}`, { cause: reason });
      for (const job of this.queue.splice(0)) this.settle(job, () => job.reject(this.broken));
      return;
    }
    this.spawn(member.index, member.generation + 1);
  }

  private dispatch(): void {
    for (const member of this.members) {
      if (this.queue.length === 0) return;
      if (member.busy || !member.started || member.handle.client.closed) continue;
      this.start(member, this.queue.shift()!);
    }
  }

  private start(member: Member, job: Job): void {
    member.busy = true;
    const free = (): void => {
      member.busy = false;
      member.jobs++;
      this.dispatch();
    };
    let running: Promise<unknown>;
    try {
      running = job.task(member.handle.client);
    } catch (error) {
      running = Promise.reject(error);
    }
    running.then(
      (value) => {
        this.settle(job, () => job.resolve(value));
        free();
      },
      (error: unknown) => {
        if (isCrash(error) && job.retries > 0 && this.state !== 'closed' && !this.broken && !job.signal?.aborted) {
          job.retries--;
          this.queue.unshift(job);
        } else {
          this.settle(job, () => job.reject(isCrash(error) ? this.crashError(member, job, error) : error));
        }
        free();
      },
    );
  }

  private settle(job: Job, how: () => void): void {
    if (job.onAbort) job.signal?.removeEventListener('abort', job.onAbort);
    how();
  }

  private crashError(member: Member, job: Job, error: NudgeWorkerError): NudgeWorkerError {
    const replaced = this.state === 'closed' || this.broken ? '' : '; a fresh worker took its place';
    return new NudgeWorkerError('crashed', `pool worker ${member.index} ('${member.name}') crashed during ${job.what}: ${error.message}${replaced}`, { cause: error });
  }
}
