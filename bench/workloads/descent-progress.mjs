// What progress reporting costs a descent: the descent-gd run (plain gd on
// the 2-D Rosenbrock function, no stopping test, no trajectory) with
// progress off (one kernel call for all the steps, no callback) against
// progress on (minimize's default adaptive chunks, about 10 ms of work per
// kernel call, and an onProgress callback that records the step between
// chunks). A third row, adaptive chunks without a callback, separates the
// cost of chunking from the callback's. A fourth magnifies the cost of one
// kernel call and callback above the machine's noise: chunks of 10 steps,
// so 100,000 calls for 1,000,000 steps.
import { compile, minimize } from '@nudge/core';
import { agreement } from '../lib/check.mjs';
import { EXPRESSION, START, descentOptions } from './descent-gd.mjs';

const fmtInt = (n) => n.toLocaleString('en-US');
/** Steps per kernel call of the magnifying row. */
export const FINE_CHUNK = 10;

export default {
  workload: 'progress reporting on vs off, the same gd descent',
  unit: 'ns/step',
  setup({ steps }) {
    const fn = compile(EXPRESSION);
    let seen = [];
    const off = () => minimize(fn, START, descentOptions(steps, { chunkSteps: steps }));
    const chunked = () => minimize(fn, START, descentOptions(steps));
    const on = (extra = {}) => {
      seen = [];
      return minimize(fn, START, descentOptions(steps, { onProgress: (p) => seen.push(p.step), ...extra }));
    };
    const fine = () => on({ chunkSteps: FINE_CHUNK });
    const impls = [
      { implementation: 'progress off: 1 kernel call, no callback', role: 'progress-off', points: steps, run: () => off().vector },
      { implementation: 'progress on: adaptive chunks (~10 ms) + onProgress', role: 'progress-on', points: steps, run: () => on().vector },
      { implementation: 'adaptive chunks, no callback', role: 'progress-chunked', points: steps, run: () => chunked().vector },
      { implementation: `progress on, chunkSteps ${FINE_CHUNK} (per-call cost magnified)`, role: 'progress-fine', points: steps, run: () => fine().vector },
    ];
    const facts = {};
    return {
      impls,
      facts,
      check() {
        const a = off();
        const b = on();
        facts.chunksOff = a.chunks;
        facts.chunksOn = b.chunks;
        facts.callbacks = seen.length;
        facts.lastReported = seen.at(-1);
        const c = chunked();
        const d = fine();
        facts.chunksFine = d.chunks;
        const what = `end point after ${fmtInt(steps)} steps`;
        return [
          { ...agreement({ implementation: 'progress on', against: 'progress off', what, a: b.vector, b: a.vector, tolerance: 0 }), countLabel: 'coordinates' },
          { ...agreement({ implementation: 'adaptive chunks', against: 'progress off', what, a: c.vector, b: a.vector, tolerance: 0 }), countLabel: 'coordinates' },
          { ...agreement({ implementation: `chunks of ${FINE_CHUNK}`, against: 'progress off', what, a: d.vector, b: a.vector, tolerance: 0 }), countLabel: 'coordinates' },
        ];
      },
      dispose() {
        fn.dispose();
      },
    };
  },
};
