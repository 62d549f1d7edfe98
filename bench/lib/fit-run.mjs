// What the fit workloads share: the time of an epoch read from inside a
// training run (set-up and the end not counted), the peak memory of a
// process, and the child processes that measure it.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { consume } from './timing.mjs';

/**
 * One training run of `epochs` epochs, `trainer.train(epochs, onEpoch)`
 * calling onEpoch at the end of every epoch. The time per epoch is read
 * between the end of the first epoch and the end of the last, over
 * epochs - 1 epochs: whatever a run does before its first epoch (compiling,
 * copying the data into the kernel or into tensors) and after its last (the
 * final loss and accuracy on every row) is outside it, and so is the first
 * epoch, in which V8 and TensorFlow.js warm up. `first`: from the call to the
 * end of the first epoch (set-up and the first epoch); `end`: from the end of
 * the last epoch to the return.
 */
export async function timedTrain(trainer, epochs, { onEpoch } = {}) {
  if (!(epochs >= 2)) throw new Error('internal: an epoch is timed between two epoch ends: at least 2 epochs');
  const stamps = [];
  const t0 = performance.now();
  const result = await trainer.train(epochs, () => {
    stamps.push(performance.now());
    onEpoch?.();
  });
  const t1 = performance.now();
  if (stamps.length !== epochs) throw new Error(`internal: ${stamps.length} epoch ends reported, ${epochs} asked`);
  consume(result.vector);
  return {
    msPerEpoch: (stamps[epochs - 1] - stamps[0]) / (epochs - 1),
    first: stamps[0] - t0,
    end: t1 - stamps[epochs - 1],
    result,
  };
}

/**
 * The process's peak resident set in MB: VmHWM from /proc/self/status on
 * Linux (the kernel's high-water mark, every page ever resident at once,
 * WebAssembly memory and native buffers included); elsewhere the largest of
 * the rss samples given (process.memoryUsage().rss taken at every epoch end).
 */
export function peakMemory(samples = []) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return { mb: Number(m[1]) / 1024, source: 'VmHWM' };
  } catch {
    // not Linux
  }
  const rss = Math.max(process.memoryUsage().rss, ...samples);
  return { mb: rss / 2 ** 20, source: 'rss sampled at epoch ends' };
}

const CHILD = fileURLToPath(new URL('./fit-child.mjs', import.meta.url));

/**
 * Runs one implementation of a fit workload in a new node process
 * (lib/fit-child.mjs) and returns what it printed: its epoch times, its
 * losses and its peak memory. Throws with the child's stderr when it fails.
 */
export function runChild(workload, role, options) {
  const r = spawnSync(process.execPath, [CHILD, workload, role, JSON.stringify(options)], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  const last = r.stdout?.trim().split('\n').pop();
  if (r.status !== 0 || !last) {
    throw new Error(`the ${workload} child '${role}' failed (exit ${r.status ?? r.signal}): ${(r.stderr || r.error?.message || '').trim().split('\n').slice(-8).join('\n')}`);
  }
  return JSON.parse(last);
}
