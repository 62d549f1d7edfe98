// Measures the kernel (minimum of interleaved runs):
//   1. evaluate() in ns per point on 1e6 points for two expressions, SIMD
//      (build/kernel.wasm) against scalar (build/kernel.scalar.wasm) and the
//      same expression written as a plain JS loop;
//   2. the finite-difference derivative() and gradient();
//   3. automatic differentiation in batch mode: jvp, gradientAD and
//      complexStep against evaluate, ns per point, for 2 and 16 variables;
//   4. vector mode: the gradient of the extended Rosenbrock function at
//      n = 100, 10,000 and 100,000 against its evaluation and against a
//      hand-written analytic gradient in JS.
// Usage: npm run build && node scripts/bench.mjs [points] [rounds]
import { readFileSync } from 'node:fs';
import { instantiateKernel, opcodeByName as O, vectorOpcodeByName as VO } from '../dist/index.js';

const N = Number(process.argv[2] ?? 1e6);
const ROUNDS = Number(process.argv[3] ?? 15);

// Hand-assembled tapes: slots 0 = x, 1 = y, then constants, then results.
const tapes = {
  'sin(x)*exp(-y*y)+x*x*y': {
    consts: [],
    code: [
      [O.sin, 2, 0], [O.square, 3, 1], [O.neg, 3 + 1, 3], [O.exp, 5, 4], [O.mul, 6, 2, 5],
      [O.mul, 7, 0, 0], [O.mul, 8, 7, 1], [O.add, 9, 6, 8],
    ],
    result: 9,
    js: (xs, ys, out, n) => {
      for (let i = 0; i < n; i++) {
        const x = xs[i];
        const y = ys[i];
        out[i] = Math.sin(x) * Math.exp(-y * y) + x * x * y;
      }
    },
  },
  'x*x*y - 3*x*y*y + 2*x - y + 1': {
    consts: [3, 2, 1], // slots 2, 3, 4
    code: [
      [O.mul, 5, 0, 0], [O.mul, 6, 5, 1], [O.mul, 7, 2, 0], [O.mul, 8, 7, 1], [O.mul, 9, 8, 1],
      [O.sub, 10, 6, 9], [O.mul, 11, 3, 0], [O.add, 12, 10, 11], [O.sub, 13, 12, 1], [O.add, 14, 13, 4],
    ],
    result: 14,
    js: (xs, ys, out, n) => {
      for (let i = 0; i < n; i++) {
        const x = xs[i];
        const y = ys[i];
        out[i] = x * x * y - 3 * x * y * y + 2 * x - y + 1;
      }
    },
  },
};

function setup(kernel, tape) {
  let top = kernel.heapBase();
  const alloc = (bytes) => {
    const ptr = Math.ceil(top / 16) * 16;
    top = ptr + bytes;
    const have = kernel.memory.buffer.byteLength;
    if (top > have) kernel.memory.grow(Math.ceil((top - have) / 65536));
    return ptr;
  };
  const nSlots = tape.result + 1;
  const code = alloc(tape.code.length * 16);
  const consts = alloc(Math.max(1, tape.consts.length) * 8);
  const scratch = alloc(kernel.scratchBytes(nSlots, 2));
  const fn = alloc(32);
  const points = alloc(2 * N * 8);
  const out = alloc(N * 8);
  const dir = alloc(16);
  const [outD, outE, outG, outGE] = [alloc(N * 8), alloc(N * 8), alloc(2 * N * 8), alloc(2 * N * 8)];
  // Views only after the last allocation: growing the memory detaches them.
  new Int32Array(kernel.memory.buffer, code, tape.code.length * 4).set(tape.code.flatMap(([o, d, a, b = 0]) => [o, d, a, b]));
  new Float64Array(kernel.memory.buffer, consts, tape.consts.length).set(tape.consts);
  new Int32Array(kernel.memory.buffer, fn, 8).set([code, tape.code.length, consts, tape.consts.length, 2, nSlots, tape.result, scratch]);
  const pts = new Float64Array(kernel.memory.buffer, points, 2 * N);
  for (let i = 0; i < 2 * N; i++) pts[i] = Math.sin(i * 0.7) * 3;
  new Float64Array(kernel.memory.buffer, dir, 2).set([1, 0]);
  return {
    run: () => kernel.evaluate(fn, points, N, out),
    derivative: (method, n) => kernel.derivative(fn, points, n, dir, method, NaN, out, outD, outE),
    gradient: (method, n) => kernel.gradient(fn, points, n, method, NaN, out, outG, outGE),
    out: () => new Float64Array(kernel.memory.buffer, out, N),
    pts,
  };
}

const builds = {
  simd: instantiateKernel(readFileSync(new URL('../build/kernel.wasm', import.meta.url))),
  scalar: instantiateKernel(readFileSync(new URL('../build/kernel.scalar.wasm', import.meta.url))),
};

const rows = [];
for (const [name, tape] of Object.entries(tapes)) {
  const runs = Object.fromEntries(Object.entries(builds).map(([b, k]) => [b, setup(k, tape)]));
  const xs = Float64Array.from(runs.simd.pts.subarray(0, N));
  const ys = Float64Array.from(runs.simd.pts.subarray(N));
  const jsOut = new Float64Array(N);
  const js = () => tape.js(xs, ys, jsOut, N);
  const best = { simd: Infinity, scalar: Infinity, js: Infinity };
  for (let r = 0; r < ROUNDS; r++) {
    for (const [b, fnRun] of [...Object.entries(runs).map(([b, s]) => [b, s.run]), ['js', js]]) {
      const t0 = process.hrtime.bigint();
      fnRun();
      const dt = Number(process.hrtime.bigint() - t0);
      best[b] = Math.min(best[b], dt / N);
    }
  }
  // The builds must agree with each other (and with JS within a few ulp).
  const a = runs.simd.out();
  const s = runs.scalar.out();
  let maxRel = 0;
  for (let i = 0; i < N; i++) {
    if (a[i] !== s[i]) throw new Error(`${name}: SIMD and scalar builds differ at ${i}: ${a[i]} vs ${s[i]}`);
    maxRel = Math.max(maxRel, Math.abs(a[i] - jsOut[i]) / (1 + Math.abs(jsOut[i])));
  }
  rows.push({ expression: name, 'simd ns/pt': best.simd.toFixed(2), 'scalar ns/pt': best.scalar.toFixed(2), 'JS loop ns/pt': best.js.toFixed(2), 'max rel diff vs JS': maxRel.toExponential(1) });
}
console.log(`evaluate(), ${N} points, minimum of ${ROUNDS} interleaved rounds (Node ${process.version})`);
console.table(rows);

// Finite differences (release build, automatic steps): ns per point, per derivative.
const M = Math.min(N, 100_000);
const fdRows = [];
for (const [name, tape] of Object.entries(tapes)) {
  const s = setup(builds.simd, tape);
  const row = { expression: name };
  for (const [label, run] of [
    ['central derivative', () => s.derivative(2, M)],
    ['richardson derivative', () => s.derivative(3, M)],
    ['central gradient (2 vars)', () => s.gradient(2, M)],
    ['richardson gradient (2 vars)', () => s.gradient(3, M)],
  ]) {
    let best = Infinity;
    for (let r = 0; r < Math.max(3, ROUNDS >> 2); r++) {
      const t0 = process.hrtime.bigint();
      run();
      best = Math.min(best, Number(process.hrtime.bigint() - t0) / M);
    }
    row[`${label} ns/pt`] = best.toFixed(0);
  }
  fdRows.push(row);
}
console.log(`\nderivative() and gradient(), ${M} points, automatic steps`);
console.table(fdRows);

// ------------------------------------------------------------------------
// Automatic differentiation, batch mode (release build): ns per point.

// f = sum_i sin(x_i) x_{i+1} over 16 variables: 15 sin, 15 mul, 14 add.
const WIDE = 16;
const wide = { consts: [], code: [], nVars: WIDE };
{
  let s = WIDE;
  for (let i = 0; i < WIDE - 1; i++) {
    wide.code.push([O.sin, s, i], [O.mul, s + 1, s, i + 1]);
    s += 2;
  }
  let acc = WIDE + 1;
  for (let i = 1; i < WIDE - 1; i++) {
    wide.code.push([O.add, s, acc, WIDE + 1 + 2 * i]);
    acc = s++;
  }
  wide.result = acc;
}

function setupAD(kernel, tape, nPoints) {
  const nVars = tape.nVars ?? 2;
  let top = kernel.heapBase();
  const alloc = (bytes) => {
    const ptr = Math.ceil(top / 16) * 16;
    top = ptr + bytes;
    const have = kernel.memory.buffer.byteLength;
    if (top > have) kernel.memory.grow(Math.ceil((top - have) / 65536));
    return ptr;
  };
  const nSlots = tape.result + 1;
  const code = alloc(tape.code.length * 16);
  const consts = alloc(Math.max(1, tape.consts.length) * 8);
  const scratch = alloc(kernel.scratchBytes(nSlots, nVars));
  const fn = alloc(32);
  const points = alloc(nVars * nPoints * 8);
  const [out, out2, dir] = [alloc(nPoints * 8), alloc(nPoints * 8), alloc(nVars * 8)];
  const [grad, err] = [alloc(nVars * nPoints * 8), alloc(nVars * nPoints * 8)];
  new Int32Array(kernel.memory.buffer, code, tape.code.length * 4).set(tape.code.flatMap(([o, d, a, b = 0]) => [o, d, a, b]));
  new Float64Array(kernel.memory.buffer, consts, tape.consts.length).set(tape.consts);
  new Int32Array(kernel.memory.buffer, fn, 8).set([code, tape.code.length, consts, tape.consts.length, nVars, nSlots, tape.result, scratch]);
  const pts = new Float64Array(kernel.memory.buffer, points, nVars * nPoints);
  for (let i = 0; i < pts.length; i++) pts[i] = Math.sin(i * 0.7) * 3;
  new Float64Array(kernel.memory.buffer, dir, nVars).fill(1);
  return {
    evaluate: () => kernel.evaluate(fn, points, nPoints, out),
    jvp: () => kernel.jvp(fn, points, nPoints, dir, out, out2),
    gradientAD: () => kernel.gradientAD(fn, points, nPoints, out, grad),
    complexStep: () => kernel.complexStep(fn, points, nPoints, dir, 1e-20, out, out2),
    'central gradient': () => kernel.gradient(fn, points, nPoints, 2, NaN, out, grad, err),
  };
}

/** The minimum time of each run (ns), interleaved over `rounds` rounds. */
function bestOf(runs, rounds, reps = 1) {
  const best = Object.fromEntries(Object.keys(runs).map((k) => [k, Infinity]));
  for (let r = 0; r < rounds; r++) {
    for (const [k, run] of Object.entries(runs)) {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < reps; i++) run();
      best[k] = Math.min(best[k], Number(process.hrtime.bigint() - t0) / reps);
    }
  }
  return best;
}

const P = Math.min(N, 200_000);
const adRows = [];
for (const [name, tape] of [...Object.entries(tapes), ['sum sin(x_i) x_(i+1), 16 variables', wide]]) {
  const best = bestOf(setupAD(builds.simd, tape, P), Math.max(5, ROUNDS >> 1));
  const ns = (k) => best[k] / P;
  adRows.push({
    expression: name,
    'evaluate ns/pt': ns('evaluate').toFixed(1),
    'jvp ns/pt': ns('jvp').toFixed(1),
    'gradientAD ns/pt': ns('gradientAD').toFixed(1),
    'complexStep ns/pt': ns('complexStep').toFixed(1),
    'central gradient ns/pt': ns('central gradient').toFixed(0),
    'jvp / eval': (best.jvp / best.evaluate).toFixed(2),
    'gradientAD / eval': (best.gradientAD / best.evaluate).toFixed(2),
  });
}
console.log(`\nautomatic differentiation (batch mode, release build), ${P} points`);
console.table(adRows);

// ------------------------------------------------------------------------
// Vector mode: the extended Rosenbrock function sum(100 (x[1:] - x[:-1]^2)^2 + (1 - x[:-1])^2).

function setupRosenbrock(kernel, n) {
  kernel.setDescriptorFields(12);
  let top = kernel.heapBase();
  const alloc = (bytes) => {
    const ptr = Math.ceil(top / 16) * 16;
    top = ptr + bytes;
    const have = kernel.memory.buffer.byteLength;
    if (top > have) kernel.memory.grow(Math.ceil((top - have) / 65536));
    return ptr;
  };
  // Slots: 0 x, 1 = 100, 2 = 1, 3 x[1:], 4 x[:-1], 5 x[:-1]^2, 6 x[1:] - 5, 7 6^2, 8 100 * 7, 9 1 - x[:-1], 10 9^2, 11 8 + 10, 12 sum(11)
  const code = [
    [VO.slice, 3, 0, 1], [VO.slice, 4, 0, 0], [O.square, 5, 4], [O.sub, 6, 3, 5], [O.square, 7, 6], [O.mul, 8, 1, 7],
    [O.sub, 9, 2, 4], [O.square, 10, 9], [O.add, 11, 8, 10], [VO.sum, 12, 11],
  ];
  const m = n - 1;
  const lens = [n, 1, 1, m, m, m, m, m, m, m, m, m, 1];
  const [codePtr, consts, lensPtr, fn] = [alloc(code.length * 16), alloc(16), alloc(lens.length * 4), alloc(48)];
  new Int32Array(kernel.memory.buffer, codePtr, code.length * 4).set(code.flatMap(([o, d, a, b = 0]) => [o, d, a, b]));
  new Float64Array(kernel.memory.buffer, consts, 2).set([100, 1]);
  new Int32Array(kernel.memory.buffer, lensPtr, lens.length).set(lens);
  new Int32Array(kernel.memory.buffer, fn, 12).set([codePtr, code.length, consts, 2, 1, lens.length, 12, 0, lensPtr, n, 1, 0]);
  const scratchBytes = kernel.scratchBytesFor(fn);
  const scratch = alloc(scratchBytes);
  new Int32Array(kernel.memory.buffer, fn, 12)[7] = scratch;
  const [points, out, out2, grad, dir] = [alloc(n * 8), alloc(16), alloc(16), alloc(n * 8), alloc(n * 8)];
  const x = new Float64Array(kernel.memory.buffer, points, n);
  for (let i = 0; i < n; i++) x[i] = Math.sin(i) * 1.5;
  new Float64Array(kernel.memory.buffer, dir, n).fill(1);
  return {
    scratchBytes,
    x: Float64Array.from(x),
    grad: () => new Float64Array(kernel.memory.buffer, grad, n),
    runs: {
      evaluate: () => kernel.evaluate(fn, points, 1, out),
      jvp: () => kernel.jvp(fn, points, 1, dir, out, out2),
      gradientAD: () => kernel.gradientAD(fn, points, 1, out, grad),
    },
  };
}

/** The gradient written by hand, one pass: what a careful JS programmer would write. */
function rosenbrockGradientJS(x, g) {
  g.fill(0);
  let f = 0;
  for (let i = 0; i + 1 < x.length; i++) {
    const d = x[i + 1] - x[i] * x[i];
    const o = 1 - x[i];
    f += 100 * d * d + o * o;
    g[i] += -400 * x[i] * d - 2 * o;
    g[i + 1] += 200 * d;
  }
  return f;
}

const rosenRows = [];
for (const n of [100, 10_000, 100_000]) {
  const reps = Math.max(5, Math.round(2e6 / n));
  const kernels = { simd: setupRosenbrock(instantiateKernel(readFileSync(new URL('../build/kernel.wasm', import.meta.url))), n) };
  kernels.scalar = setupRosenbrock(instantiateKernel(readFileSync(new URL('../build/kernel.scalar.wasm', import.meta.url))), n);
  const g = new Float64Array(n);
  const x = kernels.simd.x;
  const runs = { 'JS analytic gradient': () => rosenbrockGradientJS(x, g) };
  for (const [b, k] of Object.entries(kernels)) for (const [name, run] of Object.entries(k.runs)) runs[`${b} ${name}`] = run;
  const best = bestOf(runs, Math.max(7, ROUNDS >> 1), reps);
  // The kernel's gradient against the hand-written one.
  rosenbrockGradientJS(x, g);
  let maxRel = 0;
  const kg = kernels.simd.grad();
  for (let i = 0; i < n; i++) maxRel = Math.max(maxRel, Math.abs(kg[i] - g[i]) / (1 + Math.abs(g[i])));
  const us = (k) => (best[k] / 1000).toFixed(n <= 100 ? 2 : 1);
  rosenRows.push({
    n,
    'evaluate us': us('simd evaluate'),
    'gradientAD us': us('simd gradientAD'),
    'gradient / eval': (best['simd gradientAD'] / best['simd evaluate']).toFixed(2),
    'jvp us': us('simd jvp'),
    'JS analytic gradient us': us('JS analytic gradient'),
    'scalar build: eval us': us('scalar evaluate'),
    'scalar build: gradientAD us': us('scalar gradientAD'),
    'max rel diff vs JS': maxRel.toExponential(1),
    'scratch KB': (kernels.simd.scratchBytes / 1024).toFixed(0),
  });
}
console.log('\nvector mode: extended Rosenbrock sum(100 (x[1:] - x[:-1]^2)^2 + (1 - x[:-1])^2), one point');
console.table(rosenRows);
