import type { Command } from 'commander';
import { derivative, explainByLimit, explainDerivative, formatEstimate, formatNumber, NudgeError, renderSteps, type DerivativeResult } from '@nudge/core';
import { addNumericOptions, METHOD_TEXT, numericOptions, type Context, type NumericFlags } from '../context.js';
import { printJson, printLines } from '../output.js';
import { parsePointSpec } from '../point-spec.js';
import { describeAt } from './describe.js';

interface Flags extends NumericFlags {
  at?: string;
  wrt?: string;
  steps?: boolean;
  byLimit?: boolean;
}

export function registerDerivative(program: Command, ctx: Context): void {
  addNumericOptions(
    program
      .command('derivative')
      .description('the derivative of an expression at a point')
      .argument('<expression>', 'the function, e.g. "x^2"')
      .option('--at <point>', 'the point: 3, x=3, or x=1,y=2 (with --wrt); without it, the derivative as an expression')
      .option('--wrt <variable>', 'the variable to differentiate by, where there are several')
      .option('--steps', 'show the derivation rule by rule (power, product, quotient, chain rule, ...)')
      .option('--by-limit', 'derive it from the limit definition (polynomials)'),
  )
    .option('--json', 'print one JSON object')
    .addHelpText(
      'after',
      '\nExamples:\n  nudge derivative "x^2"                              # 2*x\n  nudge derivative "sin(x^2)" --steps                 # the chain rule, step by step\n  nudge derivative "x^3 + 2*x" --by-limit             # from the limit definition\n  nudge derivative "x^2" --at 3                       # exactly 6\n  nudge derivative "x^2" --at 3 --method forward      # the textbook (f(x+h)-f(x))/h: 6.0001\n  nudge derivative "x^2*y" --at x=1,y=2 --wrt y\n  nudge derivative "sin(x)" --at x=0 --method central --h auto',
    )
    .action((expression: string, flags: Flags) => {
      ctx.expression = expression;
      if (flags.at === undefined) {
        // No point: the derivative as an expression.
        if (flags.method !== undefined || flags.h !== undefined) {
          throw new NudgeError('invalid-argument', '--method and --h need a point: give it with --at (without --at the derivative is symbolic)');
        }
        const d = derivative(expression, undefined, flags.wrt !== undefined ? { wrt: flags.wrt } : {});
        const explained = flags.byLimit ? explainByLimit(expression, flags.wrt) : flags.steps ? explainDerivative(expression, flags.wrt) : undefined;
        // With steps, the result is the one the steps arrive at.
        const result = { expression: explained ? explained.derivative : d.expression, latex: d.latex };
        if (flags.json) printJson(ctx.io, { ...result, wrt: d.wrt, ...(explained ? { steps: explained.steps } : {}) });
        else printLines(ctx.io, [...(explained ? [renderSteps(explained.steps), ''] : []), `d/d${d.wrt} ${d.of} = ${result.expression}`]);
        return;
      }
      const options = numericOptions(flags);
      if (flags.wrt !== undefined) options.wrt = flags.wrt;
      const r = derivative(expression, parsePointSpec(flags.at, '--at'), options);
      const explained = flags.byLimit ? explainByLimit(expression, r.wrt) : flags.steps ? explainDerivative(expression, r.wrt) : undefined;
      if (flags.json) printJson(ctx.io, { ...derivativeJson(r), ...(explained ? { expression: explained.derivative, steps: explained.steps } : {}) });
      else printLines(ctx.io, [...(explained ? [renderSteps(explained.steps), ''] : []), ...derivativeLines(expression, r)]);
    });
}

export function derivativeJson(r: DerivativeResult): Record<string, unknown> {
  return {
    value: r.value,
    derivative: r.derivative,
    method: r.method,
    h: r.h,
    errorEstimate: r.errorEstimate,
    evaluations: r.evaluations,
    wrt: r.wrt,
    at: r.at,
    ...(r.warning ? { warning: r.warning } : {}),
  };
}

export function derivativeLines(expression: string, r: DerivativeResult): (string | undefined)[] {
  return [
    `d/d${r.wrt} ${expression.trim()}${describeAt(r.at)}`,
    `  derivative ${r.errorEstimate === 0 ? '=' : '≈'} ${formatEstimate(r.derivative, r.errorEstimate)}`,
    `  method:      ${METHOD_TEXT[r.method]}${r.h === null || r.method === 'complex' ? '' : `, h = ${formatNumber(r.h)}`}`,
    r.method === 'exact' || r.method === 'complex' ? undefined : `  error:       ${r.errorEstimate === null ? 'unknown' : `≈ ${formatNumber(r.errorEstimate, 2)} (estimated)`}`,
    `  value:       f = ${formatNumber(r.value)}`,
    `  evaluations: ${r.evaluations}`,
    r.warning && `warning: ${r.warning}`,
  ];
}
