import type { CompiledFunction } from '../api/compiled.js';
import { norm, solve, symmetricEigenvalues, type Matrix } from './linalg.js';
import { secondOrderAt } from './second-order.js';

export type CriticalKind = 'minimum' | 'maximum' | 'saddle' | 'degenerate';

export interface CriticalSearch {
  point: number[];
  value: number;
  gradient: number[];
  hessian: Matrix;
  eigenvalues: number[];
  kind: CriticalKind;
  status: 'converged' | 'not-converged';
  iterations: number;
  /** Why the search stopped, for people. */
  reason: string;
}

export interface CriticalOptions {
  /** Stop when |∇f| falls to this (default 1e-10, relative to max(1, |∇f|) at the start). */
  tol?: number;
  maxIterations?: number;
}

/**
 * A critical point (∇f = 0) near a start: Newton's method on the gradient,
 * H p = -∇f, safeguarded by a backtracking line search (on f where H is
 * definite, on ½|∇f|² elsewhere) and by Levenberg-Marquardt damping where H
 * is singular or the step fails; near the point, plain Newton steps polish it
 * to rounding. Then the Hessian's eigenvalues say what the point is.
 */
export function findCritical(fn: CompiledFunction, start: ArrayLike<number>, options: CriticalOptions = {}): CriticalSearch {
  const tol = options.tol ?? 1e-10;
  const maxIterations = options.maxIterations ?? 100;
  const n = start.length;
  let x = Array.from(start);
  let at = secondOrderAt(fn, x);
  let iterations = 0;
  let reason = '';
  let damping = 0;
  const merit = (g: readonly number[]): number => 0.5 * g.reduce((s, v) => s + v * v, 0);
  const scale = Math.max(1, norm(at.gradient));
  const small = (g: readonly number[]): boolean => norm(g) <= tol * scale;

  while (!small(at.gradient)) {
    if (iterations >= maxIterations) {
      reason = `no critical point within ${maxIterations} Newton steps`;
      break;
    }
    if (!at.gradient.every(Number.isFinite) || !Number.isFinite(at.value)) {
      reason = 'f or its gradient is not finite here';
      break;
    }
    iterations++;
    const phi = merit(at.gradient);
    // Where H is definite the Newton step goes down (or up) f itself: search along it on f,
    // which finds minima and maxima robustly (Rosenbrock). Elsewhere, on ½|∇f|², which
    // also finds saddles.
    const eig = symmetricEigenvalues(at.hessian);
    const curvature = eig.every((v) => v > 0) ? 1 : eig.every((v) => v < 0) ? -1 : 0;
    let moved = false;
    // The Newton step, then increasingly damped steps (H + λI) p = -g (λ of H's sign).
    for (let attempt = 0; attempt < 30 && !moved; attempt++) {
      const lambda = (curvature < 0 ? -1 : 1) * damping;
      const a = at.hessian.map((row, i) => row.map((v, j) => (i === j ? v + lambda : v)));
      const p = solve(a, at.gradient.map((v) => -v));
      if (p && p.every(Number.isFinite)) {
        const slope = p.reduce((s, pi, i) => s + pi * at.gradient[i]!, 0);
        const onF = curvature !== 0 && slope * curvature < 0;
        for (let alpha = 1; alpha > 1e-10 && !moved; alpha /= 2) {
          const trial = x.map((xi, i) => xi + alpha * p[i]!);
          const next = secondOrderAt(fn, trial);
          if (!Number.isFinite(next.value)) continue;
          const better = onF
            ? curvature * (next.value - at.value) <= 1e-4 * alpha * curvature * slope
            : merit(next.gradient) <= (1 - 1e-4 * alpha) * phi;
          if (better) {
            x = trial;
            at = next;
            moved = true;
            damping = damping / 10 < 1e-12 ? 0 : damping / 10;
          }
        }
      }
      if (!moved) damping = damping === 0 ? 1e-6 * Math.max(1, ...eig.map(Math.abs)) : damping * 10;
    }
    if (!moved) {
      reason = 'Newton steps no longer reduce |∇f| (a region with no critical point nearby?)';
      break;
    }
  }
  // Newton converges quadratically here: a few plain steps take the point to rounding.
  for (let polish = 0; polish < 3 && small(at.gradient); polish++) {
    const p = solve(at.hessian, at.gradient.map((v) => -v));
    if (!p) break;
    const next = secondOrderAt(fn, x.map((xi, i) => xi + p[i]!));
    if (!(merit(next.gradient) < merit(at.gradient))) break;
    x = x.map((xi, i) => xi + p[i]!);
    at = next;
  }
  const converged = small(at.gradient);
  const eigenvalues = at.hessian.every((r) => r.every(Number.isFinite)) ? symmetricEigenvalues(at.hessian) : new Array<number>(n).fill(NaN);
  return {
    point: x,
    value: at.value,
    gradient: at.gradient,
    hessian: at.hessian,
    eigenvalues,
    kind: classify(eigenvalues),
    status: converged ? 'converged' : 'not-converged',
    iterations,
    reason: converged ? `|∇f| = ${norm(at.gradient).toExponential(1)} after ${iterations} Newton steps` : reason,
  };
}

/** From the Hessian's eigenvalues: all positive, a minimum; all negative, a maximum; both signs, a saddle. */
export function classify(eigenvalues: readonly number[]): CriticalKind {
  const scale = Math.max(1e-300, ...eigenvalues.map(Math.abs));
  // Newton stops within ~1e-10 of the point, where a zero eigenvalue reads as ~1e-6 of the others.
  const zero = (v: number) => !(Math.abs(v) > 1e-5 * scale);
  if (eigenvalues.length === 0 || eigenvalues.some((v) => !Number.isFinite(v))) return 'degenerate';
  const pos = eigenvalues.some((v) => !zero(v) && v > 0);
  const neg = eigenvalues.some((v) => !zero(v) && v < 0);
  if (pos && neg) return 'saddle';
  if (eigenvalues.some(zero)) return 'degenerate';
  return pos ? 'minimum' : 'maximum';
}
