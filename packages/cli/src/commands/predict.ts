import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { classify, csvChunks, makeTable, NudgeError, predictRows, readSavedModel, requireColumns } from '@nudge/core';
import type { Context } from '../context.js';
import { readCsvFile } from '../data-file.js';

/** The saved model's JSON, read and checked. */
function readModel(path: string): ReturnType<typeof readSavedModel> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new NudgeError('invalid-argument', `cannot read the model '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new NudgeError('invalid-argument', `the model '${path}' is not JSON: ${(e as Error).message}`);
  }
  return readSavedModel(json, `the model '${path}'`);
}

export function registerPredict(program: Command, ctx: Context): void {
  program
    .command('predict')
    .description("apply a fitted model (nudge fit --save) to data: the rows back as CSV with a prediction column")
    .argument('<model.json>', 'a model saved by nudge fit --save')
    .argument('<data.csv>', 'a CSV file with the columns the model reads')
    .addHelpText(
      'after',
      [
        '',
        'Classifiers (logistic models, sigmoid expressions, networks of one output under log loss) get the predicted class in `prediction` (1 where the probability is at least 0.5) and the probability of class 1 in `probability`; a network of K outputs gets the most probable class in `prediction` and each class\'s probability in probability_0 ... probability_<K-1>.',
        '',
        'Example:',
        '  nudge fit blobs.csv --model logistic --target label --save model.json && nudge predict model.json blobs.csv',
      ].join('\n'),
    )
    .action(async (modelPath: string, file: string) => {
      const { model, params } = readModel(modelPath);
      const table = await readCsvFile(file);
      requireColumns(table, model.features);
      let added: Record<string, Float64Array>;
      if (model.classes) {
        const { classes, probabilities } = classify(model, params, table.data);
        added = { prediction: classes, ...Object.fromEntries(probabilities.map((p, k) => [`probability_${k}`, p])) };
      } else {
        const p = predictRows(model, params, table.data);
        added = model.probability ? { prediction: p.map((v) => (v >= 0.5 ? 1 : 0)), probability: p } : { prediction: p };
      }
      for (const name of Object.keys(added)) {
        if (table.columns.includes(name)) throw new NudgeError('invalid-argument', `the data already have a column '${name}': rename it`);
      }
      const out = makeTable([...table.columns, ...Object.keys(added)], [...table.columns.map((c) => table.data[c]!), ...Object.values(added)]);
      for (const chunk of csvChunks(out)) ctx.io.out(chunk);
    });
}
