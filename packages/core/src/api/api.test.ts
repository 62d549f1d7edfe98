import { describe, expect, it } from 'vitest';
import {
  compile,
  derivative,
  derivativeMany,
  directional,
  evaluate,
  evaluateMany,
  gradient,
  gradientMany,
  NudgeError,
  partial,
  slope,
  tangent,
} from '../index.js';
import { getKernel } from '../kernel/instance.js';
import { compiledCount } from '../jit/engine.js';

const close = (a: number, b: number, rel = 1e-12) => expect(Math.abs(a - b)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(b)));

describe('the course, in numbers', () => {
  it('evaluates expressions at points given by name, in order, or as one number', () => {
    expect(evaluate('x^2*y', { x: 1, y: 2 }).value).toBe(2);
    expect(evaluate('x^2*y', [1, 2]).value).toBe(2);
    expect(evaluate('x^2', 3).value).toBe(9);
    expect(evaluate('2^-2^2').value).toBe(1 / 16);
  });

  it('takes the slope of the secant between two points: x^2+3 from 1 to 3 is 4', () => {
    const s = slope('x^2+3', 1, 3);
    expect(s).toMatchObject({ slope: 4, rise: 8, run: 2, from: { value: 4 }, to: { value: 12 } });
  });

  it('gives the textbook forward difference 6.0001 for x^2 at 3 with h = 1e-4', () => {
    const d = derivative('x^2', 3, { method: 'forward' });
    expect(d.derivative).toBe(6.000100000012054);
    expect(d).toMatchObject({ value: 9, method: 'forward', h: 1e-4, wrt: 'x' });
    expect(d.errorEstimate).toBeGreaterThanOrEqual(Math.abs(d.derivative - 6) * 0.5);
  });

  it('gets much closer with central differences and Richardson extrapolation', () => {
    close(derivative('x^2', 3, { method: 'central', h: 0.01 }).derivative, 6, 1e-10);
    const r = derivative('x^2', 3, { method: 'richardson' });
    expect(r.method).toBe('richardson');
    close(r.derivative, 6, 1e-12);
    expect(r.errorEstimate).not.toBeNull();
  });

  it('draws the tangent line y = 6x - 9 for x^2 at 3', () => {
    const t = tangent('x^2', 3);
    close(t.slope, 6);
    close(t.intercept, -9);
    expect(t.equation).toBe('y = 6x - 9');
  });

  it('takes partial derivatives and the gradient with its norm and ascent direction', () => {
    close(partial('x^2*y', { x: 1, y: 2 }, 'x').derivative, 4);
    const g = gradient('x^2*y + sin(z)', { x: 1, y: 2, z: 3 });
    close(g.gradient.x!, 4);
    close(g.gradient.y!, 1);
    close(g.gradient.z!, Math.cos(3));
    const norm = Math.hypot(4, 1, Math.cos(3));
    close(g.norm, norm);
    close(g.ascent!.x!, 4 / norm);
    expect(g.variables).toEqual(['x', 'y', 'z']);
  });

  it('takes directional derivatives along the unit vector, or along v as given', () => {
    const d = directional('x^2*y', { x: 1, y: 2 }, { x: 3, y: 4 });
    close(d.directional, (4 * 3 + 1 * 4) / 5);
    expect(d.direction).toEqual({ x: 0.6, y: 0.8 });
    close(directional('x^2*y', [1, 2], [3, 4], { normalize: false }).directional, 16);
    expect(() => directional('x^2*y', [1, 2], [0, 0])).toThrow(/zero vector/);
  });
});

describe('plain JavaScript functions', () => {
  it('differentiates a closure with the same kernel arithmetic as an expression', () => {
    const fromClosure = derivative((x) => x ** 2, 3, { method: 'forward' });
    expect(fromClosure.derivative).toBe(6.000100000012054);
    for (const method of ['backward', 'central', 'richardson'] as const) {
      const a = derivative((x) => Math.sin(x) * Math.exp(-x * x / 10) + x ** 3, 1.3, { method });
      const b = derivative('sin(x)*exp(-x*x/10) + x^3', 1.3, { method });
      close(a.derivative, b.derivative, 1e-9);
      expect(a.evaluations).toBe(b.evaluations);
    }
  });

  it('takes gradients of closures of several arguments, named by the point', () => {
    const g = gradient((x, y) => x * x * y, [1, 2]);
    close(g.gradient.x!, 4);
    close(g.gradient.y!, 1);
    const h = gradient(({ a, b }: any) => a * b, { a: 2, b: 5 } as any);
    expect(h.variables).toEqual(['a', 'b']);
  });
});

describe('batches', () => {
  it('evaluates many points in one kernel call, as rows or as columns', () => {
    const xs = Float64Array.from({ length: 10_000 }, (_, i) => i / 1000 - 5);
    const ys = xs.map((x) => 2 - x);
    const v = evaluateMany('sin(x)*exp(-y*y) + x*x*y', { x: xs, y: ys });
    for (let i = 0; i < xs.length; i += 997) close(v[i]!, Math.sin(xs[i]!) * Math.exp(-ys[i]! * ys[i]!) + xs[i]! * xs[i]! * ys[i]!, 1e-14);
    expect(Array.from(evaluateMany('x+y', [{ x: 1, y: 2 }, [3, 4]]))).toEqual([3, 7]);
  });

  it('differentiates at many points with the same result as one at a time', () => {
    const xs = [0.5, 1, 1.5, 2];
    const many = derivativeMany('sin(x)*x', xs.map((x) => [x]));
    xs.forEach((x, i) => expect(many.derivative[i]).toBe(derivative('sin(x)*x', x).derivative));
    const g = gradientMany('x^2*y', [[1, 2], [2, 3]]);
    close(g.gradient[0]!, 4);
    close(g.gradient[3]!, 4);
  });
});

describe('answers that are not numbers', () => {
  it('reports NaN and infinities with a warning instead of hiding them', () => {
    const l = evaluate('log(-1)');
    expect(l.value).toBeNaN();
    expect(l.warning).toMatch(/not a number/);
    const s = derivative('sqrt(x)', 0);
    expect(Number.isFinite(s.derivative)).toBe(false);
    expect(s.warning).toMatch(/x = 0/);
  });

  it('says so where a corner makes the derivative not exist, and stays quiet where it exists', () => {
    for (const method of ['central', 'richardson', 'forward'] as const) {
      const a = derivative('abs(x)', 0, { method });
      expect(a.warning, method).toMatch(/not differentiable at x = 0: the one-sided derivatives differ \(left ≈ -1, right ≈ 1\)/);
    }
    expect(derivative('relu(x - 1)', 1).warning).toMatch(/left ≈ 0, right ≈ 1/);
    expect(derivative('abs(x)', 0.5).warning).toBeUndefined();
    // Near the edge of a domain Richardson shrinks its steps instead of giving up.
    expect(derivative('sqrt(x)', 1e-6).derivative).toBeCloseTo(0.5 / Math.sqrt(1e-6), 6);
    expect(derivative((x) => Math.log(x), 1e-7).derivative).toBeCloseTo(1e7, 0);
    expect(gradient('log(x)*y', { x: 1e-5, y: 1 }).gradient.x).toBeCloseTo(1e5, 2);
    for (const [f, x] of [['sin(x)', Math.PI / 2], ['1/x', 0.01], ['exp(10*x)', 1], ['x^2', 0], ['sqrt(x)', 1e-6]] as const) {
      expect(derivative(f, x).warning, `${f} at ${x}`).toBeUndefined();
    }
  });
});

describe('bad input', () => {
  const fails = (fn: () => unknown, code: string, message: RegExp) => {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(NudgeError);
      expect((e as NudgeError).code).toBe(code);
      expect((e as NudgeError).message).toMatch(message);
      return;
    }
    throw new Error('expected an error');
  };

  it('names the problem and where it is', () => {
    fails(() => evaluate('x+', { x: 1 }), 'syntax', /column 3/);
    fails(() => evaluate('x+y', { x: 1 }), 'missing-variable', /'y'/);
    fails(() => evaluate('x', { x: 1, q: 2 }), 'unknown-variable', /'q'/);
    fails(() => derivative('x^2', 1, { method: 'forward', h: 0 }), 'invalid-argument', /step h/);
    fails(() => derivative('x*y', [1, 2]), 'invalid-argument', /wrt/);
    fails(() => derivative('x*y', [1, 2], { wrt: 'z' }), 'unknown-variable', /'z'/);
    fails(() => derivative('x', 1, { method: 'magic' as never }), 'invalid-argument', /unknown method 'magic'/);
    fails(() => evaluate('x^2', [1, 2]), 'invalid-argument', /2 coordinates/);
    fails(() => evaluate('x^2', { x: Number.NaN }), 'invalid-argument', /'x'/);
    fails(() => slope('x', 1, 1), 'invalid-argument', /two different/);
  });

  it('refuses a disposed function', () => {
    const f = compile('x^2');
    f.dispose();
    fails(() => evaluate(f, 1), 'disposed', /disposed/);
  });
});

describe('memory', () => {
  it('compiling and discarding 100,000 functions leaves the kernel memory flat', () => {
    const { heap } = getKernel();
    const f0 = compile('sin(x)*exp(-y*y) + x*x*y');
    f0.dispose();
    const before = heap.memoryBytes;
    const inUse = heap.bytesInUse;
    // (The kernel's memory is what this is about: interpreted, so that a parity run with every function compiled stays fast.)
    for (let i = 0; i < 100_000; i++) compile(`sin(x)*exp(-y*y) + x*x*y + ${i}`, { engine: 'interpreter' }).dispose();
    expect(heap.memoryBytes).toBe(before);
    expect(heap.bytesInUse).toBe(inUse);
  });

  it('compiling and discarding 2,000 compiled functions frees their compiled code and reuses its table entries', () => {
    const table = (getKernel().exports as unknown as { table: WebAssembly.Table }).table;
    compile('x*y + 1', { engine: 'compiled' }).dispose();
    const alive = compiledCount();
    const length = table.length;
    for (let i = 0; i < 2_000; i++) {
      const f = compile(`sin(x)*exp(-y*y) + x*x*y + ${i}`, { engine: 'compiled' });
      expect(f.engine).toBe('compiled');
      f.dispose();
    }
    expect(compiledCount()).toBe(alive);
    expect(table.length).toBe(length);
  });

  it('the same expression compiled twice shares one compiled tape until both are disposed', () => {
    const alive = compiledCount();
    const a = compile('x^3 - y', { engine: 'compiled' });
    const b = compile('x^3 - y', { engine: 'compiled' });
    expect(compiledCount()).toBe(alive + 1);
    a.dispose();
    expect(evaluate(b, { x: 2, y: 1 }).value).toBe(7);
    b.dispose();
    expect(compiledCount()).toBe(alive);
  });

  it('keeps a compiled function usable across memory growth', () => {
    const f = compile('x*y');
    const big = new Float64Array(2_000_000).fill(2);
    const out = evaluateMany(f, { x: big, y: big });
    expect(out[1_999_999]).toBe(4);
    expect(evaluate(f, { x: 3, y: 4 }).value).toBe(12);
    f.dispose();
  });
});
