// Compiled tapes: a tape's eval, jvp and gradient functions, compiled to a
// module of their own and set into the kernel's exported function table at
// k, k + 1, k + 2, run instead of the interpreter when descriptor field 11
// (`compiled`) is k. The modules here are hand-compiled (test-support/
// wasm-module.ts) to do the interpreter's operations in its order, so every
// result must be bit for bit the interpreter's; a deliberately different
// module shows which entry points call the compiled code at all.
import { describe, expect, it } from 'vitest';
import {
  Descriptor, DescentField as F, DescentGradient, DescentStatus, KernelAbortError, Method, Optimizer, opExports, opcodes,
  type OpExportName, type OptimizerName,
} from './index.js';
import { Heap, loadKernel, type Build } from './test-support/heap.js';
import { rng } from './test-support/reference.js';
import { TapeBuilder, type Tape } from './test-support/tape.js';
import {
  add, call, compiledModuleBytes, dir, install, instantiateCompiled, mul, num, sub, vectorMarkerModuleBytes, x, type CompiledMaths,
} from './test-support/wasm-module.js';

const builds = ['release', 'debug', 'scalar'] as const satisfies readonly Build[];

const paramsOf = (name: OpExportName): number => opExports.find((e) => e.name === name)!.params;

interface Case {
  name: string;
  tape: Tape;
  /** The interpreter's operations in its order (so that the results are bit for bit its own). */
  maths: CompiledMaths;
}

/** f = x y + 1 (no imports). */
function product(): Case {
  const b = new TapeBuilder(2);
  const tape = b.build(b.op('add', b.op('mul', b.v(0), b.v(1)), b.c(1)));
  return {
    name: 'x*y + 1',
    tape,
    maths: {
      nVars: 2,
      value: add(mul(x(0), x(1)), num(1)),
      tangent: add(mul(x(1), dir(0)), mul(x(0), dir(1))),
      grad: [x(1), x(0)],
    },
  };
}

/** f = sin(x) y + y^3 + 1: sin and pow through the kernel's op exports. */
function sinPow(): Case {
  const b = new TapeBuilder(2);
  const t1 = b.op('mul', b.op('sin', b.v(0)), b.v(1));
  const tape = b.build(b.op('add', b.op('add', t1, b.op('pow', b.v(1), b.c(3))), b.c(1)));
  const s = call('op_sin_ev', x(0));
  const p = call('op_pow_ev', x(1), num(3));
  return {
    name: 'sin(x)*y + y^3 + 1',
    tape,
    maths: {
      nVars: 2,
      value: add(add(mul(s, x(1)), p), num(1)),
      tangent: add(add(mul(x(1), mul(call('op_sin_d', x(0), s), dir(0))), mul(s, dir(1))), call('op_pow_jvp', x(1), num(3), p, dir(1), num(0))),
      grad: [mul(call('op_sin_d', x(0), s), x(1)), add(call('op_pow_da', x(1), num(3), p), s)],
    },
  };
}

/** f = (sin(x) - 0.5)^2 + (y - 2)^2: bounded below, for the descents. */
function bowl(): Case {
  const b = new TapeBuilder(2);
  const u = b.op('sub', b.op('sin', b.v(0)), b.c(0.5));
  const w = b.op('sub', b.v(1), b.c(2));
  const tape = b.build(b.op('add', b.op('square', u), b.op('square', w)));
  const s = call('op_sin_ev', x(0));
  const su = sub(s, num(0.5));
  const sw = sub(x(1), num(2));
  const dU = call('op_square_d', su, call('op_square_ev', su));
  const dW = call('op_square_d', sw, call('op_square_ev', sw));
  return {
    name: '(sin(x) - 0.5)^2 + (y - 2)^2',
    tape,
    maths: {
      nVars: 2,
      value: add(call('op_square_ev', su), call('op_square_ev', sw)),
      tangent: add(mul(dU, mul(call('op_sin_d', x(0), s), dir(0))), mul(dW, dir(1))),
      grad: [mul(call('op_sin_d', x(0), s), dU), dW],
    },
  };
}

/** f = x (the result is a variable: finite differences evaluate nothing). */
function identity(): Case {
  const b = new TapeBuilder(1);
  return { name: 'x', tape: b.build(b.v(0)), maths: { nVars: 1, value: x(0), tangent: dir(0), grad: [num(1)] } };
}

/** f = 3 (the result is a constant). */
function constant(): Case {
  const b = new TapeBuilder(1);
  return { name: '3', tape: b.build(b.c(3)), maths: { nVars: 1, value: num(3), tangent: num(0), grad: [num(0)] } };
}

const cases = [product, sinPow, bowl, identity, constant];

/** A kernel with the tape twice: interpreted, and compiled (`maths` installed in the table). */
function setup(build: Build, c: Case, maths = c.maths) {
  const heap = new Heap(loadKernel(build, 12));
  const interpreted = heap.compile(c.tape);
  const compiled = heap.compile(c.tape);
  const k = install(heap.kernel, instantiateCompiled(heap.kernel, compiledModuleBytes(maths, paramsOf)));
  heap.i32(compiled, Descriptor.length)[Descriptor.compiled] = k;
  return { heap, interpreted, compiled, k };
}

/** n points, coordinates away from 0 (so that 0 + g and g agree to the sign). */
function coordsFor(nVars: number, n: number, seed: number): number[][] {
  const r = rng(seed);
  return Array.from({ length: nVars }, (_, v) => Array.from({ length: n }, () => (v === 0 ? 0.1 + 2 * r() : -1.5 + 3 * r())));
}

/** Everything the batch-mode entry points write for the points. */
function outputs(heap: Heap, fn: number, coords: number[][]) {
  const k = heap.kernel;
  const nVars = coords.length;
  const n = coords[0]!.length;
  const points = heap.putPoints(coords);
  const direction = heap.putF64([0.7, -1.3].slice(0, nVars));
  const col = () => heap.alloc(n * 8);
  const out: Record<string, number[]> = {};
  const run = (label: string, write: (...ptrs: number[]) => void, sizes: number[]) => {
    const ptrs = sizes.map((s) => heap.alloc(s * 8));
    write(...ptrs);
    ptrs.forEach((p, i) => (out[`${label}.${i}`] = heap.getF64(p, sizes[i]!)));
  };
  const value = col();
  k.evaluate(fn, points, n, value);
  out.evaluate = heap.getF64(value, n);
  run('jvp', (v, t) => k.jvp(fn, points, n, direction, v!, t!), [n, n]);
  run('gradientAD', (v, g) => k.gradientAD(fn, points, n, v!, g!), [n, n * nVars]);
  run('complexStep', (v, d) => k.complexStep(fn, points, n, direction, 1e-20, v!, d!), [n, n]);
  for (const [name, method] of Object.entries(Method)) {
    run(`derivative.${name}`, (v, d, e) => k.derivative(fn, points, n, direction, method, NaN, v!, d!, e!), [n, n, n]);
    run(`gradient.${name}`, (v, g, e) => k.gradient(fn, points, n, method, NaN, v!, g!, e!), [n, n * nVars, n * nVars]);
  }
  return out;
}

describe('the function table', () => {
  it.each(builds)('%s: is exported as `table`, index 0 empty, growable, holds compiled functions', (build) => {
    const kernel = loadKernel(build, 12);
    expect(kernel.table).toBeInstanceOf(WebAssembly.Table);
    expect(kernel.table.length).toBe(1);
    expect(kernel.table.get(0)).toBeNull();
    const fns = instantiateCompiled(kernel, compiledModuleBytes(product().maths, paramsOf));
    expect(install(kernel, fns)).toBe(1);
    expect(kernel.table.length).toBe(4);
    expect(kernel.table.get(1)).toBe(fns.eval);
    expect(kernel.table.get(3)).toBe(fns.gradient);
    expect(install(kernel, fns)).toBe(4); // a second tape: the next three entries
  });
});

describe('a compiled tape gives the interpreter\'s numbers, bit for bit', () => {
  for (const build of builds) {
    it.each(cases.map((c) => [c().name, c] as const))(`${build}: %s, in every batch-mode entry point`, (_, make) => {
      const c = make();
      const { heap, interpreted, compiled } = setup(build, c);
      // 600 points: two whole batches and a partial one (and several finite-difference batches).
      const coords = coordsFor(c.tape.nVars, 600, 7);
      const want = outputs(heap, interpreted, coords);
      const got = outputs(heap, compiled, coords);
      expect(Object.keys(got)).toEqual(Object.keys(want));
      for (const key of Object.keys(want)) expect(got[key], key).toEqual(want[key]);
    });
  }
});

describe('which entry points call the compiled functions', () => {
  // A module that is deliberately NOT the tape x*y + 1: f = x*y + 2, tangent 42, gradient (7, 8).
  const other: CompiledMaths = { nVars: 2, value: add(mul(x(0), x(1)), num(2)), tangent: num(42), grad: [num(7), num(8)] };

  it.each(builds)('%s: evaluate, jvp, gradientAD, derivative and gradient do; complexStep does not', (build) => {
    const c = product();
    const { heap, compiled } = setup(build, c, other);
    const coords = [[1.5, -2, 3], [2, 0.25, -1]];
    const got = outputs(heap, compiled, coords);
    const plus2 = coords[0]!.map((a, p) => a * coords[1]![p]! + 2);
    expect(got.evaluate).toEqual(plus2);
    expect(got['jvp.0']).toEqual(plus2);
    expect(got['jvp.1']).toEqual([42, 42, 42]);
    expect(got['gradientAD.0']).toEqual(plus2);
    expect(got['gradientAD.1']).toEqual([7, 8, 7, 8, 7, 8]);
    expect(got['derivative.central.0']).toEqual(plus2);
    expect(got['gradient.central.0']).toEqual(plus2);
    // The complex step stays interpreted: x*y + 1.
    expect(got['complexStep.0']).toEqual(plus2.map((v) => v - 1));
  });

  it.each(builds)('%s: compiled = 0 interprets', (build) => {
    const { heap, compiled } = setup(build, product(), other);
    heap.i32(compiled, Descriptor.length)[Descriptor.compiled] = 0;
    const got = outputs(heap, compiled, [[1.5], [2]]);
    expect(got.evaluate).toEqual([4]);
  });

  it.each(builds)('%s: a vector-mode descriptor with compiled = k calls the vector functions at k, one point each', (build) => {
    const b = new TapeBuilder([3]);
    const tape = b.build(b.sum(b.op('square', b.v(0))));
    const heap = new Heap(loadKernel(build, 12));
    const fn = heap.compile(tape);
    const points = heap.putF64([1, 2, 3, 4, 5, 6]);
    const out = heap.alloc(16);
    heap.kernel.evaluate(fn, points, 2, out);
    expect(heap.getF64(out, 2)).toEqual([14, 77]); // interpreted: compiled = 0
    heap.i32(fn, Descriptor.length)[Descriptor.compiled] = install(heap.kernel, instantiateCompiled(heap.kernel, vectorMarkerModuleBytes()));
    heap.kernel.evaluate(fn, points, 2, out);
    expect(heap.getF64(out, 2)).toEqual([8, 11]);
    const d = heap.putF64([0.5, -2, 9]);
    const tangent = heap.alloc(16);
    heap.kernel.jvp(fn, points, 2, d, out, tangent);
    expect([heap.getF64(out, 2), heap.getF64(tangent, 2)]).toEqual([[7, 7], [-2, -2]]);
    const grad = heap.putF64(Array(6).fill(NaN));
    heap.kernel.gradientAD(fn, points, 2, out, grad);
    expect(heap.getF64(grad, 6)).toEqual([0, 3, 0, 0, 3, 0]); // zeroed by the kernel, then the function's += 3
  });

  it('compiled = -k: the compiled code for batches of up to 16 rows, the interpreter for larger ones', () => {
    for (const build of ['release', 'debug'] as const) {
      const { heap, compiled, k } = setup(build, product(), other);
      heap.i32(compiled, Descriptor.length)[Descriptor.compiled] = -k;
      const one = heap.putPoints([[1.5], [2]]);
      const out = heap.alloc(8 * 17);
      heap.kernel.evaluate(compiled, one, 1, out);
      expect(heap.getF64(out, 1)).toEqual([5]); // the (deliberately different) compiled code ran
      const many = heap.putPoints([Array(17).fill(1.5), Array(17).fill(2)]);
      heap.kernel.evaluate(compiled, many, 17, out);
      expect(heap.getF64(out, 17)).toEqual(Array(17).fill(4)); // interpreted
    }
  });
});

describe('descend on a compiled tape', () => {
  const N = 2;

  function start(heap: Heap, fn: number, optimizer: OptimizerName, gradient: keyof typeof DescentGradient) {
    const state = heap.alloc(F.length * 8 + 8 * N * 8);
    const trace = heap.alloc(64 * (3 + N) * 8);
    const set = (i: number, v: number) => void (heap.f64(state, F.length)[i] = v);
    const field = (i: number) => heap.f64(state, F.length)[i]!;
    heap.f64(state, F.length + 8 * N).fill(0);
    [F.pX, F.pGrad, F.pTrial, F.pTrialGrad, F.pMoment1, F.pMoment2, F.pBest, F.pErr].forEach((f, i) => set(f, state + F.length * 8 + i * N * 8));
    const settings: [number, number][] = [
      [F.optimizer, Optimizer[optimizer]], [F.gradient, DescentGradient[gradient]], [F.sign, 1], [F.lr, 0.05],
      [F.beta1, 0.9], [F.beta2, 0.999], [F.epsilon, 1e-8], [F.growthLimit, 1e12], [F.xLimit, 1e100], [F.h, NaN],
      [F.armijo, 1e-4], [F.alpha, 0.1], [F.traceEvery, 1], [F.traceCapacity, 64], [F.traceX, 1],
    ];
    for (const [f, v] of settings) set(f, v);
    heap.f64(field(F.pX), N).set([0.3, -1]);
    const status = [heap.kernel.descend(fn, state, trace, N, 0), heap.kernel.descend(fn, state, trace, N, 20), heap.kernel.descend(fn, state, trace, N, 20)];
    const fields = ['step', 'value', 'gradNorm', 'bestValue', 'bestStep', 'stepNorm', 'status', 'evaluations', 'backtracks', 'traceCount'] as const;
    return {
      status,
      fields: Object.fromEntries(fields.map((f) => [f, field(F[f])])),
      x: heap.getF64(field(F.pX), N),
      grad: heap.getF64(field(F.pGrad), N),
      trace: heap.getF64(trace, field(F.traceCount) * (3 + N)),
    };
  }

  for (const build of builds) {
    it.each([
      ['gd', 'exact'], ['adam', 'exact'], ['line-search', 'exact'], ['gd', 'central'], ['line-search', 'forward'],
    ] as const)(`${build}: %s with the %s gradient takes the interpreter's steps`, (optimizer, gradient) => {
      const { heap, interpreted, compiled } = setup(build, bowl());
      const want = start(heap, interpreted, optimizer, gradient);
      const got = start(heap, compiled, optimizer, gradient);
      expect(got).toEqual(want);
      expect(got.fields.step).toBeGreaterThan(5);
      expect(got.status[0]).toBe(DescentStatus.running);
    });
  }

  it('uses the compiled gradient (exact) and the compiled eval (finite differences)', () => {
    // f = x*y + 1 compiled as a module whose gradient is (7, 8) and whose value is x*y + 2.
    const other: CompiledMaths = { nVars: 2, value: add(mul(x(0), x(1)), num(2)), tangent: num(0), grad: [num(7), num(8)] };
    const { heap, compiled } = setup('release', product(), other);
    const exact = start(heap, compiled, 'gd', 'exact');
    expect(exact.grad).toEqual([7, 8]);
    expect(exact.x[0]).toBeCloseTo(0.3 - 40 * 0.05 * 7, 12);
    const fd = start(heap, compiled, 'gd', 'central');
    expect(fd.fields.value).toBeCloseTo(fd.x[0]! * fd.x[1]! + 2, 12);
  });
});

describe('the op exports', () => {
  it('are every rule of every element-wise op: ev and d, or ev, da and db, and pow\'s jvp', () => {
    const want = opcodes.flatMap((op) =>
      op.arity === 1
        ? [`op_${op.name}_ev`, `op_${op.name}_d`]
        : [`op_${op.name}_ev`, `op_${op.name}_da`, `op_${op.name}_db`, ...(op.name === 'pow' ? ['op_pow_jvp'] : [])],
    );
    expect(opExports.map((e) => e.name)).toEqual(want);
    const kernel = loadKernel('release');
    for (const e of opExports) {
      const fn = kernel[e.name];
      expect(fn, e.name).toBeTypeOf('function');
      expect(fn.length, e.name).toBe(e.params);
    }
  });

  const A = [-800, -3.7, -2, -1.2, -1, -0.5, -0.1, -0, 0, 1e-300, 0.3, 0.9, 1, 1.5, 2.5, 7.1, 30, 800, NaN, Infinity, -Infinity];
  const B = [-2.5, -1, 0, 0.5, 1, 2, 3, NaN];
  /** -0 -> 0: the interpreter's reverse mode adds into zeroed adjoints (0 + -0 = 0). */
  const unsigned = (v: number[]) => v.map((t) => (t === 0 ? 0 : t));

  it.each(builds)('%s: each equals the interpreter on that op (values bit for bit)', (build) => {
    const heap = new Heap(loadKernel(build, 12));
    const k = heap.kernel as unknown as Record<string, (...args: number[]) => number>;
    for (const op of opcodes) {
      const b = new TapeBuilder(op.arity);
      const tape = b.build(op.arity === 1 ? b.op(op.name, b.v(0)) : b.op(op.name, b.v(0), b.v(1)));
      const fn = heap.compile(tape);
      const coords = op.arity === 1 ? [A] : [A.flatMap((a) => B.map(() => a)), A.flatMap(() => B)];
      const n = coords[0]!.length;
      const points = heap.putPoints(coords);
      const value = heap.alloc(n * 8);
      heap.kernel.evaluate(fn, points, n, value);
      const y = heap.getF64(value, n);
      const args = (p: number) => coords.map((c) => c[p]!);
      expect(y.map((_, p) => k[`op_${op.name}_ev`]!(...args(p))), op.name).toEqual(y);
      const grad = heap.alloc(n * op.arity * 8);
      heap.kernel.gradientAD(fn, points, n, heap.alloc(n * 8), grad);
      const g = heap.getF64(grad, n * op.arity);
      const rules = op.arity === 1 ? ['d'] : ['da', 'db'];
      rules.forEach((rule, v) => {
        const mine = y.map((yp, p) => k[`op_${op.name}_${rule}`]!(...args(p), yp));
        expect(unsigned(mine), `${op.name} ${rule}`).toEqual(unsigned(g.filter((_, i) => i % op.arity === v)));
      });
    }
    // pow's jvp, against forward mode (bit for bit), with and without a tangent of the exponent.
    const b = new TapeBuilder(2);
    const fn = heap.compile(b.build(b.op('pow', b.v(0), b.v(1))));
    const coords = [A.flatMap((a) => B.map(() => a)), A.flatMap(() => B)];
    const n = coords[0]!.length;
    const points = heap.putPoints(coords);
    for (const d of [[1, 0], [0.3, -2], [0, 1]]) {
      const v = heap.alloc(n * 8);
      const t = heap.alloc(n * 8);
      heap.kernel.jvp(fn, points, n, heap.putF64(d), v, t);
      const y = heap.getF64(v, n);
      const mine = y.map((yp, p) => k.op_pow_jvp!(coords[0]![p]!, coords[1]![p]!, yp, d[0]!, d[1]!));
      expect(mine, `pow jvp along ${d}`).toEqual(heap.getF64(t, n));
    }
  });
});
