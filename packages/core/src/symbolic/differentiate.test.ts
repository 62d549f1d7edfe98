import { describe, expect, it } from 'vitest';
import { evaluateIr } from '../ir/evaluate.js';
import { lower } from '../ir/lower.js';
import { Graph, reachable, type IrNode } from '../ir/node.js';
import { print } from '../ir/print.js';
import { parse } from '../parse/parse.js';
import { differentiate } from './differentiate.js';
import { derivativeIr, describe as describeNode, symbolicDerivative } from './index.js';
import { simplify } from './simplify.js';

const ir = (text: string, g = new Graph()): IrNode => lower(g, parse(text));

describe('differentiate: the chain rule over the DAG', () => {
  it('differentiates each node once: a shared subexpression stays shared', () => {
    const g = new Graph();
    // u = sin(x*y) is used three times; its derivative is built once.
    const f = ir('sin(x*y)^2 + exp(sin(x*y)) + sin(x*y)', g);
    const d = differentiate(g, f, 'x');
    const coss = reachable([d]).filter((n) => n.op === 'cos');
    expect(coss).toHaveLength(1);
    expect(evaluateIr([d], { x: 0.3, y: 2 })[0]).toBeCloseTo(
      (2 * Math.sin(0.6) + Math.exp(Math.sin(0.6)) + 1) * Math.cos(0.6) * 2,
      12,
    );
  });

  it('leaves dead terms out as it builds: derivatives of constants and other variables vanish', () => {
    const g = new Graph();
    expect(differentiate(g, ir('x^2*y + sin(z) + 3', g), 'z')).toBe(ir('cos(z)', g));
    expect(differentiate(g, ir('y*exp(y)', g), 'x')).toBe(g.constant(0));
    expect(differentiate(g, ir('5', g), 'x')).toBe(g.constant(0));
    expect(differentiate(g, ir('x', g), 'x')).toBe(g.constant(1));
    // no multiplication by 1 or 0 in the raw result
    const d = differentiate(g, ir('sin(x) + y', g), 'x');
    expect(print(d)).toBe('cos(x)');
  });

  it('is linear in the size of a DAG whose tree is exponential', () => {
    // u_{k+1} = exp(-u_k)/(1 + u_k^2), 50 deep: a tree of 2^50 nodes, a DAG of a few hundred.
    const g = new Graph();
    const x = g.variable('x');
    let u = x;
    for (let k = 0; k < 50; k++) {
      const den = g.apply('add', [g.constant(1), g.apply('pow', [u, g.constant(2)])]);
      u = g.apply('mul', [g.apply('exp', [g.apply('neg', [u])]), g.apply('recip', [den])]);
    }
    const t0 = performance.now();
    const d = differentiate(g, u, 'x');
    const s = simplify(g, d);
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(reachable([d]).length).toBeLessThan(3000);
    // the same number as forward-mode dual numbers through the recurrence
    let [v, dv] = [0.3, 1];
    for (let k = 0; k < 50; k++) {
      const w = Math.exp(-v) / (1 + v * v);
      dv *= -w - (2 * v * w) / (1 + v * v);
      v = w;
    }
    const [raw, simplified] = evaluateIr([d, s], { x: 0.3 });
    expect(Math.abs(raw! - dv) / Math.abs(dv)).toBeLessThan(1e-10);
    expect(Math.abs(simplified! - dv) / Math.abs(dv)).toBeLessThan(1e-10);
    // too large to print, and says so
    expect(() => describeNode(g, s)).toThrow(/too large to print/);
    expect(derivativeIr({ graph: g, node: u }, 'x').size).toBeGreaterThan(1e6);
  });

  it('refuses the vector operations with a clear error', () => {
    const g = new Graph();
    const fake = { id: -1, op: 'sum', args: [g.variable('x')], value: NaN, name: '' } as unknown as IrNode;
    expect(() => differentiate(g, fake, 'x')).toThrow(/does not support the vector operation 'sum'/);
  });
});

describe('large inputs terminate quickly', () => {
  const timed = (text: string, wrt = 'x'): { ms: number; expression: string; size: number } => {
    const t0 = performance.now();
    const d = symbolicDerivative(text, wrt);
    return { ms: performance.now() - t0, expression: d.expression, size: d.size };
  };

  it('a 200-term sum', () => {
    const text = Array.from({ length: 200 }, (_, k) => `${k + 1}*sin(${k + 1}*x)*x^${k % 7}`).join(' + ');
    const r = timed(text);
    expect(r.ms).toBeLessThan(5000);
    const g = new Graph();
    const f = lower(g, parse(text));
    const d = symbolicDerivative({ graph: g, node: f }, 'x');
    const at = { x: 0.37 };
    const h = 1e-6;
    const [fp, fm] = evaluateIr([f], { x: 0.37 + h }).concat(evaluateIr([f], { x: 0.37 - h }));
    expect(evaluateIr([d.node], at)[0]! / ((fp! - fm!) / (2 * h))).toBeCloseTo(1, 6);
  });

  it('a 200-term sum of neurons, and a polynomial of degree 199', () => {
    expect(timed(Array.from({ length: 200 }, (_, k) => `sigmoid(w${k}*x + b${k})`).join(' + ')).ms).toBeLessThan(5000);
    const poly = timed(Array.from({ length: 200 }, (_, k) => `${k + 1}*x^${k}`).join(' + '));
    expect(poly.ms).toBeLessThan(5000);
    expect(poly.expression.startsWith('39800*x^198 + 39402*x^197 + ')).toBe(true);
    expect(poly.expression.endsWith(' + 6*x + 2')).toBe(true);
  });

  it.each([
    ['sin', (s: string) => `sin(${s})`, 'x'],
    ['sigmoid', (s: string) => `sigmoid(2*${s} + 1)`, 'x'],
    ['tanh neurons', (s: string) => `tanh(w*${s} + b)`, 'w'],
    ['squares', (s: string) => `(${s})^2 + x`, 'x'],
    ['log and sqrt', (s: string) => `log(1 + sqrt(${s})^2)`, 'x'],
  ])('compositions 50 deep: %s', (_name, wrap, wrt) => {
    let s = 'x';
    for (let k = 0; k < 50; k++) s = wrap(s);
    const r = timed(s, wrt);
    expect(r.ms).toBeLessThan(5000);
    expect(r.size).toBeGreaterThan(50);
  });
});
