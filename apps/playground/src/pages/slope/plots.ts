import type uPlot from 'uplot';
import { createChart, type Chart } from '../../components/chart.js';
import { SWEEP_STEPS } from './compute.js';

/** Colours: f dark, the secant orange, the h-secant purple (dashed), the tangent green. */
export const COLORS = { f: '#1d2330', derivative: '#2f5bd3', secant: '#c2410c', hSecant: '#7c3aed', tangent: '#047857' };

/** finite numbers, NaN and infinities as gaps. */
export const gaps = (values: ArrayLike<number>): (number | null)[] => Array.from(values, (v) => (Number.isFinite(v) ? v : null));

/** A y range that ignores the tails (2% each side), so a pole does not flatten the rest. */
export function robustRange(values: readonly (number | null)[]): [number, number] {
  const finite = values.filter((v): v is number => v !== null).sort((p, q) => p - q);
  if (finite.length === 0) return [-1, 1];
  const lo = finite[Math.floor(finite.length * 0.02)]!;
  const hi = finite[Math.ceil(finite.length * 0.98) - 1]!;
  const pad = hi > lo ? (hi - lo) * 0.08 : Math.max(1, Math.abs(lo) * 0.1);
  return [lo - pad, hi + pad];
}

const axes = (x: string, y: string): uPlot.Axis[] => [
  { label: x, stroke: '#5d6678', grid: { stroke: '#e6e9ef' } },
  { label: y, stroke: '#5d6678', grid: { stroke: '#e6e9ef' }, size: 56 },
];

/** f with the secant through A and B, the secant from x to x + h, and the tangent at x. */
export function functionChart(yRange: () => [number, number]): Chart {
  return createChart(
    'f (dark), the secant through A and B (orange), the secant from x to x + h (purple, dashed) and the tangent at x (green). Drag the points, or focus one and use the arrow keys.',
    280,
    {
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: false }, y: { range: () => yRange() } },
      axes: axes('x', 'f(x)'),
      series: [
        {},
        { label: 'f', stroke: COLORS.f, width: 2 },
        { label: 'secant A B', stroke: COLORS.secant, width: 2 },
        { label: 'secant x, x + h', stroke: COLORS.hSecant, width: 2, dash: [6, 4] },
        { label: 'tangent', stroke: COLORS.tangent, width: 1.5 },
      ],
    },
    [[], [], [], [], []],
  );
}

/** f' with the point x marked. */
export function derivativeChart(marker: () => { x: number; y: number } | undefined): Chart {
  return createChart(
    "f′, the exact derivative (automatic differentiation); the dot is the tangent's slope at x.",
    180,
    {
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: false } },
      axes: axes('x', "f'(x)"),
      series: [{}, { label: "f′", stroke: COLORS.derivative, width: 2 }],
      hooks: {
        draw: [
          (u) => {
            const m = marker();
            if (!m || !Number.isFinite(m.y)) return;
            const ctx = u.ctx;
            const cx = u.valToPos(m.x, 'x', true);
            const cy = u.valToPos(m.y, 'y', true);
            ctx.save();
            ctx.fillStyle = COLORS.tangent;
            ctx.beginPath();
            ctx.arc(cx, cy, 5 * devicePixelRatio, 0, 2 * Math.PI);
            ctx.fill();
            ctx.restore();
          },
        ],
      },
    },
    [[], []],
  );
}

export const SWEEP_SERIES = [
  { key: 'forward', label: 'forward difference', stroke: '#c2410c', dash: undefined },
  { key: 'central', label: 'central difference', stroke: '#2f5bd3', dash: undefined },
  { key: 'richardson', label: 'Richardson', stroke: '#7c3aed', dash: [6, 3] },
  { key: 'complex', label: 'complex step', stroke: '#047857', dash: [2, 3] },
  { key: 'exact', label: 'exact (the reference)', stroke: '#1d2330', dash: [10, 4] },
] as const;

/** Log-axis ticks: powers of ten (every other one when there are many), labelled 1e-8. */
function decadeSplits(_u: uPlot, _axis: number, min: number, max: number): number[] {
  const lo = Math.ceil(Math.log10(min) - 1e-9);
  const hi = Math.floor(Math.log10(max) + 1e-9);
  const every = hi - lo > 8 ? 2 : 1;
  const out: number[] = [];
  for (let k = hi; k >= lo; k -= every) out.unshift(10 ** k);
  return out;
}

const decadeLabel = (_u: uPlot, splits: number[]): string[] =>
  splits.map((v) => {
    if (!(v > 0)) return ''; // uPlot passes null for a tick it thins out
    const k = Math.round(Math.log10(v));
    return k === 0 ? '1' : `1e${k}`;
  });

/** The error of each method against h, both axes logarithmic. */
export function errorChart(): Chart {
  return createChart(
    'Error |estimate − exact| against the step h, both axes logarithmic. Forward and central differences fall with h (truncation) until rounding takes over and the error rises again: the V. Complex step and exact take no step. Errors below ε·max(1, |f′(x)|) are drawn on that floor.',
    300,
    {
      cursor: { show: false },
      legend: { show: true, live: false },
      scales: { x: { time: false, distr: 3, log: 10 }, y: { distr: 3, log: 10 } },
      axes: axes('step h', 'error').map((axis) => ({ ...axis, splits: decadeSplits, values: decadeLabel, ...(axis.size ? { size: 64 } : {}) })),
      series: [{}, ...SWEEP_SERIES.map((s) => ({ label: s.label, stroke: s.stroke, width: 2, ...(s.dash ? { dash: [...s.dash] } : {}) }))],
    },
    [SWEEP_STEPS, [], [], [], [], []],
  );
}
