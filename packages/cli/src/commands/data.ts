import { closeSync, writeSync } from 'node:fs';
import { Argument, type Command } from 'commander';
import { checkDatasetOptions, csvChunks, dataset, DATASET_INFO, DATASETS, DEFAULT_ROWS, NudgeError, type DatasetName, type DatasetOptions } from '@nudge/core';
import type { Context } from '../context.js';
import { numberFlag } from '../flags.js';
import { openForWriting } from '../out-file.js';
import { printLines } from '../output.js';

interface DataFlags {
  rows?: string;
  noise?: string;
  seed?: string;
  output?: string;
}

/** The flags as the core's options, checked by the core; its messages name the option, ours the flag. */
function options(name: DatasetName, flags: DataFlags): Required<DatasetOptions> {
  const o: DatasetOptions = {};
  if (flags.rows !== undefined) o.rows = numberFlag(flags.rows, '--rows', 'count');
  if (flags.noise !== undefined) o.noise = numberFlag(flags.noise, '--noise', 'non-negative');
  if (flags.seed !== undefined) o.seed = numberFlag(flags.seed, '--seed', 'integer');
  try {
    return checkDatasetOptions(name, o);
  } catch (e) {
    if (e instanceof NudgeError) throw new NudgeError(e.code, `--${e.message}`);
    throw e;
  }
}

const HELP = [
  '',
  'Data sets (columns; default noise):',
  ...DATASETS.map((n) => `  ${n.padEnd(8)} ${DATASET_INFO[n].description} (${DATASET_INFO[n].columns.join(', ')}; ${DATASET_INFO[n].noise})`),
  '',
  'Examples:',
  '  nudge data moons --rows 200 --seed 1',
  '  nudge data line --noise 0.3 --output line.csv',
  '',
  'The same options and seed give the same file, to the bit.',
].join('\n');

export function registerData(program: Command, ctx: Context): void {
  program
    .command('data')
    .description('write a seeded toy data set as CSV: a noisy line, two moons, two circles or two blobs')
    .addArgument(new Argument('<name>', 'the data set').choices([...DATASETS]))
    .option('--rows <n>', `how many rows (default ${DEFAULT_ROWS})`)
    .option('--noise <sd>', "the noise's standard deviation (default: the data set's, below)")
    .option('--seed <n>', 'the random seed: the same seed gives the same rows (default 1)')
    .option('--output <file.csv>', 'write the CSV to this file instead of standard output')
    .addHelpText('after', HELP)
    .action((name: DatasetName, flags: DataFlags) => {
      const o = options(name, flags);
      const fd = flags.output !== undefined ? openForWriting(flags.output, '--output') : undefined;
      const table = dataset(name, o);
      if (fd === undefined) {
        for (const chunk of csvChunks(table)) ctx.io.out(chunk);
        return;
      }
      try {
        for (const chunk of csvChunks(table)) writeSync(fd, chunk);
      } finally {
        closeSync(fd);
      }
      printLines(ctx.io, [`${name}: ${table.rows} rows (${table.columns.join(', ')}), noise ${o.noise}, seed ${o.seed}, written to ${flags.output}`]);
    });
}
