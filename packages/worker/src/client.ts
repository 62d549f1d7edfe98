import * as Comlink from 'comlink';
import { expressionError, methodsOf, takesExpression, type NudgeApi } from './api.js';
import { descentMethod, fitMethod, type DescentMethod, type FitMethod } from './client-descent.js';
import { installErrorTransfer, NudgeWorkerError } from './errors.js';

/** The comlink proxy of a Nudge worker. */
export type NudgeRemote = Comlink.Remote<NudgeApi>;

/** The methods the client forwards as they are. */
type ForwardedMethod = Exclude<keyof NudgeApi, 'minimize' | 'maximize' | 'fit' | 'cancel'>;

/**
 * A typed client of a Nudge worker: the methods of `NudgeApi`, returning a
 * promise (`minimize` and `maximize` with a signal and a progress callback
 * in their options), plus the means to stop the worker.
 */
export type NudgeClient = { readonly [K in ForwardedMethod]: NudgeApi[K] } & {
  /**
   * Gradient descent in the worker (the core's `minimize`, with `starts` a
   * multi-start run there). `options.signal` cancels it: the call rejects
   * with an AbortError; `options.onProgress` is called between chunks.
   */
  readonly minimize: DescentMethod;
  /** Gradient ascent: as `minimize`. */
  readonly maximize: DescentMethod;
  /**
   * Fit a model to data in the worker (the core's `fit`). `options.onEpoch`
   * is called after each epoch; `options.signal` stops the fit, which then
   * resolves with status 'cancelled' and the best parameters so far.
   */
  readonly fit: FitMethod;
  /** The underlying comlink proxy. */
  readonly remote: NudgeRemote;
  /** True once `close()` or `terminate()` was called, or the worker stopped. */
  readonly closed: boolean;
  /** Wait for the calls in flight, then release the proxy and stop the worker. */
  close(): Promise<void>;
  /** Stop now: calls in flight reject with a NudgeWorkerError ('closed'). */
  terminate(): Promise<void>;
};

export interface WrapOptions {
  /** Stops the thread behind the endpoint (e.g. `worker.terminate()`); without it, close() only releases the proxy. */
  terminate?: () => unknown;
  /**
   * Called once, synchronously, when the worker stops (a NudgeWorkerError:
   * 'crashed', or 'closed' after close()/terminate()), before the calls in
   * flight reject: a pool replaces a crashed worker here.
   */
  onFail?: (reason: Error) => void;
}

/** @internal A client and the hook its creator calls when the worker dies. */
export interface ClientHandle {
  client: NudgeClient;
  /** Reject everything in flight with `reason` and refuse later calls. */
  fail(reason: Error): void;
}

/** @internal */
export function createClient(endpoint: Comlink.Endpoint, options: WrapOptions = {}): ClientHandle {
  installErrorTransfer();
  const remote = Comlink.wrap<NudgeApi>(endpoint);
  const inFlight = new Set<{ promise: Promise<unknown>; reject: (reason: unknown) => void }>();
  let failure: Error | undefined;
  let stopped = false;

  const stopThread = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    if (options.terminate) await options.terminate();
    else remote[Comlink.releaseProxy]();
  };

  /** The worker stopped (crashed, exited, terminated); `failure` alone may mean only that close() refuses new calls. */
  let failed = false;
  const fail = (reason: Error): void => {
    if (!failed) {
      failed = true;
      options.onFail?.(reason);
    }
    failure ??= reason;
    for (const call of inFlight) call.reject(failure);
    inFlight.clear();
  };

  const call = (method: keyof NudgeApi, args: unknown[]): Promise<unknown> => {
    if (failure) return Promise.reject(failure);
    const badExpression = takesExpression(method) ? expressionError(method, args[0]) : undefined;
    if (badExpression) return Promise.reject(badExpression);
    let rejectCall!: (reason: unknown) => void;
    const promise = new Promise<unknown>((resolve, reject) => {
      rejectCall = reject;
      (remote[method] as unknown as (...a: unknown[]) => Promise<unknown>)(...args).then(resolve, reject);
    });
    const entry = { promise, reject: rejectCall };
    inFlight.add(entry);
    const done = (): void => void inFlight.delete(entry);
    promise.then(done, done);
    return promise;
  };

  const methods: Record<string, Function> = Object.fromEntries(methodsOf('forward').map((m) => [m, (...args: unknown[]) => call(m, args)]));
  // (a worker that stopped has nothing to cancel, and would never answer)
  const cancel = (jobId: string): Promise<boolean> => (failed ? Promise.resolve(false) : remote.cancel(jobId));
  for (const m of methodsOf('descent') as ('minimize' | 'maximize')[]) methods[m] = descentMethod(m, call, cancel);
  methods.fit = fitMethod(call, cancel);

  const client = Object.freeze({
    ...methods,
    remote,
    get closed() {
      return failure !== undefined;
    },
    async close() {
      if (!failure) failure = new NudgeWorkerError('closed', 'the Nudge worker was closed');
      await Promise.allSettled([...inFlight].map((c) => c.promise));
      await stopThread();
    },
    async terminate() {
      fail(new NudgeWorkerError('closed', 'the Nudge worker was terminated'));
      await stopThread();
    },
  }) as unknown as NudgeClient;

  return { client, fail };
}

/**
 * A typed client for a Nudge API served on `endpoint` (by `exposeNudge`).
 * Thrown NudgeErrors arrive as real NudgeErrors, with their code and column.
 */
export function wrapNudge(endpoint: Comlink.Endpoint, options: WrapOptions = {}): NudgeClient {
  return createClient(endpoint, options).client;
}
