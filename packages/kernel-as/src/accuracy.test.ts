// The accuracy report of the finite-difference methods: every smooth op of the
// kernel (and a few compositions) at points inside its domain, through both
// paths: the closure path (JS Math, the kernel's stencil arithmetic) and the
// tape path (`derivative`, the kernel's Math). Prints the figures; asserts the
// richardson targets. Run alone: npm run accuracy
import { describe, expect, it } from 'vitest';
import { Method, type MethodName } from './index.js';
import { closureDerivative } from './test-support/closure.js';
import { Heap, loadKernel } from './test-support/heap.js';
import { evalExpr } from './test-support/reference.js';
import { tapeOf, type Expr } from './test-support/tape.js';

const x: Expr = { v: 0 };
const op = (name: Extract<Expr, { op: string }>['op'], ...args: Expr[]): Expr => ({ op: name, args });
const un = (name: Extract<Expr, { op: string }>['op']) => op(name, x);
const sig = (t: number) => 1 / (1 + Math.exp(-t));

interface Case {
  name: string;
  f: Expr;
  df: (t: number) => number;
  range: [number, number];
}

const cases: Case[] = [
  { name: 'sin', f: un('sin'), df: Math.cos, range: [0.2, 3] },
  { name: 'cos', f: un('cos'), df: (t) => -Math.sin(t), range: [0.2, 3] },
  { name: 'tan', f: un('tan'), df: (t) => 1 / Math.cos(t) ** 2, range: [0.2, 1.4] },
  { name: 'exp', f: un('exp'), df: Math.exp, range: [0.2, 3] },
  { name: 'log', f: un('log'), df: (t) => 1 / t, range: [0.2, 3] },
  { name: 'log10', f: un('log10'), df: (t) => 1 / (t * Math.LN10), range: [0.2, 3] },
  { name: 'log2', f: un('log2'), df: (t) => 1 / (t * Math.LN2), range: [0.2, 3] },
  { name: 'sqrt', f: un('sqrt'), df: (t) => 0.5 / Math.sqrt(t), range: [0.2, 3] },
  { name: 'cbrt', f: un('cbrt'), df: (t) => 1 / (3 * Math.cbrt(t) ** 2), range: [0.2, 3] },
  { name: 'asin', f: un('asin'), df: (t) => 1 / Math.sqrt(1 - t * t), range: [0.2, 0.9] },
  { name: 'acos', f: un('acos'), df: (t) => -1 / Math.sqrt(1 - t * t), range: [0.2, 0.9] },
  { name: 'atan', f: un('atan'), df: (t) => 1 / (1 + t * t), range: [0.2, 3] },
  { name: 'sinh', f: un('sinh'), df: Math.cosh, range: [0.2, 3] },
  { name: 'cosh', f: un('cosh'), df: Math.sinh, range: [0.2, 3] },
  { name: 'tanh', f: un('tanh'), df: (t) => 1 - Math.tanh(t) ** 2, range: [0.2, 3] },
  { name: 'asinh', f: un('asinh'), df: (t) => 1 / Math.sqrt(t * t + 1), range: [0.2, 3] },
  { name: 'acosh', f: un('acosh'), df: (t) => 1 / Math.sqrt(t * t - 1), range: [1.2, 3] },
  { name: 'atanh', f: un('atanh'), df: (t) => 1 / (1 - t * t), range: [0.2, 0.9] },
  { name: 'sigmoid', f: un('sigmoid'), df: (t) => sig(t) * (1 - sig(t)), range: [0.2, 3] },
  { name: 'softplus', f: un('softplus'), df: sig, range: [0.2, 3] },
  { name: 'recip', f: un('recip'), df: (t) => -1 / (t * t), range: [0.2, 3] },
  { name: 'square', f: un('square'), df: (t) => 2 * t, range: [0.2, 3] },
  { name: 'x^x', f: op('pow', x, x), df: (t) => t ** t * (Math.log(t) + 1), range: [0.2, 3] },
  { name: 'x^2.5', f: op('pow', x, 2.5), df: (t) => 2.5 * t ** 1.5, range: [0.2, 3] },
  {
    name: 'sin(x)exp(-x^2)+x^2',
    f: op('add', op('mul', un('sin'), op('exp', op('neg', un('square')))), un('square')),
    df: (t) => Math.cos(t) * Math.exp(-t * t) - 2 * t * Math.sin(t) * Math.exp(-t * t) + 2 * t,
    range: [0.2, 3],
  },
  { name: '1/(1+x^2)', f: op('div', 1, op('add', 1, un('square'))), df: (t) => (-2 * t) / (1 + t * t) ** 2, range: [0.2, 3] },
  { name: 'exp(sin x)', f: op('exp', un('sin')), df: (t) => Math.cos(t) * Math.exp(Math.sin(t)), range: [0.2, 3] },
  { name: 'log(1+x^2)', f: op('log', op('add', 1, un('square'))), df: (t) => (2 * t) / (1 + t * t), range: [0.2, 3] },
];

const POINTS_PER_CASE = 16;

interface Figures {
  n: number;
  median: number;
  p95: number;
  max: number;
  covered: number;
  worst: string;
}

function figures(rows: { rel: number; err: number; est: number; label: string }[]): Figures {
  const sorted = [...rows].sort((a, b) => a.rel - b.rel);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!.rel;
  return {
    n: rows.length,
    median: q(0.5),
    p95: q(0.95),
    max: sorted[sorted.length - 1]!.rel,
    covered: rows.filter((r) => r.est >= r.err).length / rows.length,
    worst: sorted[sorted.length - 1]!.label,
  };
}

const heap = new Heap(loadKernel('release'));

function measure(method: MethodName, path: 'closure' | 'tape'): Figures {
  const rows: { rel: number; err: number; est: number; label: string }[] = [];
  for (const c of cases) {
    const [a, b] = c.range;
    const xs = Array.from({ length: POINTS_PER_CASE }, (_, i) => a + ((b - a) * (i + 0.5)) / POINTS_PER_CASE);
    let results: { d: number; e: number }[];
    if (path === 'closure') {
      results = xs.map((t) => {
        const r = closureDerivative(heap, (u) => evalExpr(c.f, [u]), t, Method[method], NaN);
        return { d: r.derivative, e: r.error };
      });
    } else {
      const fn = heap.compile(tapeOf(1, c.f));
      const n = xs.length;
      const [pts, dir, v, d, e] = [heap.putF64(xs), heap.putF64([1]), heap.alloc(n * 8), heap.alloc(n * 8), heap.alloc(n * 8)];
      heap.kernel.derivative(fn, pts, n, dir, Method[method], NaN, v, d, e);
      const ds = heap.getF64(d, n);
      const es = heap.getF64(e, n);
      results = ds.map((dv, i) => ({ d: dv, e: es[i]! }));
    }
    xs.forEach((t, i) => {
      const want = c.df(t);
      const err = Math.abs(results[i]!.d - want);
      rows.push({ rel: err / Math.abs(want), err, est: results[i]!.e, label: `${c.name} at ${t.toFixed(4)}` });
    });
  }
  return figures(rows);
}

describe('accuracy of the finite-difference methods (automatic steps)', () => {
  const methods: MethodName[] = ['forward', 'backward', 'central', 'richardson'];
  const table: string[] = [];
  const results = new Map<string, Figures>();
  for (const method of methods) {
    for (const path of ['closure', 'tape'] as const) {
      const fig = measure(method, path);
      results.set(`${method}/${path}`, fig);
      table.push(
        [
          `${method}/${path}`.padEnd(20),
          String(fig.n).padStart(4),
          fig.median.toExponential(2).padStart(10),
          fig.p95.toExponential(2).padStart(10),
          fig.max.toExponential(2).padStart(10),
          `${(fig.covered * 100).toFixed(1)}%`.padStart(8),
          `  ${fig.worst}`,
        ].join(''),
      );
    }
  }
  console.log(
    [
      `relative error |d - f'| / |f'| over ${cases.length} functions x ${POINTS_PER_CASE} points; covered = error estimate >= true error`,
      `${'method/path'.padEnd(20)}${'n'.padStart(4)}${'median'.padStart(10)}${'p95'.padStart(10)}${'max'.padStart(10)}${'covered'.padStart(8)}  worst case`,
      ...table,
    ].join('\n'),
  );

  it.each(['closure', 'tape'])('richardson (%s path): median < 1e-13, max < 1e-11, estimate covers >= 95%%', (path) => {
    const fig = results.get(`richardson/${path}`)!;
    expect(fig.n).toBeGreaterThanOrEqual(100);
    expect(fig.median).toBeLessThan(1e-13);
    expect(fig.max).toBeLessThan(1e-11);
    expect(fig.covered).toBeGreaterThanOrEqual(0.95);
  });

  it.each(['forward', 'backward', 'central'] as const)('%s: the estimate covers the true error in >= 95%% of cases', (method) => {
    for (const path of ['closure', 'tape']) expect(results.get(`${method}/${path}`)!.covered).toBeGreaterThanOrEqual(0.95);
    expect(results.get(`${method}/tape`)!.median).toBeLessThan(method === 'central' ? 1e-9 : 1e-6);
  });
});
