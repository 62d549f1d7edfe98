import { closeSync, writeSync } from 'node:fs';
import { Option, type Command } from 'commander';
import {
  DESCENT_GRADIENTS,
  formatNumber,
  minimizeAsync,
  NudgeError,
  OPTIMIZERS,
  trajectoryCsv,
  type MinimizationResult,
  type MinimizeAllOptions,
} from '@nudge/core';
import type { Context } from '../context.js';
import { durationFlag, numberFlag } from '../flags.js';
import { openForWriting } from '../out-file.js';
import { EXIT_INTERRUPTED, printJson, printLines } from '../output.js';
import { parsePointSpec } from '../point-spec.js';
import { progressBar } from '../progress.js';
import { describeAt } from './describe.js';

interface MinimizeFlags {
  from: string;
  optimizer?: string;
  lr?: string;
  momentum?: string;
  maxSteps?: string;
  tol?: string;
  stepTol?: string;
  valueTol?: string;
  gradient?: string;
  h?: string;
  timeBudget?: string;
  maximize?: boolean;
  starts?: string;
  seed?: string;
  spread?: string;
  trace?: string;
  json?: boolean;
}

function options(flags: MinimizeFlags): MinimizeAllOptions {
  const o: MinimizeAllOptions = {};
  if (flags.optimizer !== undefined) o.optimizer = flags.optimizer as MinimizeAllOptions['optimizer'];
  if (flags.gradient !== undefined) o.gradient = flags.gradient as MinimizeAllOptions['gradient'];
  const fixedStep = o.optimizer !== undefined && o.optimizer !== 'line-search';
  if (flags.lr !== undefined) {
    if (!fixedStep) {
      throw new NudgeError('invalid-argument', `--lr is the learning rate of gd, momentum, nesterov and adam; the line search (the default) chooses its own steps: add --optimizer gd`);
    }
    o.lr = numberFlag(flags.lr, '--lr', 'positive');
  }
  if (flags.momentum !== undefined) o.momentum = numberFlag(flags.momentum, '--momentum', 'fraction');
  if (flags.maxSteps !== undefined) o.maxSteps = numberFlag(flags.maxSteps, '--max-steps', 'count');
  if (flags.tol !== undefined) o.tol = numberFlag(flags.tol, '--tol', 'non-negative');
  if (flags.stepTol !== undefined) o.stepTol = numberFlag(flags.stepTol, '--step-tol', 'non-negative');
  if (flags.valueTol !== undefined) o.valueTol = numberFlag(flags.valueTol, '--value-tol', 'non-negative');
  if (flags.h !== undefined) {
    if ((o.gradient ?? 'exact') === 'exact') throw new NudgeError('invalid-argument', '--h is the finite-difference step: add --gradient central or forward');
    o.h = flags.h === 'auto' ? 'auto' : numberFlag(flags.h, '--h', 'positive');
  }
  if (flags.timeBudget !== undefined) o.timeBudget = durationFlag(flags.timeBudget, '--time-budget');
  if (flags.starts !== undefined) o.starts = numberFlag(flags.starts, '--starts', 'count');
  if (flags.seed !== undefined) o.seed = numberFlag(flags.seed, '--seed', 'integer');
  if (flags.spread !== undefined) o.spread = numberFlag(flags.spread, '--spread', 'positive');
  return o;
}

const STOPPED_TEXT: Record<string, string> = {
  gradient: 'the gradient norm fell below the tolerance',
  step: 'the steps became shorter than the step tolerance',
  value: 'f changed by less than the value tolerance',
  'no-decrease': 'no step along the gradient lowers f any more (a minimum to working precision)',
};

function json(r: MinimizationResult, variables: string[], trace: string | undefined): Record<string, unknown> {
  const point = (v: ArrayLike<number>) => Object.fromEntries(variables.map((name, i) => [name, v[i]!]));
  return {
    point: r.point,
    value: r.value,
    iterations: r.iterations,
    converged: r.converged,
    status: r.status,
    gradientNorm: r.gradientNorm,
    ...(r.hint ? { hint: r.hint } : {}),
    ...(r.warning ? { warning: r.warning } : {}),
    stoppedBy: r.stoppedBy,
    kind: r.kind,
    ...(r.eigenvalues ? { eigenvalues: r.eigenvalues } : {}),
    optimizer: r.optimizer,
    gradient: r.gradient,
    ...(r.lr !== undefined ? { lr: r.lr } : {}),
    maximize: r.maximize,
    start: point(r.start),
    startValue: r.startValue,
    evaluations: r.evaluations,
    elapsedMs: r.elapsedMs,
    ...(trace ? { trace } : {}),
    ...(r.runs
      ? {
          totalIterations: r.totalIterations,
          starts: r.runs.map((s) => ({ start: point(s.start), point: point(s.point), value: s.value, status: s.status, converged: s.converged, kind: s.kind, iterations: s.iterations })),
          minima: r.minima!.map((m) => ({ point: point(m.point), value: m.value, starts: m.starts })),
        }
      : {}),
  };
}

function human(expression: string, r: MinimizationResult, variables: string[], trace: string | undefined): (string | undefined | false)[] {
  const goal = r.maximize ? 'maximum' : 'minimum';
  const how = `${r.optimizer === 'line-search' ? 'line search' : `${r.optimizer}, lr ${formatNumber(r.lr!)}`}, ${r.gradient === 'exact' ? 'exact gradients' : `${r.gradient} differences`}`;
  const steps = `${r.iterations} step${r.iterations === 1 ? '' : 's'}`;
  const at = describeAt(r.point) || ` at (${Array.from(r.vector, (v) => formatNumber(v)).join(', ')})`;
  const head =
    r.status === 'converged'
      ? r.converged
        ? `${goal} of ${expression.trim()}${at}`
        : `stationary point of ${expression.trim()}${at}: not a ${goal}`
      : r.status === 'diverged'
        ? `diverged after ${steps}; the last finite point${at}`
        : r.status === 'cancelled'
          ? `cancelled after ${steps}; the best point so far${at}`
          : `stopped after ${steps} (${r.status === 'max-steps' ? 'the maximum' : 'the time budget'}); the best point so far${at}`;
  const lines = [
    head,
    `  f = ${formatNumber(r.value)}, |∇f| = ${formatNumber(r.gradientNorm, 3)}`,
    `  ${r.status === 'converged' ? `${STOPPED_TEXT[r.stoppedBy]} after ${steps}` : `from f = ${formatNumber(r.startValue)}`} (${how}), ${formatNumber(r.elapsedMs, 3)} ms`,
    r.eigenvalues && `  Hessian eigenvalues ${r.eigenvalues.map((v) => formatNumber(v, 6)).join(', ')}: ${r.kind === 'degenerate' ? 'a zero eigenvalue, the test cannot tell' : `a ${r.kind}`}`,
    r.warning && `warning: ${r.warning}`,
    r.hint && `hint: ${r.hint}`,
  ];
  if (r.runs && r.minima) {
    lines.push(`  ${r.runs.length} starts (${r.totalIterations} steps in all); ${r.minima.length} distinct ${goal === 'minimum' ? 'minima' : 'maxima'}:`);
    for (const m of r.minima.slice(0, 8)) {
      const p = Object.fromEntries(variables.map((name, i) => [name, m.point[i]!]));
      lines.push(`    f = ${formatNumber(m.value, 10)}${describeAt(p)} (${m.starts} start${m.starts === 1 ? '' : 's'})`);
    }
  }
  if (trace) lines.push(`  trajectory: ${r.trajectory?.step.length ?? 0} points written to ${trace}`);
  return lines;
}

export function registerMinimize(program: Command, ctx: Context): void {
  program
    .command('minimize')
    .description('gradient descent from a point to a minimum (or, with --maximize, ascent to a maximum)')
    .argument('<expression>', 'the function, e.g. "(1-x)^2 + 100*(y-x^2)^2"')
    .requiredOption('--from <point>', 'the start: x=-1.2,y=1')
    .addOption(new Option('--optimizer <name>', 'line-search (default: needs no learning rate), gd, momentum, nesterov or adam').choices([...OPTIMIZERS]))
    .option('--lr <rate>', 'learning rate of gd, momentum, nesterov and adam (default 0.001)')
    .option('--momentum <beta>', 'momentum and nesterov: the velocity decay beta (default 0.9)')
    .option('--max-steps <n>', 'at most this many steps (default 100000)')
    .option('--tol <tol>', 'stop when |∇f| <= tol * max(1, |∇f(start)|) (default 1e-10)')
    .option('--step-tol <tol>', 'stop when a step is shorter than tol * (1 + |x|) (default off)')
    .option('--value-tol <tol>', 'stop when f changes by less than tol * max(1, |f|) in a step (default off)')
    .addOption(new Option('--gradient <method>', 'exact (default, automatic differentiation), central or forward differences').choices([...DESCENT_GRADIENTS]))
    .option('--h <step>', "the finite-difference step with --gradient central/forward (default 'auto')")
    .option('--time-budget <duration>', 'stop after this long: 10s, 500ms, 2m')
    .option('--maximize', 'climb to a maximum instead (gradient ascent)')
    .option('--starts <n>', 'descend from n starts (the given one and n-1 random ones around it) and report the best')
    .option('--seed <n>', 'seed of the random starts (default 1)')
    .option('--spread <d>', 'random starts lie within d of --from in each coordinate (default 5)')
    .option('--trace <path.csv>', 'write the trajectory (step, value, gradientNorm, coordinates) as CSV')
    .option('--json', 'print one JSON object')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  nudge minimize "(1-x)^2 + 100*(y-x^2)^2" --from x=-1.2,y=1',
        '  nudge minimize "(1-x)^2 + 100*(y-x^2)^2" --from x=-1.2,y=1 --optimizer gd --lr 0.001 --trace path.csv',
        '  nudge minimize "(x^2+y-11)^2 + (x+y^2-7)^2" --from x=0,y=0 --starts 16 --seed 1',
        '',
        'Exit status: 0 when a result is printed (its status says how the run ended), 2 for bad input, 130 after Ctrl-C (the best point so far is printed).',
      ].join('\n'),
    )
    .action(async (expression: string, flags: MinimizeFlags) => {
      ctx.expression = expression;
      const from = parsePointSpec(flags.from, '--from');
      const o = options(flags);
      const traceFd = flags.trace !== undefined ? openForWriting(flags.trace, '--trace') : undefined;
      const controller = new AbortController();
      const onInterrupt = () => controller.abort();
      process.once('SIGINT', onInterrupt);
      const bar = progressBar(!flags.json);
      let r: MinimizationResult;
      try {
        r = await minimizeAsync(expression, from, { ...o, maximize: flags.maximize ?? false, signal: controller.signal, onProgress: (p) => bar.update(p) });
      } catch (e) {
        if (traceFd !== undefined) closeSync(traceFd);
        throw e;
      } finally {
        bar.stop();
        process.removeListener('SIGINT', onInterrupt);
      }
      if (traceFd !== undefined) {
        if (r.trajectory) writeSync(traceFd, trajectoryCsv(r.trajectory));
        closeSync(traceFd);
      }
      if (flags.json) printJson(ctx.io, json(r, r.variables, flags.trace));
      else printLines(ctx.io, human(expression, r, r.variables, flags.trace));
      if (r.status === 'cancelled') ctx.exitCode = EXIT_INTERRUPTED;
    });
}
