import { evaluateIr } from '../ir/evaluate.js';
import { lower } from '../ir/lower.js';
import { Graph, variablesOf, type IrNode } from '../ir/node.js';
import { parse } from '../parse/parse.js';
import { differentiate } from '../symbolic/differentiate.js';
import { simplify } from '../symbolic/simplify.js';
import { allSteps } from './explain.js';
import { substitute } from './substitute.js';
import type { Step } from './types.js';

/** A step whose result is not what its kind says, at a point. */
export interface StepMismatch {
  readonly step: Step;
  readonly at: Readonly<Record<string, number>>;
  readonly expected: number;
  readonly got: number;
}

/**
 * Checks every step of a tree by itself, numerically: a derivative step's
 * result against the symbolic derivative of its expression (with `where` put
 * in), a rewrite's result against its expression, a limit's against its
 * expression at the limit point, a gradient's components against the
 * partial derivatives, a value against its expression at `at`. Each is
 * evaluated at `points` (a value for any variable a step uses; names a point
 * leaves out get `fallback`), and compared where both sides are finite.
 * Returns the mismatches (none when every step is right).
 */
export function verifySteps(
  steps: readonly Step[],
  points: readonly Readonly<Record<string, number>>[],
  tolerance = 1e-8,
  fallback = 0.7,
): StepMismatch[] {
  const out: StepMismatch[] = [];
  for (const step of allSteps(steps)) {
    const g = new Graph();
    const read = (text: string): IrNode => lower(g, parse(text));
    const pairs = expectations(g, step, read);
    for (const [expected, got] of pairs) {
      const names = [...new Set([...variablesOf(expected), ...variablesOf(got)])];
      const atPoints = step.kind === 'value' ? [step.at] : points;
      for (const p of atPoints) {
        const at = Object.fromEntries(names.map((n) => [n, p[n] ?? fallback]));
        const [e, r] = evaluateIr([expected, got], at);
        if (!Number.isFinite(e!) || !Number.isFinite(r!)) continue;
        if (Math.abs(e! - r!) > tolerance * Math.max(1, Math.abs(e!))) out.push({ step, at, expected: e!, got: r! });
      }
    }
  }
  return out;
}

/** The (expected, result) pairs a step claims are equal. */
function expectations(g: Graph, step: Step, read: (text: string) => IrNode): [IrNode, IrNode][] {
  const put = (node: IrNode, where: Readonly<Record<string, string>> | undefined): IrNode =>
    where ? substitute(g, node, new Map(Object.entries(where).map(([k, v]) => [k, read(v)]))) : node;
  switch (step.kind) {
    case 'derivative':
      return [[put(simplify(g, differentiate(g, read(step.expression), step.wrt)), step.where), read(step.result)]];
    case 'rewrite':
      return [[put(read(step.expression), step.where), read(step.result)]];
    case 'limit':
      return [[put(read(step.expression), { [step.variable]: String(step.to) }), read(step.result)]];
    case 'gradient': {
      const f = read(step.expression);
      return step.variables.map((v, i) => [simplify(g, differentiate(g, f, v)), read(step.components[i]!)]);
    }
    case 'value':
      return [[read(step.expression), g.constant(step.value)]];
    case 'define':
      return [];
  }
}
