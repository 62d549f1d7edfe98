// Measures the kernel's evaluate() in ns per point on 1e6 points for two
// expressions, SIMD (build/kernel.wasm) against scalar (build/kernel.scalar.wasm)
// and the same expression written as a plain JS loop. Minimum of interleaved runs.
// Usage: npm run build && node scripts/bench.mjs [points] [rounds]
import { readFileSync } from 'node:fs';
import { instantiateKernel, opcodeByName as O } from '../dist/index.js';

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
