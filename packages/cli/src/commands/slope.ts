import type { Command } from 'commander';
import { formatNumber, slope } from '@nudge/core';
import type { Context } from '../context.js';
import { printJson, printLines } from '../output.js';
import { parsePointSpec } from '../point-spec.js';

export function registerSlope(program: Command, ctx: Context): void {
  program
    .command('slope')
    .description('the slope of the secant between two points: rise over run')
    .argument('<expression>', 'the function, e.g. "x^2+3"')
    .requiredOption('--from <point>', 'the first point: 1 or x=1')
    .requiredOption('--to <point>', 'the second point: 3 or x=3')
    .option('--json', 'print one JSON object')
    .addHelpText('after', '\nExample:\n  nudge slope "x^2+3" --from 1 --to 3     # (1, 4) to (3, 12): slope 4')
    .action((expression: string, flags: { from: string; to: string; json?: boolean }) => {
      ctx.expression = expression;
      const r = slope(expression, parsePointSpec(flags.from, '--from'), parsePointSpec(flags.to, '--to'));
      if (flags.json) {
        printJson(ctx.io, { slope: r.slope, rise: r.rise, run: r.run, from: r.from, to: r.to, ...(r.warning ? { warning: r.warning } : {}) });
        return;
      }
      const point = (p: { at: Record<string, number>; value: number }): string =>
        `(${[...Object.values(p.at), p.value].map((v) => formatNumber(v)).join(', ')})`;
      printLines(ctx.io, [
        `secant of ${expression.trim()} from ${point(r.from)} to ${point(r.to)}`,
        `  slope = rise / run = ${formatNumber(r.rise)} / ${formatNumber(r.run)} = ${formatNumber(r.slope)}`,
        r.warning && `warning: ${r.warning}`,
      ]);
    });
}
