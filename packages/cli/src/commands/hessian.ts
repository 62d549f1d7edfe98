import type { Command } from 'commander';
import { critical, formatNumber, hessian } from '@nudge/core';
import type { Context } from '../context.js';
import { printJson, printLines } from '../output.js';
import { parsePointSpec } from '../point-spec.js';
import { describeAt, describeVector } from './describe.js';

/** Rows of a matrix, aligned for people. */
function matrixLines(variables: string[], m: number[][]): string[] {
  const cells = m.map((row) => row.map((v) => formatNumber(v, 10)));
  const width = Math.max(...cells.flat().map((c) => c.length), ...variables.map((v) => v.length));
  const pad = (s: string) => s.padStart(width);
  return [
    `      ${variables.map(pad).join('  ')}`,
    ...cells.map((row, i) => `  ${variables[i]!.padEnd(3)} ${row.map(pad).join('  ')}`),
  ];
}

export function registerHessian(program: Command, ctx: Context): void {
  program
    .command('hessian')
    .description('the Hessian at a point: the matrix of second partial derivatives, exact')
    .argument('<expression>', 'the function, e.g. "x^2*y"')
    .requiredOption('--at <point>', 'the point: x=1,y=2')
    .option('--json', 'print one JSON object')
    .addHelpText('after', '\nExample:\n  nudge hessian "x^2*y" --at x=1,y=2     # [[4, 2], [2, 0]]')
    .action((expression: string, flags: { at: string; json?: boolean }) => {
      ctx.expression = expression;
      const r = hessian(expression, parsePointSpec(flags.at, '--at'));
      if (flags.json) {
        printJson(ctx.io, { value: r.value, variables: r.variables, hessian: r.hessian, gradient: r.gradient, at: r.at, ...(r.warning ? { warning: r.warning } : {}) });
        return;
      }
      printLines(ctx.io, [
        `Hessian of ${expression.trim()}${describeAt(r.at)}`,
        ...matrixLines(r.variables, r.hessian),
        `  gradient: ${describeVector(r.gradient)}; value: f = ${formatNumber(r.value)}`,
        r.warning && `warning: ${r.warning}`,
      ]);
    });
}

export function registerCritical(program: Command, ctx: Context): void {
  program
    .command('critical')
    .description('find a critical point (where the gradient vanishes) near a start, and say what it is')
    .argument('<expression>', 'the function, e.g. "x^2 - y^2"')
    .requiredOption('--near <point>', 'where to start: x=0.3,y=0.2')
    .option('--max-iterations <n>', 'Newton steps at most', '100')
    .option('--json', 'print one JSON object')
    .addHelpText('after', '\nExamples:\n  nudge critical "x^2 - y^2" --near x=0.3,y=0.2            # a saddle at (0, 0)\n  nudge critical "(1-x)^2 + 100*(y-x^2)^2" --near x=-1.2,y=1   # the minimum at (1, 1)')
    .action((expression: string, flags: { near: string; maxIterations: string; json?: boolean }) => {
      ctx.expression = expression;
      const maxIterations = Number(flags.maxIterations);
      const r = critical(expression, parsePointSpec(flags.near, '--near'), { maxIterations });
      if (flags.json) {
        printJson(ctx.io, {
          point: r.point,
          value: r.value,
          gradient: r.gradient,
          eigenvalues: r.eigenvalues,
          kind: r.kind,
          status: r.status,
          iterations: r.iterations,
          hessian: r.hessian,
          variables: r.variables,
          reason: r.reason,
        });
        return;
      }
      const what = r.status === 'converged' ? `a ${r.kind}` : 'no critical point found';
      printLines(ctx.io, [
        `${what} of ${expression.trim()}${r.status === 'converged' ? describeAt(r.point) : ''}`,
        `  f = ${formatNumber(r.value)}, ∇f = (${describeVector(r.gradient)})`,
        `  Hessian eigenvalues: ${r.eigenvalues.map((v) => formatNumber(v, 8)).join(', ')}`,
        `  ${r.kind === 'minimum' ? 'all positive: f curves up in every direction' : r.kind === 'maximum' ? 'all negative: f curves down in every direction' : r.kind === 'saddle' ? 'both signs: up in some directions, down in others' : 'a zero eigenvalue: the second derivatives cannot tell'}`,
        `  ${r.reason}`,
      ]);
    });
}
