import type { Command } from 'commander';
import { formatEstimate, formatNumber, NudgeError, tangent } from '@nudge/core';
import { addNumericOptions, METHOD_TEXT, numericOptions, type Context, type NumericFlags } from '../context.js';
import { printJson, printLines } from '../output.js';
import { parsePointSpec } from '../point-spec.js';
import { describeAt } from './describe.js';
import { derivativeJson } from './derivative.js';

interface Flags extends NumericFlags {
  at?: string;
  wrt?: string;
}

export function registerTangent(program: Command, ctx: Context): void {
  addNumericOptions(
    program
      .command('tangent')
      .description('the tangent line at a point: the function modelled as a linear one')
      .argument('<expression>', 'the function, e.g. "x^2"')
      .requiredOption('--at <point>', 'the point: 3 or x=3')
      .option('--wrt <variable>', 'the variable, where there are several'),
  )
    .option('--json', 'print one JSON object')
    .addHelpText('after', '\nExample:\n  nudge tangent "x^2" --at 3     # y = 6x - 9')
    .action((expression: string, flags: Flags) => {
      ctx.expression = expression;
      if (flags.at === undefined) throw new NudgeError('invalid-argument', 'give the point with --at');
      const options = numericOptions(flags);
      if (flags.wrt !== undefined) options.wrt = flags.wrt;
      const r = tangent(expression, parsePointSpec(flags.at, '--at'), options);
      if (flags.json) {
        printJson(ctx.io, { ...derivativeJson(r), slope: r.slope, intercept: r.intercept, equation: r.equation });
        return;
      }
      printLines(ctx.io, [
        `tangent to ${expression.trim()}${describeAt(r.at)}`,
        `  ${r.equation}`,
        `  slope ≈ ${formatEstimate(r.slope, r.errorEstimate)}, intercept ≈ ${formatEstimate(r.intercept, r.errorEstimate)}`,
        `  method: ${METHOD_TEXT[r.method]}${r.errorEstimate === 0 ? '' : `, error ≈ ${r.errorEstimate === null ? 'unknown' : formatNumber(r.errorEstimate, 2)}`}`,
        r.warning && `warning: ${r.warning}`,
      ]);
    });
}
