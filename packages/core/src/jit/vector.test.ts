// Vector-mode tapes compiled with fused loops (jit/fusion.ts, jit/vector.ts)
// against the interpreter, bit for bit: values, forward mode along a
// direction and reverse-mode gradients, on the shapes of real use
// (Rosenbrock, least squares with scalar parameters, log-sum-exp, variance)
// and on random expressions over slices, broadcast scalars and sums.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builder, CompiledFunction, evaluate, minimize, type Builder, type Engine, type Expr } from '../index.js';
import { directionalExact, gradientExact } from '../diff/exact.js';
import { compileTape } from '../tape/tape.js';
import { planFusion } from './fusion.js';

/** Equal bits (NaN equals NaN; +0 and -0 differ). */
function sameBits(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  expect(a.length, what).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i])) expect.fail(`${what}: element ${i} differs: compiled ${a[i]}, interpreted ${b[i]}`);
  }
}

type Make = (b: Builder) => Expr;

function both(make: Make): Record<Engine, CompiledFunction> {
  const build = (engine: Engine) => {
    const b = builder();
    return b.compile(make(b), { engine });
  };
  return { compiled: build('compiled'), interpreter: build('interpreter') };
}

/** A point after another: nIn f64 each, from a seeded generator. */
function pointsFor(nIn: number, n: number, seed: number, scale = 2): Float64Array {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Float64Array.from({ length: nIn * n }, () => scale * (2 * next() - 1));
}

/** Values, the derivative along a direction, the gradient: compiled and interpreted, the same bits. */
function expectParity(make: Make, label: string, seed = 1): void {
  const f = both(make);
  expect(f.compiled.engine, `${label}: compiled`).toBe('compiled');
  expect(f.interpreter.engine).toBe('interpreter');
  const nIn = f.compiled.inputLength;
  const points = pointsFor(nIn, 3, seed);
  const dir = pointsFor(nIn, 1, seed + 7);
  for (const [what, run] of [
    ['gradient', (fn: CompiledFunction) => gradientExact(fn, points, 3)],
    ['directional', (fn: CompiledFunction) => directionalExact(fn, points, 3, dir, 'exact')],
  ] as const) {
    const c = run(f.compiled);
    const i = run(f.interpreter);
    sameBits(c.value, i.value, `${label}: ${what}'s value`);
    sameBits(c.derivative, i.derivative, `${label}: ${what}`);
  }
  for (let p = 0; p < 3; p++) {
    const at = point(f.compiled, points.subarray(p * nIn, (p + 1) * nIn));
    sameBits([evaluate(f.compiled, at).value], [evaluate(f.interpreter, at).value], `${label}: value at point ${p}`);
  }
  f.compiled.dispose();
  f.interpreter.dispose();
}

/** The point as the API takes it: scalars by name, vectors as arrays. */
function point(fn: CompiledFunction, flat: Float64Array): Record<string, number | Float64Array> {
  const out: Record<string, number | Float64Array> = {};
  let k = 0;
  for (const input of fn.inputs) {
    out[input.name] = input.vector ? flat.slice(k, k + input.length) : flat[k]!;
    k += input.length;
  }
  return out;
}

/** x[2] sum(x) + t(x, y) + x[1:] . y + y[4]^2, x of 6 elements, y of 5. */
const mixed = (t: (x: Expr, y: Expr) => Expr): Make => (b) => {
  const x = b.vector('x', 6);
  const y = b.vector('y', 5);
  return x.at(2).mul(x.sum()).add(t(x, y)).add(x.slice(1).dot(y)).add(y.at(4).square());
};

const rosenbrock = (n: number): Make => (b) => {
  const x = b.vector('x', n);
  const head = x.slice(0, -1);
  return x.slice(1).sub(head.square()).square().mul(100).add(b.sub(1, head).square()).sum();
};

describe('vector tapes, compiled with fused loops', () => {
  it.each([2, 3, 10, 11, 1001])('the extended Rosenbrock function, n = %i (slices of x, odd and even lengths)', (n) => {
    expectParity(rosenbrock(n), `rosenbrock ${n}`);
  });

  it('functions of one shape and different lengths each get their own module (the cache keys on the lengths)', () => {
    const fns = [5, 6].map((n) => {
      const b = builder();
      return b.compile(rosenbrock(n)(b), { engine: 'compiled' });
    });
    const x = Float64Array.of(0.5, -1, 2, 0.25, 1.5, -0.5);
    const js = (v: Float64Array) => v.slice(0, -1).reduce((s, xi, i) => s + 100 * (v[i + 1]! - xi * xi) ** 2 + (1 - xi) ** 2, 0);
    expect(fns.map((f) => f.engine)).toEqual(['compiled', 'compiled']);
    expect(evaluate(fns[0]!, { x: x.slice(0, 5) }).value).toBeCloseTo(js(x.slice(0, 5)), 10);
    expect(evaluate(fns[1]!, { x }).value).toBeCloseTo(js(x), 10);
    fns.forEach((f) => f.dispose());
  });

  it('least squares with scalar parameters broadcast over the data: sum((w x + b - y)^2)', () => {
    expectParity((b) => {
      const [x, y] = [b.vector('x', 9), b.vector('y', 9)];
      return x.mul(b.variable('w')).add(b.variable('b')).sub(y).square().sum();
    }, 'least squares');
  });

  it('log-sum-exp, a loop of kernel calls under a scalar one', () => {
    expectParity((b) => b.vector('z', 7).exp().sum().log(), 'log-sum-exp');
  });

  it('the variance: a loop that reads the sum of an earlier loop', () => {
    expectParity((b) => {
      const x = b.vector('x', 8);
      const mean = x.sum().div(8);
      return x.sub(mean).square().sum().div(7);
    }, 'variance');
  });

  it('single elements and sums of several loops: x[2] sum(x) + sum(cos(x[1:]) sin(y)) + x[1:] . y + y[4]^2', () => {
    expectParity(mixed((x, y) => x.slice(1).cos().mul(y.sin()).sum()), 'mixed');
  });

  it('a logistic loss: sum(softplus(-t (w . x_i)))-style chains with sigmoid, tanh, relu and min/max', () => {
    expectParity((b) => {
      const x = b.vector('x', 12);
      const w = b.variable('w');
      const z = x.mul(w).add(0.5);
      return z.sigmoid().add(z.tanh()).mul(z.relu()).add(z.softplus().min(x.max(0.1))).sum();
    }, 'activations');
  });

  it('random expressions over slices, broadcast scalars, elements and sums (property)', () => {
    let compiled = 0;
    let runs = 0;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        runs++;
        const make = randomExpression(seed);
        const b = builder();
        const fn = b.compile(make(b), { engine: 'compiled' });
        const fused = fn.engine === 'compiled';
        fn.dispose();
        if (!fused) return;
        compiled++;
        expectParity(make, `seed ${seed}`, seed);
      }),
      { numRuns: 300, seed: 5 },
    );
    // Most shapes fuse; a rejected one (see the next test) is still interpreted correctly.
    expect(compiled).toBeGreaterThan(runs * 0.6);
  });

  it('tapes that would sum an adjoint in another order, or slice a computed vector, stay interpreted, with the reason', () => {
    const planOf = (make: Make) => {
      const b = builder();
      const fn = b.compile(make(b));
      return planFusion(compileTape(fn.ir, fn.inputs, { reuse: false }));
    };
    // x[j] gets cos(x[1:])'s term at element j - 1 of the loop and sin(x[:5])'s at element j: the
    // interpreter adds sin's first (the later instruction), then cos's, then three more.
    const crossed = mixed((x) => x.slice(1).cos().mul(x.slice(0, 5).sin()).sum());
    expect(planOf(crossed)).toEqual({ reason: 'the adjoint of a variable would be summed in another order' });
    const sliced: Make = (b) => b.vector('x', 5).exp().slice(1).sum();
    expect(planOf(sliced)).toEqual({ reason: 'a slice of a computed vector' });
    for (const make of [crossed, sliced]) {
      const f = both(make);
      expect(f.compiled.engine).toBe('interpreter');
    }
    const b = builder();
    const fn = b.compile(sliced(b), { engine: 'compiled' });
    expect(evaluate(fn, { x: Float64Array.of(0, 1, 2, 3, 4) }).value).toBeCloseTo(Math.E + Math.E ** 2 + Math.E ** 3 + Math.E ** 4, 12);
    const rosen = planOf(rosenbrock(5));
    expect('units' in rosen && rosen.units.length).toBe(1); // one loop: all of Rosenbrock in one pass over the elements
  });

  it('frozen inputs (data): the compiled gradient leaves their part 0 and the parameters\' part is the interpreter\'s to the bit', () => {
    const build = (engine: Engine) => {
      const b = builder();
      const [x, y] = [b.vector('x', 9), b.vector('y', 9)];
      const f = x.mul(b.variable('w')).add(b.variable('c')).sub(y).square().sum();
      const inputs = [
        { name: 'x', length: 9, vector: true, frozen: true },
        { name: 'y', length: 9, vector: true, frozen: true },
        { name: 'w', length: 1, vector: false },
        { name: 'c', length: 1, vector: false },
      ];
      return new CompiledFunction(f.node, inputs, b.graph, engine);
    };
    const [c, i] = [build('compiled'), build('interpreter')];
    expect(c.engine).toBe('compiled');
    const points = pointsFor(20, 2, 3);
    const gc = gradientExact(c, points, 2);
    const gi = gradientExact(i, points, 2);
    sameBits(gc.value, gi.value, 'value');
    for (let p = 0; p < 2; p++) {
      const row = (g: Float64Array) => g.subarray(p * 20, (p + 1) * 20);
      sameBits(row(gc.derivative).subarray(18), row(gi.derivative).subarray(18), 'the parameters\' gradient');
      expect(Array.from(row(gc.derivative).subarray(0, 18))).toEqual(Array(18).fill(0));
      expect(row(gi.derivative).subarray(0, 18).some((v) => v !== 0)).toBe(true);
    }
  });

  it('a descent on a vector function runs the compiled gradient, to the same end point as the interpreter', () => {
    const run = (engine: Engine) => {
      const b = builder();
      const fn = b.compile(rosenbrock(6)(b), { engine });
      expect(fn.engine).toBe(engine);
      return minimize(fn, { x: Float64Array.of(-1.2, 1, -1.2, 1, -1.2, 1) }, { maxSteps: 3000 });
    };
    const [c, i] = [run('compiled'), run('interpreter')];
    expect(c.iterations).toBe(i.iterations);
    sameBits(c.vector, i.vector, 'end point');
    expect(c.converged).toBe(true);
    for (const v of c.vector) expect(v).toBeCloseTo(1, 6);
  });
});

/**
 * A random scalar expression of a vector x (length 1 to 9), a vector y of
 * x's length minus one, and a scalar w: element-wise ops over whole vectors
 * and slices of them, broadcast scalars and constants, single elements,
 * sums; from a seed, so that fast-check can shrink to the seed that fails.
 */
function randomExpression(seed: number): Make {
  return (b) => {
    let s = seed;
    const rand = (n: number) => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      return (s >>> 8) % n;
    };
    const L = 2 + rand(8);
    const x = b.vector('x', L);
    const y = b.vector('y', L - 1);
    const w = b.variable('w');
    const unary = ['neg', 'square', 'sin', 'cos', 'exp', 'tanh', 'sigmoid', 'abs', 'relu', 'softplus', 'sqrt', 'log'] as const;
    const binary = ['add', 'sub', 'mul', 'div', 'min', 'max'] as const;
    const apply1 = (e: Expr, op: (typeof unary)[number]) => (op === 'sqrt' || op === 'log' ? e.abs().add(0.5)[op]() : e[op]());
    const apply2 = (p: Expr, op: (typeof binary)[number], q: Expr | number) => p[op](q);
    const scalar = (depth: number): Expr => {
      const k = rand(depth > 2 ? 3 : 6);
      if (k === 0) return w;
      if (k === 1) return x.at(rand(L));
      if (k === 2) return b.constant(rand(5) - 2 + 0.25);
      if (k === 3) return vector(depth + 1, 1 + rand(L)).sum();
      if (k === 4) return apply1(scalar(depth + 1), unary[rand(unary.length)]!);
      return apply2(scalar(depth + 1), binary[rand(binary.length)]!, scalar(depth + 1));
    };
    const vector = (depth: number, m: number): Expr => {
      const k = rand(depth > 3 ? 2 : 6);
      if (k === 0) {
        const start = rand(L - m + 1);
        return m === L ? x : x.slice(start, start + m);
      }
      if (k === 1) return m <= L - 1 ? y.slice(0, m) : x;
      if (k === 2) return apply1(vector(depth + 1, m), unary[rand(unary.length)]!);
      if (k === 3) return apply2(vector(depth + 1, m), binary[rand(binary.length)]!, scalar(depth + 1));
      if (k === 4) return apply2(scalar(depth + 1), binary[rand(binary.length)]!, vector(depth + 1, m));
      return apply2(vector(depth + 1, m), binary[rand(binary.length)]!, vector(depth + 1, m));
    };
    const m = 1 + rand(L);
    return vector(0, m).sum().add(scalar(1));
  };
}

describe('vector tapes too large for the kernel', () => {
  it('say so before any memory is touched, instead of wrapping the kernel\'s 32-bit sizes', () => {
    const b = builder();
    let f = b.vector('x', 2 ** 26).square();
    for (let k = 0; k < 3; k++) f = f.add(f.mul(k + 2)).sin();
    expect(() => b.compile(f.sum())).toThrow(/vectors need \d+\.\d GiB of working memory, more than the kernel's 32-bit memory can hold/);
  });
});
