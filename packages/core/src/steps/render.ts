import type { Step } from './types.js';

/** A step with its depth in the tree (0 for the top level). */
export interface FlatStep {
  readonly step: Step;
  readonly depth: number;
}

/** The tree in reading order: depth-first, each step before its details. */
export function flattenSteps(steps: readonly Step[], depth = 0): FlatStep[] {
  return steps.flatMap((step) => [{ step, depth }, ...flattenSteps(step.steps, depth + 1)]);
}

/**
 * The steps as plain text, one block per step, details indented under it:
 *
 *   Chain rule: sin(x^2) is a function of a function: y = sin(u), u = x^2. ...
 *     d/dx[sin(x^2)] = dy/du*du/dx = 2*x*cos(x^2)
 *     Chain rule: the inner derivative: The inner function is u = x^2; ...
 *       du/dx = d/dx[x^2] = 2*x
 */
export function renderSteps(steps: readonly Step[], indent = '  '): string {
  return flattenSteps(steps)
    .map(({ step, depth }) => {
      const pad = indent.repeat(depth);
      return `${pad}${step.title}: ${step.text}\n${pad}${indent}${step.equation}`;
    })
    .join('\n');
}
