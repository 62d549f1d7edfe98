import type { Command } from 'commander';
import { directional, explainGradient, formatNumber, gradient, gradientExpression, renderSteps } from '@nudge/core';
import { addNumericOptions, METHOD_TEXT, numericOptions, type Context, type NumericFlags } from '../context.js';
import { printJson, printLines } from '../output.js';
import { parsePointSpec } from '../point-spec.js';
import { describeAt, describeVector } from './describe.js';

export function registerGradient(program: Command, ctx: Context): void {
  addNumericOptions(
    program
      .command('gradient')
      .description('the gradient at a point: all partial derivatives, the steepest slope and its direction')
      .argument('<expression>', 'the function, e.g. "x^2*y+sin(z)"')
      .option('--at <point>', 'the point: x=1,y=2,z=3 or 1,2,3 in variable order; without it, the gradient as expressions'),
  )
    .option('--json', 'print one JSON object')
    .addHelpText('after', '\nExamples:\n  nudge gradient "x^2*y+sin(z)" --at x=1,y=2,z=3\n  nudge gradient "x^2*y+sin(z)"      # as expressions')
    .option('--steps', 'without --at: show each partial derivative rule by rule, then the gradient')
    .action((expression: string, flags: NumericFlags & { at?: string; steps?: boolean }) => {
      ctx.expression = expression;
      if (flags.at === undefined) {
        const g = gradientExpression(expression);
        const explained = flags.steps ? explainGradient(expression) : undefined;
        if (flags.json) printJson(ctx.io, { gradient: g.gradient, latex: g.latex, variables: g.variables, ...(explained ? { steps: explained.steps } : {}) });
        else printLines(ctx.io, [...(explained ? [renderSteps(explained.steps), ''] : []), `∇ ${expression.trim()}`, ...g.variables.map((v) => `  ∂f/∂${v} = ${g.gradient[v]}`)]);
        return;
      }
      const r = gradient(expression, parsePointSpec(flags.at, '--at'), numericOptions(flags));
      if (flags.json) {
        printJson(ctx.io, {
          value: r.value,
          gradient: r.gradient,
          norm: r.norm,
          ascent: r.ascent,
          variables: r.variables,
          method: r.method,
          errorEstimate: r.errorEstimate,
          evaluations: r.evaluations,
          at: r.at,
          ...(r.warning ? { warning: r.warning } : {}),
        });
        return;
      }
      printLines(ctx.io, [
        `∇ ${expression.trim()}${describeAt(r.at)}`,
        ...r.variables.map((v) =>
          r.errorEstimate[v] === 0
            ? `  ∂f/∂${v} = ${formatNumber(r.gradient[v]!, 12)}`
            : `  ∂f/∂${v} ≈ ${formatNumber(r.gradient[v]!, 12)}   (error ≈ ${r.errorEstimate[v] == null ? 'unknown' : formatNumber(r.errorEstimate[v]!, 2)})`,
        ),
        `  |∇f| ≈ ${formatNumber(r.norm)}: the slope in the direction of steepest ascent`,
        r.ascent ? `  steepest ascent: ${describeVector(r.ascent)}` : undefined,
        `  value: f = ${formatNumber(r.value)}; method: ${METHOD_TEXT[r.method]}`,
        r.warning && `warning: ${r.warning}`,
      ]);
    });
}

export function registerDirectional(program: Command, ctx: Context): void {
  addNumericOptions(
    program
      .command('directional')
      .description('the directional derivative: the gradient dotted with the unit vector of a direction')
      .argument('<expression>', 'the function')
      .requiredOption('--at <point>', 'the point: x=1,y=2')
      .requiredOption('--dir <vector>', 'the direction: x=3,y=4 or 3,4 in variable order')
      .option('--no-normalize', 'use the direction as given (the plain ∇f·v), not its unit vector'),
  )
    .option('--json', 'print one JSON object')
    .addHelpText('after', '\nExamples:\n  nudge directional "x^2*y" --at x=1,y=2 --dir x=3,y=4\n  nudge directional "x^2*y" --at x=1,y=2 --dir 3,4 --no-normalize')
    .action((expression: string, flags: NumericFlags & { at: string; dir: string; normalize: boolean }) => {
      ctx.expression = expression;
      const r = directional(expression, parsePointSpec(flags.at, '--at'), parsePointSpec(flags.dir, '--dir'), {
        ...numericOptions(flags),
        normalize: flags.normalize,
      });
      if (flags.json) {
        printJson(ctx.io, {
          value: r.value,
          directional: r.directional,
          direction: r.direction,
          gradient: r.gradient,
          normalized: flags.normalize,
          method: r.method,
          errorEstimate: r.errorEstimate,
          evaluations: r.evaluations,
          at: r.at,
          ...(r.warning ? { warning: r.warning } : {}),
        });
        return;
      }
      printLines(ctx.io, [
        `directional derivative of ${expression.trim()}${describeAt(r.at)}`,
        `  ∇f = (${describeVector(r.gradient)})`,
        `  ${flags.normalize ? 'u = v/|v|' : 'v'} = (${describeVector(r.direction)})`,
        r.errorEstimate === 0
          ? `  ${flags.normalize ? '∇f·u' : '∇f·v'} = ${formatNumber(r.directional)}`
          : `  ${flags.normalize ? '∇f·u' : '∇f·v'} ≈ ${formatNumber(r.directional)}   (error ≈ ${r.errorEstimate === null ? 'unknown' : formatNumber(r.errorEstimate, 2)})`,
        `  value: f = ${formatNumber(r.value)}; method: ${METHOD_TEXT[r.method]}`,
        r.warning && `warning: ${r.warning}`,
      ]);
    });
}
