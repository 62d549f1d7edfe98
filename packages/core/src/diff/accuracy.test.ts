import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile, derivative, type DerivativeMethod } from '../index.js';

/**
 * Finite differences against an independent truth: derivatives computed by
 * SymPy (test-data/make-derivative-table.py, committed with its output).
 * Prints the accuracy figures that docs and the issue notes quote.
 */
interface Case {
  id: string;
  expr: string;
  wrt: string;
  at: Record<string, number>;
  value: number;
  derivative: number;
  scale: 'normal' | 'small' | 'large';
}

const table = JSON.parse(readFileSync(new URL('../../test-data/derivative-table.json', import.meta.url), 'utf8')) as { cases: Case[] };

interface Measured {
  c: Case;
  relError: number;
  covered: boolean;
}

function measure(method: DerivativeMethod, h?: number | 'auto'): Measured[] {
  return table.cases.map((c) => {
    const f = compile(c.expr, { variables: Object.keys(c.at) });
    try {
      const r = derivative(f, c.at, { method, wrt: c.wrt, ...(h !== undefined ? { h } : {}) });
      const error = Math.abs(r.derivative - c.derivative);
      return { c, relError: error / Math.abs(c.derivative), covered: r.errorEstimate !== null && r.errorEstimate >= error };
    } finally {
      f.dispose();
    }
  });
}

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

function summary(name: string, rows: Measured[]): Record<string, string | number> {
  const rel = rows.map((r) => r.relError);
  return {
    method: name,
    cases: rows.length,
    'median rel. error': quantile(rel, 0.5).toExponential(1),
    'p95 rel. error': quantile(rel, 0.95).toExponential(1),
    'max rel. error': Math.max(...rel).toExponential(1),
    'estimate >= true error': `${((100 * rows.filter((r) => r.covered).length) / rows.length).toFixed(1)}%`,
  };
}

describe('finite differences against SymPy', () => {
  it('checks the table itself: f at each point agrees with the kernel', () => {
    expect(table.cases.length).toBeGreaterThanOrEqual(200);
    for (const c of table.cases) {
      const f = compile(c.expr, { variables: Object.keys(c.at) });
      const v = f ? derivative(f, c.at, { wrt: c.wrt }).value : NaN;
      f.dispose();
      expect(Math.abs(v - c.value), c.id).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(c.value)));
    }
  });

  it('Richardson reaches ~1e-12 relative error, and its estimate covers the true error in 95% of cases', () => {
    const rows = measure('richardson');
    const normal = rows.filter((r) => r.c.scale === 'normal');
    const report = [summary('richardson (all)', rows), summary('richardson (well scaled)', normal)];
    for (const m of ['central', 'forward'] as const) report.push(summary(`${m} h=auto`, measure(m, 'auto')));
    report.push(summary('forward h=1e-4', measure('forward')));
    console.table(report);
    const worst = [...rows].sort((a, b) => b.relError - a.relError).slice(0, 5);
    console.log('worst richardson cases:', worst.map((w) => `${w.c.id} ${w.c.expr} ${w.relError.toExponential(1)}`).join('; '));

    expect(quantile(normal.map((r) => r.relError), 0.5)).toBeLessThanOrEqual(1e-12);
    expect(quantile(normal.map((r) => r.relError), 0.95)).toBeLessThanOrEqual(1e-10);
    expect(rows.filter((r) => r.covered).length / rows.length).toBeGreaterThanOrEqual(0.95);
  });

  it('forward differences with the textbook step are only as good as h', () => {
    const rows = measure('forward');
    // Truncation error is O(h): about 1e-4 relative, never 1e-12.
    expect(quantile(rows.map((r) => r.relError), 0.5)).toBeGreaterThan(1e-7);
    expect(quantile(rows.map((r) => r.relError), 0.5)).toBeLessThan(1e-2);
  });
});
