// Timing for asynchronous implementations (a pool answers promises), which
// lib/timing.mjs's synchronous loop cannot time: warm-ups, then interleaved
// repetitions, the order rotating every repetition.
import { hrtime } from 'node:process';
import { median } from './timing.mjs';

/** impls: [{ implementation, role, run: async () => unknown }]; returns rows { implementation, role, samples, ms: { median, min, max } }. */
export async function timeAsync(impls, { reps, warmup }) {
  for (let w = 0; w < warmup; w++) for (const impl of impls) await impl.run();
  const samples = impls.map(() => []);
  for (let r = 0; r < reps; r++) {
    for (let k = 0; k < impls.length; k++) {
      const i = (k + r) % impls.length;
      const t0 = hrtime.bigint();
      await impls[i].run();
      samples[i].push(Number(hrtime.bigint() - t0) / 1e6);
    }
  }
  return impls.map((impl, i) => ({
    implementation: impl.implementation,
    role: impl.role,
    samples: samples[i],
    ms: { median: median(samples[i]), min: Math.min(...samples[i]), max: Math.max(...samples[i]) },
  }));
}
