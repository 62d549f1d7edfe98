import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile, evaluate, gradient } from '../index.js';
import { backprop } from './index.js';
import type { BackpropResult } from './types.js';

/** Expressions in x, y, z as a network has them: sums, products, quotients, powers, activations, corners (relu, min, max). */
const leaf = fc.constantFrom('x', 'y', 'z', 'x', '0.5', '2', '3');
const expr = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.tuple(tie('e'), fc.constantFrom('+', '-', '*'), tie('e')).map(([a, op, b]) => `(${a})${op}(${b})`),
    // Quotients by denominators away from 0: x/y is x*recip(y) in the IR and a division on the kernel's tape,
    // a rounding apart, which sin of a huge x/y turns into any difference at all.
    fc.tuple(tie('e'), fc.constantFrom('1 + ', '2 + sin', 'exp'), tie('e')).map(([a, d, b]) => `(${a})/(${d}(${b})${d === '1 + ' ? '^2' : ''})`),
    fc.tuple(tie('e'), fc.constantFrom('2', '3')).map(([a, k]) => `(${a})^${k}`),
    fc.tuple(fc.constantFrom('sin', 'cos', 'exp', 'tanh', 'sigmoid', 'atan', 'softplus', 'relu', '-'), tie('e')).map(([f, a]) => `${f}(${a})`),
    fc.tuple(fc.constantFrom('min', 'max'), tie('e'), tie('e')).map(([f, a, b]) => `${f}(${a}, ${b})`),
    tie('e').map((a) => `log(1 + (${a})^2)`),
    tie('e').map((a) => `sqrt(2 + sin(${a}))`),
  ),
})).e;
/** Coordinates, with the corners and ties that conventions decide (0, equal values) often enough to meet. */
const coordinate = fc.oneof(fc.double({ min: -2, max: 2, noNaN: true }), fc.constantFrom(0, 1, -1, 0.5, 2));
const point = fc.record({ x: coordinate, y: coordinate, z: coordinate });

const VARIABLES = ['x', 'y', 'z'];
const close = (a: number, b: number, scale: number) => Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(scale));

describe('backprop on generated expressions at random points', () => {
  it("gives the variables' adjoints equal to the kernel's exact gradient (reverse-mode AD)", () => {
    fc.assert(
      fc.property(expr, point, (text, at) => {
        const f = compile(text, { variables: VARIABLES });
        try {
          const r = backprop(f, at);
          const g = gradient(f, at);
          expect(Object.is(r.value, g.value) || close(r.value, g.value, g.value), `${text}: value`).toBe(true);
          for (const v of VARIABLES) {
            const want = g.gradient[v]!;
            const got = r.gradient[v]!;
            if (Number.isFinite(want)) expect(close(got, want, want), `${text} ∂f/∂${v} at ${JSON.stringify(at)}: ${got} vs ${want}`).toBe(true);
            else expect(Number.isFinite(got), `${text} ∂f/∂${v}: kernel ${want}, backprop ${got}`).toBe(false);
          }
        } finally {
          f.dispose();
        }
      }),
      { numRuns: 300 },
    );
  });

  it('gives each adjoint as the sum over its outgoing edges of the consumer’s adjoint times the local partial', () => {
    fc.assert(
      fc.property(expr, point, (text, at) => {
        const r = backprop(text, at, { variables: VARIABLES });
        checkAdjoints(r, text);
      }),
      { numRuns: 300 },
    );
  });

  it('gives each node’s forward value as evaluate gives its subexpression', () => {
    fc.assert(
      fc.property(expr, point, (text, at) => {
        const r = backprop(text, at, { variables: VARIABLES });
        for (const n of r.nodes) {
          const want = evaluate(n.text, at, { variables: VARIABLES }).value;
          const same = Object.is(n.value, want) || (Number.isNaN(n.value) && Number.isNaN(want)) || close(n.value, want, want);
          expect(same, `${text}: node ${n.name} = ${n.text}: ${n.value} vs ${want}`).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });
});

/** The chain rule in the data, checked from the edges alone (not from adjointTerms). */
function checkAdjoints(r: BackpropResult, text: string): void {
  expect(r.nodes[r.output]!.adjoint === 1 || r.nodes[r.output]!.kind === 'constant').toBe(true);
  for (const n of r.nodes) {
    const out = r.edges.filter((e) => e.from === n.id);
    if (n.kind === 'constant') {
      expect(n.adjoint).toBeNull();
      for (const e of out) expect(e.partial).toBeNull();
      continue;
    }
    for (const e of out) expect(Object.is(e.contribution, r.nodes[e.to]!.adjoint! * e.partial!), `${text}: edge ${e.id}`).toBe(true);
    expect([...n.adjointTerms].sort((a, b) => a - b)).toEqual(out.map((e) => e.id));
    if (n.id === r.output) continue;
    const terms = out.map((e) => r.nodes[e.to]!.adjoint! * e.partial!);
    const sum = terms.reduce((s, t) => s + t, 0);
    const size = terms.reduce((s, t) => s + Math.abs(t), 0);
    if (Number.isFinite(size)) expect(Math.abs(n.adjoint! - sum), `${text}: ∂f/∂${n.name}`).toBeLessThanOrEqual(1e-15 * size);
    else expect(Number.isFinite(n.adjoint!)).toBe(false);
  }
}
