import type { Command } from 'commander';
import { evaluate, formatNumber } from '@nudge/core';
import type { Context } from '../context.js';
import { printJson, printLines } from '../output.js';
import { parsePointSpec } from '../point-spec.js';
import { describeAt } from './describe.js';

export function registerEval(program: Command, ctx: Context): void {
  program
    .command('eval')
    .description('evaluate an expression at a point')
    .argument('<expression>', 'the function, e.g. "x^2*y"')
    .option('--at <point>', 'the point: 3, x=1,y=2, or 1,2 in variable order')
    .option('--json', 'print one JSON object')
    .addHelpText('after', '\nExamples:\n  nudge eval "x^2*y" --at x=1,y=2\n  nudge eval "2^-2^2"\n  nudge eval -- "-x^2" --at x=1')
    .action((expression: string, flags: { at?: string; json?: boolean }) => {
      ctx.expression = expression;
      const at = flags.at === undefined ? undefined : parsePointSpec(flags.at, '--at');
      const r = evaluate(expression, at);
      if (flags.json) {
        printJson(ctx.io, { value: r.value, at: r.at, ...(r.warning ? { warning: r.warning } : {}) });
        return;
      }
      printLines(ctx.io, [
        `${expression.trim()}${describeAt(r.at)} = ${formatNumber(r.value)}`,
        r.warning && `warning: ${r.warning}`,
      ]);
    });
}
