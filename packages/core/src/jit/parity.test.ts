// Compiled tapes against the interpreter, bit for bit, on the project's
// corpora: the SymPy derivative table (every op, odd points), generated
// expressions over every op, and descents. (The whole suite also runs with
// NUDGE_ENGINE=compiled and NUDGE_ENGINE=interpreter: `npm test` in this
// package runs both.)
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile, derivativeMany, evaluateMany, gradientMany, minimize, type CompiledFunction, type Engine } from '../index.js';
import { OP_NAMES, OPS } from '../ops/table.js';

interface Case {
  id: string;
  expr: string;
  at: Record<string, number>;
}

const table = JSON.parse(readFileSync(new URL('../../test-data/derivative-table.json', import.meta.url), 'utf8')) as { cases: Case[] };

/** Equal bits (NaN equals NaN; +0 and -0 differ). */
function sameBits(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  expect(a.length, what).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i])) expect.fail(`${what}: element ${i} differs: compiled ${a[i]}, interpreted ${b[i]}`);
  }
}

function both(expr: string): Record<Engine, CompiledFunction> {
  const compiled = compile(expr, { engine: 'compiled' });
  expect(compiled.engine).toBe('compiled');
  const interpreter = compile(expr, { engine: 'interpreter' });
  expect(interpreter.engine).toBe('interpreter');
  return { compiled, interpreter };
}

/** Points around a case's point (a few hundred rows: both sides of every kink and edge nearby). */
function around(at: Record<string, number>, n: number): Record<string, Float64Array> {
  const columns: Record<string, Float64Array> = {};
  for (const [name, v] of Object.entries(at)) columns[name] = Float64Array.from({ length: n }, (_, i) => v * (1 + (i - n / 2) / n) + (i % 7) * 1e-3);
  return columns;
}

/** Every computation that runs a tape, on both engines: values, forward and reverse mode, finite differences. */
function expectParity(expr: string, points: Record<string, Float64Array>, label: string): void {
  const f = both(expr);
  try {
    const [c, i] = [f.compiled, f.interpreter];
    sameBits(evaluateMany(c, points), evaluateMany(i, points), `${label}: evaluate`);
    for (const wrt of c.variables) {
      for (const method of ['exact', 'central', 'forward', 'richardson'] as const) {
        const a = derivativeMany(c, points, { wrt, method });
        const b = derivativeMany(i, points, { wrt, method });
        sameBits(a.derivative, b.derivative, `${label}: d/d${wrt} ${method}`);
        sameBits(a.value, b.value, `${label}: value with ${method}`);
      }
    }
    const ga = gradientMany(c, points);
    const gb = gradientMany(i, points);
    sameBits(ga.gradient, gb.gradient, `${label}: gradient`);
    sameBits(ga.value, gb.value, `${label}: gradient's value`);
  } finally {
    f.compiled.dispose();
    f.interpreter.dispose();
  }
}

describe('compiled tapes agree with the interpreter to the bit', () => {
  // (16 rows: a tape whose ops call the kernel's rows is compiled for calls of up to 16 rows, interpreted over larger batches.)
  it(`on the ${table.cases.length} expressions of the SymPy derivative table`, () => {
    for (const c of table.cases) expectParity(c.expr, around(c.at, 16), c.id);
  });

  it('on every op, at ordinary and special points (0, -0, 1, -1, infinities, NaN)', () => {
    const specials = [0, -0, 1, -1, 0.5, -0.5, 2, -3, 1e-300, 1e300, Infinity, -Infinity, NaN];
    const xs: number[] = [];
    const ys: number[] = [];
    for (const a of specials) for (const b of specials) (xs.push(a), ys.push(b));
    for (const op of OP_NAMES) {
      const expr = OPS[op].arity === 2 ? (op === 'add' ? 'x + y' : op === 'sub' ? 'x - y' : op === 'mul' ? 'x * y' : op === 'div' ? 'x / y' : op === 'pow' ? 'x ^ y' : `${op}(x, y)`) : op === 'neg' ? '-x + 0*y' : op === 'square' ? 'x^2 + 0*y' : op === 'recip' ? '1/x + 0*y' : `${op}(x) + 0*y`;
      for (let i = 0; i < xs.length; i += 13) expectParity(expr, { x: Float64Array.from(xs.slice(i, i + 13)), y: Float64Array.from(ys.slice(i, i + 13)) }, op);
    }
  });

  it('on generated expressions over every op', () => {
    const unary = OP_NAMES.filter((o) => OPS[o].arity === 1 && !['neg', 'square', 'recip'].includes(o));
    const leaf = fc.constantFrom('x', 'y', 'z', '0.5', '2', '-3');
    const expr = fc.letrec<{ e: string }>((tie) => ({
      e: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc.tuple(tie('e'), fc.constantFrom('+', '-', '*', '/', '^'), tie('e')).map(([a, op, b]) => `(${a})${op}(${b})`),
        fc.tuple(fc.constantFrom('min', 'max'), tie('e'), tie('e')).map(([f, a, b]) => `${f}(${a}, ${b})`),
        fc.tuple(fc.constantFrom(...unary), tie('e')).map(([f, a]) => `${f}(${a})`),
      ),
    })).e;
    fc.assert(
      fc.property(expr, fc.double({ min: -3, max: 3, noNaN: true }), (text, shift) => {
        const f = compile(text);
        const vars = f.variables;
        f.dispose();
        if (vars.length === 0) return;
        const at = Object.fromEntries(vars.map((v, k) => [v, shift + 0.37 * k]));
        expectParity(text, around(at, 16), text);
      }),
      { numRuns: 300 },
    );
  });

  it('descents take the same steps', () => {
    const f = both('(1-x)^2 + 100*(y-x^2)^2');
    for (const options of [{}, { optimizer: 'gd' as const, lr: 1e-3, maxSteps: 5000 }, { optimizer: 'adam' as const, lr: 1e-2, maxSteps: 5000 }, { gradient: 'central' as const }, { gradient: 'forward' as const, maxSteps: 2000 }]) {
      const a = minimize(f.compiled, [-1.2, 1], options);
      const b = minimize(f.interpreter, [-1.2, 1], options);
      sameBits(a.vector, b.vector, `minimize ${JSON.stringify(options)}`);
      expect(a.iterations).toBe(b.iterations);
      sameBits(a.trajectory!.value, b.trajectory!.value, 'trajectory');
    }
    f.compiled.dispose();
    f.interpreter.dispose();
  });
});

describe('the compiled engine', () => {
  it('is the default: a function is compiled once it has done enough work', () => {
    const f = compile('x*y + sin(x)');
    expect(f.engine).toBe(process.env.NUDGE_ENGINE === 'compiled' ? 'compiled' : 'interpreter');
    if (process.env.NUDGE_ENGINE !== 'interpreter') {
      evaluateMany(f, { x: new Float64Array(4096), y: new Float64Array(4096) });
      expect(f.engine).toBe('compiled');
    }
    f.dispose();
  });

  it('calls compiled code for a few rows only when the tape is mostly calls into the kernel (sin, exp): the interpreter runs big batches faster', async () => {
    const { getKernel } = await import('../kernel/instance.js');
    const field = (f: CompiledFunction) => getKernel().heap.i32()[(f.descriptor >> 2) + 11]!;
    const trig = compile('sin(x)*exp(-y*y) + x*x*y', { engine: 'compiled' });
    const poly = compile('x*x*y - 3*x*y*y + 2*x - y + 1', { engine: 'compiled' });
    expect(field(trig)).toBeLessThan(0);
    expect(field(poly)).toBeGreaterThan(0);
    trig.dispose();
    poly.dispose();
  });

  it('rejects an unknown engine', () => {
    expect(() => compile('x', { engine: 'jit' as Engine })).toThrow(/unknown engine 'jit': use compiled or interpreter/);
  });
});

describe('where WebAssembly cannot be compiled at run time', () => {
  it('the default engine falls back to the interpreter, with the same answers; engine compiled says why it cannot', () => {
    const real = WebAssembly.Module;
    const refuse = function Module(): never {
      throw new RangeError('WebAssembly.Module is disallowed on the main thread, if the buffer size is larger than 4KB');
    } as unknown as typeof WebAssembly.Module;
    // The platform refusing is simulated (Node has no main-thread limit or CSP); the kernel is already instantiated.
    // (The default engine, whatever NUDGE_ENGINE the suite runs under.)
    const env = process.env.NUDGE_ENGINE;
    delete process.env.NUDGE_ENGINE;
    (WebAssembly as { Module: typeof WebAssembly.Module }).Module = refuse;
    try {
      const f = compile('x*y + sin(x) + 17.25');
      const xs = Float64Array.from({ length: 4096 }, (_, i) => i / 100);
      const values = evaluateMany(f, { x: xs, y: xs });
      expect(f.engine).toBe('interpreter');
      expect(values[100]).toBeCloseTo(1 + Math.sin(1) + 17.25, 14);
      f.dispose();
      expect(() => compile('x*y + 17.5', { engine: 'compiled' })).toThrow(/the compiled engine cannot compile 'x\*y \+ 17\.5' here .*4KB.*: use the interpreter, or compile in a worker/);
    } finally {
      (WebAssembly as { Module: typeof WebAssembly.Module }).Module = real;
      if (env !== undefined) process.env.NUDGE_ENGINE = env;
    }
  });
});
