// Compile time: what `compile(expr, { engine: 'compiled' })` costs against
// `compile(expr, { engine: 'interpreter' })` on tapes of about 10, 100, 1,000
// and 10,000 instructions (sums of terms sin(x*c)*y, each a distinct
// constant c so that nothing is shared: 4 instructions per term, one fewer
// in all). The difference is the part the compiled engine adds: the tape
// without slot reuse, the code generation and WebAssembly.Module/Instance.
//
// V8 (Node 20) compiles WebAssembly lazily: new WebAssembly.Module decodes
// and validates, each function is compiled by Liftoff on its first call
// (and by TurboFan later, in the background, once it is hot). So the first
// evaluation after compile() is timed too, for both engines: the compiled
// engine's first call includes the baseline compilation of `eval`.
//
// Every repetition compiles a new text: the first term's constant moves by
// 2^-40 from one repetition to the next (the two engines of a repetition get
// the same text). Constants are written into the WebAssembly code, so the
// module's bytes differ each time, which defeats two caches that would
// otherwise be timed instead of the compiler: Nudge's own (compiled tapes are
// shared by their text while a function uses them; every function is also
// disposed before the next compile) and V8's (a module whose bytes match one
// still alive reuses its compiled code: in a probe with one fixed text the
// first evaluation at 10,000 instructions took 0.3 ms instead of 66 ms).
//
// No forced garbage collection before a compile (unlike the throughput
// workloads): the compiles run back to back, their garbage collected as it
// comes, in the median. A full gc() before each compile made both engines'
// compiles 3-7x slower in a probe, and their difference with them: a cold
// heap, not what a program that compiles a few functions sees.
import { compile, evaluate } from '@nudge/core';
import { hrtime } from 'node:process';
import { median } from '../lib/timing.mjs';

/** Terms per expression: tapes of 11, 99, 999 and 9,999 instructions. */
export const TERMS = [3, 25, 250, 2_500];

/**
 * sin(x*c1)*y + sin(x*c2)*y + ...: c_i = 1 + i/1024, exact in binary and printed exactly; `serial` moves c_1
 * by serial * 2^-40 (also exact), a new text with the same tape shape.
 */
export function sumOfTerms(k, serial = 0) {
  return Array.from({ length: k }, (_, i) => `sin(x*${1 + (i + 1) / 1024 + (i === 0 ? serial * 2 ** -40 : 0)})*y`).join(' + ');
}
let serial = 0;

const POINT = Object.freeze({ x: 0.3, y: 0.7 });
const ns = () => hrtime.bigint();

/** Repetitions per size: many for the cheap compiles (the median of a sub-millisecond figure needs them). */
function repsFor(terms, { reps, quick }) {
  const base = quick ? [31, 21, 7, 3] : [201, 101, 31, 15];
  return Math.max(base[TERMS.indexOf(terms)] ?? reps, quick ? 3 : reps);
}

/** One compile with `engine`, then its first evaluation at one point; disposed. Times in us. */
function once(expression, engine) {
  const t0 = ns();
  const f = compile(expression, { engine });
  const t1 = ns();
  const value = evaluate(f, POINT).value;
  const t2 = ns();
  const facts = { engine: f.engine, instructions: f.tape.code.length / 4, value };
  f.dispose();
  return { compile: Number(t1 - t0) / 1e3, first: Number(t2 - t1) / 1e3, ...facts };
}

const summary = (v) => ({ median: median(v), min: Math.min(...v), max: Math.max(...v) });

/** Before timing: per size, the engines are what they claim and agree bit for bit at a point, on the same tape. */
export function compileChecks() {
  const bits = (v) => new BigUint64Array(Float64Array.of(v).buffer)[0];
  return TERMS.flatMap((terms) => {
    const text = sumOfTerms(terms, ++serial);
    const c = once(text, 'compiled');
    const i = once(text, 'interpreter');
    const implementation = `compile, ${c.instructions} instructions`;
    return [
      { implementation, what: 'engine', ok: c.engine === 'compiled' && i.engine === 'interpreter', detail: `engines '${c.engine}' and '${i.engine}' (required: 'compiled' and 'interpreter')` },
      {
        implementation,
        what: 'value at (0.3, 0.7)',
        ok: bits(c.value) === bits(i.value) && c.instructions === i.instructions,
        detail: `compiled ${c.value}, interpreter ${i.value}, ${c.instructions} and ${i.instructions} instructions (required: bit for bit, the same tape)`,
      },
    ];
  });
}

/**
 * Per size: the instruction count, the compile time with each engine (total),
 * the compiled engine's extra (per repetition: compiled minus interpreter,
 * the two runs neighbours in time), and each engine's first evaluation, in
 * us. Interleaved: the order of the two engines alternates.
 */
export function compileTimes(config) {
  return TERMS.map((terms) => {
    const reps = repsFor(terms, config);
    for (let w = 0; w < config.warmup; w++) {
      const text = sumOfTerms(terms, ++serial);
      once(text, 'compiled');
      once(text, 'interpreter');
    }
    const runs = { compiled: [], interpreter: [] };
    for (let r = 0; r < reps; r++) {
      const text = sumOfTerms(terms, ++serial);
      const order = r % 2 ? ['interpreter', 'compiled'] : ['compiled', 'interpreter'];
      for (const engine of order) runs[engine].push(once(text, engine));
    }
    const extra = runs.compiled.map((run, k) => run.compile - runs.interpreter[k].compile);
    return {
      terms,
      instructions: runs.compiled[0].instructions,
      reps,
      compiled: summary(runs.compiled.map((r) => r.compile)),
      interpreter: summary(runs.interpreter.map((r) => r.compile)),
      extra: summary(extra),
      firstCompiled: summary(runs.compiled.map((r) => r.first)),
      firstInterpreter: summary(runs.interpreter.map((r) => r.first)),
    };
  });
}
