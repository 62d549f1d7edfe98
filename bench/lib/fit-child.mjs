// One implementation of a fit workload in a process of its own, for its
// peak memory (and, for fit-mlp, its epoch times):
//
//   node fit-child.mjs <fit-logistic|fit-mlp> <role|data> '<options as JSON>'
//
// The child makes the data the way the benchmark does (lib/fit-data.mjs, the
// same seed), prepares the implementation, trains options.epochs epochs and
// prints one JSON line: the epoch times, the losses, the end loss and
// accuracy where the implementation reports them, and the peak memory. Role
// 'data' only makes the data: the floor every other child starts from.
import process from 'node:process';
import { peakMemory, timedTrain } from './fit-run.mjs';

const [workload, role, json] = process.argv.slice(2);
const options = JSON.parse(json);
const { TRAINERS, sharedData } = await import(`../workloads/${workload}.mjs`);
const shared = sharedData(options);
const out = { workload, role };
const rss = [];
if (role !== 'data') {
  const spec = TRAINERS.find((t) => t.role === role);
  if (!spec) throw new Error(`no implementation '${role}' in ${workload}`);
  const trainer = await spec.prepare(shared, options);
  const { msPerEpoch, first, end, result } = await timedTrain(trainer, options.epochs, { onEpoch: () => rss.push(process.memoryUsage().rss) });
  Object.assign(out, { msPerEpoch, first, end, losses: result.losses, endLoss: result.endLoss, accuracy: result.accuracy, status: result.status, vector: Array.from(result.vector) });
}
out.peak = peakMemory(rss);
process.stdout.write(`${JSON.stringify(out)}\n`);
process.exit(0);
