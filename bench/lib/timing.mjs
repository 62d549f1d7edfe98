// Timing: warm-ups, then interleaved repetitions (the order rotates every
// repetition, so that no implementation always runs first or after the same
// neighbour), a full garbage collection before every timed run when node
// runs with --expose-gc, followed by a short pause in which V8's background
// threads finish sweeping (on these 2-core machines the sweeper otherwise
// competes with the timed run, and the spread of a cheap loop was much
// wider), and a sink that keeps every result alive.
import { hrtime } from 'node:process';

const gc = typeof globalThis.gc === 'function' ? globalThis.gc : undefined;

/** True when `node --expose-gc` lets us collect before each timed run. */
export const canCollect = gc !== undefined;

/** Milliseconds to let the background GC threads settle after a collection. */
const SETTLE_MS = 20;
const pauseCell = new Int32Array(new SharedArrayBuffer(4));

let sink = 0;

/** Folds a few entries of every array in a result into the sink, so that no computation is dead code. */
export function consume(result) {
  if (result instanceof Float64Array) {
    const n = result.length;
    if (n > 0) sink += result[0] + result[n >> 1] + result[n - 1];
    return;
  }
  if (result && typeof result === 'object') for (const v of Object.values(result)) consume(v);
}

/** The sink's value (read at the end, so that the engine must keep every result). */
export function sinkValue() {
  return sink;
}

/** Before a timed run: a full collection (unless `collect` is false), then a pause in which the background sweeper finishes. */
export function settle(collect = true) {
  if (!gc) return;
  if (collect) gc();
  Atomics.wait(pauseCell, 0, 0, SETTLE_MS);
}

/** One timed run of `impl.run()`, in ns per point. */
export function timeOnce(impl) {
  // impl.collect = false: no forced collection (a full GC throws away
  // optimized code that embeds short-lived maps, which math.js then
  // recompiles inside the timed run; its own garbage keeps the GC busy anyway).
  settle(impl.collect !== false);
  const t0 = hrtime.bigint();
  const result = impl.run();
  const t1 = hrtime.bigint();
  consume(result);
  return Number(t1 - t0) / impl.points;
}

/** The median of numbers. */
export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const k = s.length >> 1;
  return s.length % 2 ? s[k] : (s[k - 1] + s[k]) / 2;
}

/** Median, min and max of samples; `values`: the samples in repetition order (to pair runs of the same repetition). */
export function summarize(samples) {
  return { median: median(samples), min: Math.min(...samples), max: Math.max(...samples), samples: samples.length, values: samples };
}

/**
 * Warm every implementation up, then time `reps` interleaved repetitions.
 * Returns one summary (ns per point) per implementation, in order.
 */
export function measure(impls, { warmup, reps }) {
  for (let w = 0; w < warmup; w++) for (const impl of impls) consume(impl.run());
  const samples = impls.map(() => []);
  for (let r = 0; r < reps; r++) {
    for (let k = 0; k < impls.length; k++) {
      const j = (k + r) % impls.length;
      samples[j].push(timeOnce(impls[j]));
    }
  }
  return samples.map(summarize);
}
