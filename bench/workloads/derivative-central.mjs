// Benchmark 3: d/dx of sin(x)*exp(-x*x/10) + x^3 by central differences,
// h = 1e-4. Nudge's central method evaluates f five times per point (f(x)
// for the value, f(x +- h) for the derivative, f(x +- 2h) for the error
// estimate); the textbook JS version evaluates it twice. Both are timed, and
// so is a JS version of the same five-evaluation stencil, so that the
// comparison is honest both ways. Nudge runs with the tape compiled to
// WebAssembly (the rows without a note) and with the interpreter.
import { compile, derivative, derivativeMany } from '@nudge/core';
import { agreement, engineIs, identical } from '../lib/check.mjs';
import { copiesReplica } from '../lib/contenders.mjs';
import { seededColumns } from '../lib/rng.mjs';

const H = 1e-4;
const EXPRESSION = 'sin(x)*exp(-x*x/10) + x^3';
const EXPRESSION_PRODUCT = 'sin(x)*exp(-x*x/10) + x*x*x';
/** Machine epsilon, as the kernel's error estimate uses it. */
const EPS = 2.220446049250313e-16;
/** Derivatives of a central difference differ by about eps * |f| / h between two correct libms. */
const DERIVATIVE_TOLERANCE = 1e-9;
const VALUE_TOLERANCE = 1e-12;

const f = (x) => Math.sin(x) * Math.exp((-x * x) / 10) + x * x * x;

/** The textbook central difference, (f(x+h) - f(x-h)) / 2h: two evaluations per point. */
function centralTwo(xs, h) {
  const n = xs.length;
  const out = new Float64Array(n);
  const twoH = 2 * h;
  for (let i = 0; i < n; i++) {
    const x = xs[i];
    out[i] = (f(x + h) - f(x - h)) / twoH;
  }
  return out;
}

/** Nudge's central stencil in JS: f(x), f(x+-h), f(x+-2h), the same derivative, value and error estimate. */
function centralFive(xs, h) {
  const n = xs.length;
  const value = new Float64Array(n);
  const deriv = new Float64Array(n);
  const errorEstimate = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = xs[i];
    const f0 = f(x);
    const fp1 = f(x + h);
    const fm1 = f(x - h);
    const fp2 = f(x + 2 * h);
    const fm2 = f(x - 2 * h);
    const d = (fp1 - fm1) / (2 * h);
    const d2 = (fp2 - fm2) / (4 * h);
    const rounding = (EPS * Math.max(Math.abs(fp1), Math.abs(fm1))) / h;
    value[i] = f0;
    deriv[i] = d;
    errorEstimate[i] = (2 * Math.abs(d2 - d)) / 3 + 2 * rounding;
  }
  return { value, derivative: deriv, errorEstimate };
}

export default {
  workload: 'd/dx sin(x)*exp(-x*x/10) + x^3 (central, h=1e-4)',
  expression: EXPRESSION,
  setup({ points, seed }) {
    const { x } = seededColumns(['x'], points, { seed });
    // Every function asks for its engine explicitly (asserted in check()).
    const fn = compile(EXPRESSION, { variables: ['x'], engine: 'compiled' });
    const interpreted = compile(EXPRESSION, { variables: ['x'], engine: 'interpreter' });
    const floor = compile('x', { variables: ['x'], engine: 'compiled' });
    // The same function with x^3 as a product: the tape compiler turns x^2
    // into x*x but x^3 into a call to pow, which the JS closure does not make.
    const cubeAsProduct = compile(EXPRESSION_PRODUCT, { variables: ['x'], engine: 'compiled' });
    const options = { method: 'central', h: H };
    // How many times Nudge evaluates f per derivative, from the public API.
    const evaluations = derivative(fn, 0.5, options).evaluations;
    const impls = [
      {
        implementation: `Nudge derivativeMany, compiled tape (${evaluations} evals/point)`,
        role: 'nudge',
        engine: 'compiled',
        points,
        run: () => derivativeMany(fn, { x }, options),
      },
      {
        implementation: `Nudge derivativeMany, interpreter (${evaluations} evals/point)`,
        role: 'nudge-interpreter',
        engine: 'interpreter',
        points,
        run: () => derivativeMany(interpreted, { x }, options),
      },
      { implementation: 'JS closure central (2 evals/point)', role: 'closure', points, run: () => centralTwo(x, H) },
      { implementation: 'JS closure, same stencil (5 evals/point)', role: 'closure5', points, run: () => centralFive(x, H) },
      {
        implementation: 'Nudge derivativeMany, x^3 written x*x*x',
        role: 'variant',
        engine: 'compiled',
        points,
        run: () => derivativeMany(cubeAsProduct, { x }, options),
      },
      {
        implementation: 'Nudge derivativeMany of f = x (API floor, compiled)',
        role: 'floor',
        engine: 'compiled',
        points,
        run: () => derivativeMany(floor, { x }, options),
      },
      { implementation: 'API copies alone (JS replica)', role: 'copies', points, run: copiesReplica([x], points, 3) },
      {
        implementation: 'copies without packing (JS replica)',
        role: 'copies-min',
        points,
        run: copiesReplica([x], points, 3, { pack: false }),
      },
    ];
    return {
      impls,
      evaluations,
      check() {
        const role = (r) => impls.find((impl) => impl.role === r);
        const nudge = role('nudge').run();
        const interp = role('nudge-interpreter').run();
        const variant = role('variant').run();
        const two = centralTwo(x, H);
        const five = centralFive(x, H);
        const name = role('nudge').implementation;
        const iname = role('nudge-interpreter').implementation;
        return [
          engineIs(name, fn, 'compiled'),
          engineIs(iname, interpreted, 'interpreter'),
          engineIs(role('variant').implementation, cubeAsProduct, 'compiled'),
          engineIs(role('floor').implementation, floor, 'compiled'),
          ...['value', 'derivative', 'errorEstimate'].map((k) => identical({ implementation: name, against: iname, what: k === 'errorEstimate' ? 'error estimate' : k, a: nudge[k], b: interp[k] })),
          agreement({ implementation: name, against: 'JS central (2 evals)', what: 'derivative', a: nudge.derivative, b: two, tolerance: DERIVATIVE_TOLERANCE }),
          agreement({ implementation: name, against: 'JS same stencil', what: 'derivative', a: nudge.derivative, b: five.derivative, tolerance: DERIVATIVE_TOLERANCE }),
          agreement({ implementation: name, against: 'JS same stencil', what: 'value', a: nudge.value, b: five.value, tolerance: VALUE_TOLERANCE }),
          agreement({ implementation: role('variant').implementation, against: 'JS central (2 evals)', what: 'derivative', a: variant.derivative, b: two, tolerance: DERIVATIVE_TOLERANCE }),
          agreement({ implementation: name, against: 'JS same stencil', what: 'error estimate', a: nudge.errorEstimate, b: five.errorEstimate, tolerance: DERIVATIVE_TOLERANCE }),
        ];
      },
      dispose() {
        fn.dispose();
        interpreted.dispose();
        floor.dispose();
        cubeAsProduct.dispose();
      },
    };
  },
};
