import { closeSync, writeSync } from 'node:fs';
import { Option, type Command } from 'commander';
import plot from 'asciichart';
import {
  ACTIVATIONS,
  FIT_OPTIMIZERS,
  fitAsync,
  fittedExpression,
  fitMetrics,
  formatNumber,
  LOSS_TITLES,
  LOSSES,
  NudgeError,
  savedModel,
  type FitOptions,
  type FitResult,
} from '@nudge/core';
import type { Context } from '../context.js';
import { readCsvFile } from '../data-file.js';
import { durationFlag, numberFlag } from '../flags.js';
import { EXIT_INTERRUPTED, printJson, printLines } from '../output.js';
import { openForWriting } from '../out-file.js';
import { epochBar } from '../progress.js';

interface FitFlags {
  model: string;
  params?: string;
  target: string;
  features?: string;
  activation?: string;
  loss?: string;
  optimizer?: string;
  lr?: string;
  momentum?: string;
  epochs?: string;
  batchSize?: string;
  seed?: string;
  validation?: string;
  patience?: string;
  l2?: string;
  tol?: string;
  timeBudget?: string;
  save?: string;
  json?: boolean;
}

const names = (text: string, flag: string): string[] => {
  const list = text.split(',').map((s) => s.trim());
  if (list.some((s) => s === '')) throw new NudgeError('invalid-argument', `${flag} takes names separated by commas, e.g. w,b; got '${text}'`);
  return list;
};

function options(flags: FitFlags): FitOptions {
  const builtIn = flags.model === 'linear' || flags.model === 'logistic' || flags.model.startsWith('mlp:');
  if (!builtIn && flags.params === undefined) {
    throw new NudgeError('invalid-argument', `--model '${flags.model}' is an expression: name the parameters to learn with --params, e.g. --params w,b`);
  }
  if (builtIn && flags.params !== undefined) throw new NudgeError('invalid-argument', `--params is for expression models; the ${flags.model} model names its own (w_<column>, b)`);
  if (!builtIn && flags.features !== undefined) throw new NudgeError('invalid-argument', '--features is for the built-in models; an expression reads the columns it names');
  if (flags.activation !== undefined && !flags.model.startsWith('mlp:')) throw new NudgeError('invalid-argument', '--activation is for networks (--model mlp:2-16-1)');
  const o: FitOptions = {
    model: builtIn ? flags.model : { expression: flags.model, params: names(flags.params!, '--params') },
    target: flags.target,
  };
  if (flags.features !== undefined) o.features = names(flags.features, '--features');
  if (flags.activation !== undefined) o.activation = flags.activation;
  if (flags.loss !== undefined) o.loss = flags.loss as FitOptions['loss'];
  if (flags.optimizer !== undefined) o.optimizer = flags.optimizer as FitOptions['optimizer'];
  if (flags.lr !== undefined) o.lr = numberFlag(flags.lr, '--lr', 'positive');
  if (flags.momentum !== undefined) o.momentum = numberFlag(flags.momentum, '--momentum', 'fraction');
  if (flags.epochs !== undefined) o.epochs = numberFlag(flags.epochs, '--epochs', 'count');
  if (flags.batchSize !== undefined) o.batchSize = numberFlag(flags.batchSize, '--batch-size', 'count');
  if (flags.seed !== undefined) o.seed = numberFlag(flags.seed, '--seed', 'integer');
  if (flags.validation !== undefined) o.validation = numberFlag(flags.validation, '--validation', 'fraction');
  if (flags.patience !== undefined) o.patience = numberFlag(flags.patience, '--patience', 'count');
  if (flags.l2 !== undefined) o.l2 = numberFlag(flags.l2, '--l2', 'non-negative');
  if (flags.tol !== undefined) o.tol = numberFlag(flags.tol, '--tol', 'non-negative');
  if (flags.timeBudget !== undefined) o.timeBudget = durationFlag(flags.timeBudget, '--time-budget');
  return o;
}

const STATUS_TEXT: Record<FitResult['status'], string> = {
  converged: 'converged: the gradient on all training rows fell below the tolerance',
  'max-epochs': 'ran every epoch',
  'early-stopped': 'stopped early: the validation loss stopped improving (the best epoch\'s parameters are kept)',
  diverged: 'diverged (the last finite parameters are kept)',
  'time-budget': 'stopped at the time budget',
  cancelled: 'cancelled (the best parameters so far are kept: the best validation epoch\'s, else the last whole epoch\'s)',
};

const percent = (v: number) => `${(100 * v).toFixed(1)}%`;
/** Parameters listed by name on the terminal; a network's hundreds are summarised. */
const MAX_LISTED = 12;

function human(file: string, r: FitResult, elapsed: number, saved: string | undefined): (string | undefined | false)[] {
  const s = r.settings;
  const how = `${s.optimizer}, lr ${formatNumber(s.lr)}, ${s.batchSize && s.batchSize < r.rows.training ? `batches of ${s.batchSize}, seed ${s.seed}` : 'full batch'}${s.l2 > 0 ? `, L2 ${formatNumber(s.l2)}` : ''}`;
  const rows = r.rows.validation > 0 ? `${r.rows.training + r.rows.validation} rows: ${r.rows.training} training, ${r.rows.validation} validation` : `${r.rows.training} rows`;
  const losses = `${LOSS_TITLES[r.loss]} ${formatNumber(r.trainingLoss, 6)} (training)${r.validationLoss !== undefined ? `, ${formatNumber(r.validationLoss, 6)} (validation)` : ''}`;
  const accuracy =
    r.accuracy !== undefined && `  accuracy ${percent(r.accuracy)} (training)${r.validationAccuracy !== undefined ? `, ${percent(r.validationAccuracy)} (validation)` : ''}`;
  const curve = r.history.map((e) => e.loss).filter(Number.isFinite);
  // The fitted model for people: parameters to 6 significant digits (--json and --save keep every digit).
  const shown = r.model.kind === 'mlp' ? r.fitted : fittedExpression(r.model, Object.fromEntries(Object.entries(r.params).map(([k, v]) => [k, Number(v.toPrecision(6))])));
  const lines = [
    `fitted ${shown}`,
    `  to ${file} (${rows}), predicting the target from ${r.model.features.length > 0 ? r.model.features.join(', ') : 'nothing'}`,
    r.model.params.length <= MAX_LISTED
      ? `  ${r.model.params.map((p) => `${p} = ${formatNumber(r.params[p]!)}`).join(', ')}`
      : `  ${r.model.params.length} parameters (${r.model.weights.length} weights, ${r.model.params.length - r.model.weights.length} biases): --json or --save gives them all`,
    `  ${losses}`,
    accuracy,
    `  ${r.epochs} epoch${r.epochs === 1 ? '' : 's'}, ${r.steps} step${r.steps === 1 ? '' : 's'} (${how}), ${formatNumber(elapsed, 3)} ms; ${STATUS_TEXT[r.status]}`,
  ];
  if (curve.length >= 2) {
    lines.push(`  training loss by epoch (1 to ${curve.length}):`);
    lines.push(...plot.plot(downsample(curve, 60), { height: 8, format: (v: number) => formatNumber(v, 3).padStart(10) }).split('\n').map((l) => `  ${l}`));
  }
  lines.push(r.warning !== undefined && `warning: ${r.warning}`, saved !== undefined && `saved to ${saved}`);
  return lines;
}

/** At most `n` points of a series, evenly spaced, the last one kept. */
function downsample(values: number[], n: number): number[] {
  if (values.length <= n) return values;
  return Array.from({ length: n }, (_, i) => values[Math.round((i * (values.length - 1)) / (n - 1))]!);
}

function json(r: FitResult, saved: string | undefined): Record<string, unknown> {
  return {
    model: r.model.expression,
    fitted: r.fitted,
    params: r.params,
    loss: r.loss,
    ...fitMetrics(r),
    gradientNorm: r.gradientNorm,
    status: r.status,
    epochs: r.epochs,
    steps: r.steps,
    rows: r.rows,
    history: r.history,
    ...(r.warning ? { warning: r.warning } : {}),
    ...(saved ? { saved } : {}),
  };
}

export function registerFit(program: Command, ctx: Context): void {
  program
    .command('fit')
    .description('fit a model to data by gradient descent: an expression with named parameters, linear or logistic regression, a multilayer perceptron')
    .argument('<data.csv>', 'a CSV file with a header row naming the columns')
    .requiredOption('--model <model>', "an expression, e.g. 'w*x + b' (with --params), linear, logistic, or a network mlp:2-16-16-1 (layer sizes, inputs first; K outputs classify K classes)")
    .option('--params <names>', 'the parameters of an expression model, e.g. w,b')
    .requiredOption('--target <column>', 'the column to predict')
    .option('--features <columns>', 'built-in models: the feature columns (default: every column but the target)')
    .addOption(new Option('--activation <name>', 'a network\'s hidden units: tanh (default), relu or sigmoid').choices([...ACTIVATIONS]))
    .addOption(new Option('--loss <name>', 'mse, mae, bce (log loss: the default for logistic and sigmoid models and one-output networks on 0/1 targets) or softmax (networks of several outputs, one per class)').choices([...LOSSES]))
    .addOption(new Option('--optimizer <name>', 'adam (default), gd, momentum or nesterov').choices([...FIT_OPTIMIZERS]))
    .option('--lr <rate>', 'learning rate (default 0.01 for adam, 0.1 for the others)')
    .option('--momentum <beta>', 'momentum and nesterov: the velocity decay (default 0.9)')
    .option('--epochs <n>', 'passes over the training rows (default 100)')
    .option('--batch-size <n>', 'rows per step (default: all of them, full-batch gradient descent)')
    .option('--seed <n>', 'seed of the shuffles and of an expression model\'s start (default 1)')
    .option('--validation <share>', 'hold out this share of the rows, e.g. 0.2, and stop early when its loss stops improving')
    .option('--patience <epochs>', 'with --validation: epochs without improvement before stopping (default 20)')
    .option('--l2 <lambda>', 'L2 regularisation: adds lambda/2 times the sum of the squared weights to the loss')
    .option('--tol <tol>', 'full batch: converged when |gradient| <= tol * max(1, its first norm) (default 1e-10)')
    .option('--time-budget <duration>', 'stop after this long: 10s, 500ms, 2m')
    .option('--save <model.json>', 'write the fitted model (for nudge predict)')
    .option('--json', 'print one JSON object')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        "  nudge fit line.csv --model 'w*x + b' --params w,b --target y",
        '  nudge fit blobs.csv --model logistic --target label --save model.json',
        '  nudge fit moons.csv --model mlp:2-16-16-1 --target label --batch-size 32 --epochs 300 --validation 0.3',
        "  nudge fit moons.csv --model 'sigmoid(a*x1 + c*x2^2 + d)' --params a,c,d --target label --batch-size 32 --epochs 200 --validation 0.3",
        '',
        'Exit status: 0 when a result is printed (its status says how the run ended), 2 for bad input, 130 after Ctrl-C (the parameters so far are printed).',
      ].join('\n'),
    )
    .action(async (file: string, flags: FitFlags) => {
      const o = options(flags);
      const table = await readCsvFile(file);
      // The model file is opened before the run: a path that cannot be written is bad input, found before any work.
      const saveFd = flags.save !== undefined ? openForWriting(flags.save, '--save') : undefined;
      const controller = new AbortController();
      const onInterrupt = () => controller.abort();
      process.once('SIGINT', onInterrupt);
      const bar = epochBar(!flags.json, o.epochs ?? 100);
      const started = performance.now();
      let r: FitResult;
      try {
        r = await fitAsync(table.data, { ...o, signal: controller.signal, onEpoch: (e) => bar.update(e) });
        if (saveFd !== undefined) writeSync(saveFd, `${JSON.stringify(savedModel(r, flags.target), null, 2)}\n`);
      } finally {
        bar.stop();
        process.removeListener('SIGINT', onInterrupt);
        if (saveFd !== undefined) closeSync(saveFd);
      }
      const elapsed = performance.now() - started;
      if (flags.json) printJson(ctx.io, json(r, flags.save));
      else printLines(ctx.io, human(file, r, elapsed, flags.save));
      if (r.status === 'cancelled') ctx.exitCode = EXIT_INTERRUPTED;
    });
}
