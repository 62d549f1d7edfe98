import type { Command } from 'commander';
import { explainChain, formatNumber, NudgeError, renderSteps } from '@nudge/core';
import type { Context } from '../context.js';
import { printJson, printLines } from '../output.js';
import { parsePointSpec } from '../point-spec.js';

export function registerChain(program: Command, ctx: Context): void {
  program
    .command('chain')
    .description('compose functions and show the chain rule applied link by link')
    .argument('<outer>', 'the outer function, in the first link\'s variable: "sin(u)"')
    .argument('<links...>', 'the inner functions, each as name=expression: "u=x^2" ["v=..."]')
    .option('--at <point>', 'also evaluate every factor and the derivative here: x=1.5')
    .option('--json', 'print one JSON object')
    .addHelpText('after', '\nExamples:\n  nudge chain "sin(u)" "u=x^2" --at x=1.5\n  nudge chain "exp(u)" "u=sin(v)" "v=x^2"')
    .action((outer: string, links: string[], flags: { at?: string; json?: boolean }) => {
      // Errors may come from any link: no caret under the outer expression.
      ctx.expression = undefined;
      const at = flags.at === undefined ? undefined : parsePointSpec(flags.at, '--at');
      if (Array.isArray(at)) throw new NudgeError('invalid-argument', '--at takes name=value here, for example --at x=1.5');
      const r = explainChain(outer, links, at);
      if (flags.json) {
        printJson(ctx.io, { composed: r.composed, derivative: r.derivative, latex: r.latex, wrt: r.wrt, factors: r.factors, at: r.at, steps: r.steps });
        return;
      }
      printLines(ctx.io, [
        renderSteps(r.steps),
        '',
        `y = ${r.composed}`,
        `dy/d${r.wrt} = ${r.derivative}`,
        r.at
          ? `at ${Object.entries(r.at.point).map(([k, v]) => `${k} = ${formatNumber(v)}`).join(', ')}: dy/d${r.wrt} = ${formatNumber(r.at.derivative)} (the product of the factors, ${formatNumber(r.at.product)})`
          : undefined,
      ]);
    });
}
