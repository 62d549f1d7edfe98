#!/usr/bin/env node
// Nudge's benchmarks: Nudge's WebAssembly kernel, with each of its two
// engines (the tape compiled to WebAssembly at run time, and the tape
// interpreter), side by side with a hand-written JS closure loop, math.js and
// TensorFlow.js, on the same seeded points.
//
//   npm run bench                    the full run, a table
//   npm run bench -- --json          only a JSON array of rows on stdout
//   npm run bench -- --quick         fewer points and repetitions (a smoke run)
//   npm run bench -- --only descent  only the workloads whose names contain 'descent'
//   npm run bench -- --only pool     the 1024 x 1024 gradient grid through the worker pool, 1 and 2 workers
//   npm run bench -- --only heatmap  the playground's 512 x 512 heatmap: f, and f with its gradient, through the pool (1 and 2 workers)
//   npm run bench -- --only compile  the compile time of tapes of about 10, 100, 1,000 and 10,000 instructions
//   npm run bench -- --only fit      training: logistic regression (full-batch gd) and an MLP (adam), ms per epoch and peak memory
//
// Run directly (not through turbo: turbo would cache and replay the output).
import os from 'node:os';
import process from 'node:process';
import { parseArgs } from 'node:util';
import { canCollect, measure, median, sinkValue } from './lib/timing.mjs';
import evalTrig from './workloads/eval-trig.mjs';
import evalPoly from './workloads/eval-poly.mjs';
import derivativeCentral from './workloads/derivative-central.mjs';
import derivativeAd from './workloads/derivative-ad.mjs';
import { rosenbrockWorkload } from './workloads/gradient-rosenbrock.mjs';
import { symbolicSizes } from './workloads/symbolic-size.mjs';
import descentGd from './workloads/descent-gd.mjs';
import descentProgress, { FINE_CHUNK } from './workloads/descent-progress.mjs';
import { poolGrid, SIDE as POOL_SIDE, EXPRESSION as POOL_EXPRESSION } from './workloads/pool-grid.mjs';
import { heatmap512, SIDE as HEATMAP_SIDE, EXPRESSION as HEATMAP_EXPRESSION, TARGET_MS as HEATMAP_TARGET_MS } from './workloads/heatmap-512.mjs';
import { compileChecks, compileTimes } from './workloads/compile-time.mjs';
import fitLogistic, { C_MS_PER_EPOCH } from './workloads/fit-logistic.mjs';
import fitMlp from './workloads/fit-mlp.mjs';

const ROSENBROCK_SIZES = [100, 10_000, 100_000];
const [rosen100, rosen10k, rosen100k] = ROSENBROCK_SIZES.map(rosenbrockWorkload);
/**
 * Every workload by the name --only selects it by; 'pool-grid', 'heatmap-512', 'compile-time', 'fit-logistic' and 'fit-mlp' are
 * timed by their own loops, 'symbolic-size' is the node-count section at the end.
 */
const CATALOGUE = [
  ['eval-trig', evalTrig],
  ['eval-poly', evalPoly],
  ['derivative-central', derivativeCentral],
  ['derivative-ad', derivativeAd],
  ['gradient-rosenbrock-100', rosen100],
  ['gradient-rosenbrock-10000', rosen10k],
  ['gradient-rosenbrock-100000', rosen100k],
  ['descent-gd', descentGd],
  ['descent-progress', descentProgress],
  ['pool-grid', 'pool-grid'],
  ['heatmap-512', 'heatmap-512'],
  ['compile-time', 'compile-time'],
  ['fit-logistic', 'fit-logistic'],
  ['fit-mlp', 'fit-mlp'],
  ['symbolic-size', null],
];
const UNIT = 'ns/point';
const unitOf = (w) => w.unit ?? UNIT;
/** Per-gradient workloads time one gradient per run: us per gradient, from ns. */
const scaleOf = (w) => (unitOf(w) === 'us/gradient' ? 1e-3 : 1);

const USAGE = `Usage: node --expose-gc run.mjs [options]   (or: npm run bench -- [options])

  --json               print only a JSON array of rows { workload, implementation, engine?, unit, median, min, max, peakRssMB? }
  --quick              a fast smoke run: 100,000 points (math.js 2,000), 3 warm-ups, 3 repetitions; fit: 10,000 rows, 5 epochs
  --points N           points per run (default 1,000,000)
  --mathjs-points N    points per math.js run, which is slow (default 20,000)
  --reps N             timed, interleaved repetitions of every implementation (default 15)
  --warmup N           untimed warm-up runs of every implementation (default 2)
  --seed N             seed of the pseudo-random points (default 1)
  --steps N            descent steps per Nudge and JS run (default 1,000,000)
  --tf-steps N         descent steps per TensorFlow.js run, which is slow (default 2,000)
  --fit-rows N         rows of the fit workloads' data (default 100,000)
  --fit-epochs N       epochs per timed fit-logistic run, at least 2 (default 10; the first is not timed)
  --mlp-epochs N       epochs of each fit-mlp run, at least 2 (default 2; the first is not timed)
  --only A,B           only the workloads whose names contain A or B; a whole name selects that workload alone
                       (names: ${CATALOGUE.map(([id]) => id).join(', ')})
  -h, --help           this text`;

function fail(message) {
  process.stderr.write(`bench: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function positiveInt(name, text, min = 1) {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) fail(`--${name} must be an integer >= ${min}, got '${text}'`);
  return n;
}

let args;
try {
  args = parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      quick: { type: 'boolean', default: false },
      points: { type: 'string' },
      'mathjs-points': { type: 'string' },
      reps: { type: 'string' },
      warmup: { type: 'string' },
      seed: { type: 'string' },
      steps: { type: 'string' },
      'tf-steps': { type: 'string' },
      'fit-rows': { type: 'string' },
      'fit-epochs': { type: 'string' },
      'mlp-epochs': { type: 'string' },
      only: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  }).values;
} catch (e) {
  fail(e.message);
}
if (args.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

const quick = args.quick;
const config = {
  points: positiveInt('points', args.points) ?? (quick ? 100_000 : 1_000_000),
  slowPoints: positiveInt('mathjs-points', args['mathjs-points']) ?? (quick ? 2_000 : 20_000),
  reps: positiveInt('reps', args.reps) ?? (quick ? 3 : 15),
  warmup: positiveInt('warmup', args.warmup, 0) ?? (quick ? 3 : 2),
  seed: positiveInt('seed', args.seed, 0) ?? 1,
  steps: positiveInt('steps', args.steps) ?? (quick ? 100_000 : 1_000_000),
  tfSteps: positiveInt('tf-steps', args['tf-steps']) ?? (quick ? 200 : 2_000),
  fitRows: positiveInt('fit-rows', args['fit-rows'], 2) ?? (quick ? 10_000 : 100_000),
  fitEpochs: positiveInt('fit-epochs', args['fit-epochs'], 2) ?? (quick ? 5 : 10),
  mlpEpochs: positiveInt('mlp-epochs', args['mlp-epochs'], 2) ?? 2,
};
/** Repetitions of the fit-logistic runs (each a whole training run of every implementation). */
const fitReps = Math.min(config.reps, quick ? 3 : 9);
const json = args.json;

const only = args.only?.split(',').map((t) => t.trim()).filter(Boolean);
if (only) {
  for (const t of only) if (!CATALOGUE.some(([id]) => id.includes(t))) fail(`--only: no workload name contains '${t}'`);
}
/** A token that is a workload's whole name selects that one alone (gradient-rosenbrock-10000, not -100000 too); any other, every name containing it. */
const matches = (id, t) => (CATALOGUE.some(([other]) => other === t) ? id === t : id.includes(t));
const selected = new Set(CATALOGUE.filter(([id]) => !only || only.some((t) => matches(id, t))).map(([, w]) => w));
const WORKLOADS = CATALOGUE.map(([, w]) => w).filter((w) => w && typeof w === 'object' && selected.has(w));
const picked = (w) => selected.has(w);

/** Human output goes to stdout, except in --json mode, where stdout is only the JSON. */
const say = json ? () => {} : (line = '') => process.stdout.write(`${line}\n`);

const fmtInt = (n) => n.toLocaleString('en-US');
function fmtNs(v) {
  if (v >= 100) return Math.round(v).toLocaleString('en-US');
  if (v >= 10) return v.toFixed(1);
  return v.toFixed(2);
}
function fmtRatio(base, t) {
  const r = base / t;
  if (r >= 1) return `${r >= 10 ? r.toFixed(0) : r.toFixed(2)}x faster`;
  return `${1 / r >= 10 ? (1 / r).toFixed(0) : (1 / r).toFixed(2)}x slower`;
}
const fmtDiff = (d) => (d === 0 ? '0' : d.toExponential(1));
const pct = (part, whole) => `${Math.round((100 * part) / whole)}%`;

const cpus = os.cpus();
const machine = `Node ${process.version}, ${os.availableParallelism()} cores (${cpus[0]?.model?.trim() ?? 'unknown CPU'}), ${os.platform()} ${os.arch()}`;
say(`Nudge benchmarks${quick ? ' (--quick: a smoke run, not figures to quote)' : ''}`);
say(`${machine}`);
say(
  `${fmtInt(config.points)} points per run (math.js ${fmtInt(Math.min(config.slowPoints, config.points))}), ` +
    `${config.warmup} warm-up${config.warmup === 1 ? '' : 's'}, ${config.reps} interleaved repetitions, seed ${config.seed}, x and y uniform in [-2, 2)`,
);
if (WORKLOADS.some((w) => w === descentGd || w === descentProgress)) {
  say(`descent: ${fmtInt(config.steps)} steps per Nudge and JS run, ${fmtInt(config.tfSteps)} per TensorFlow.js run, from (-1.2, 1)`);
}
if (selected.has('fit-logistic') || selected.has('fit-mlp')) {
  say(
    `fit: ${fmtInt(config.fitRows)} rows x 16 features (seeded); fit-logistic: ${config.fitEpochs} epochs per run, ${config.warmup} warm-up run${config.warmup === 1 ? '' : 's'} and ${fitReps} repetitions of each; ` +
      `fit-mlp: ${config.mlpEpochs} epochs, one run per implementation, each in a process of its own`,
  );
}
if (only) say(`only: ${CATALOGUE.filter(([, w]) => selected.has(w)).map(([id]) => id).join(', ')}`);
say(`load average at the start: ${os.loadavg().map((l) => l.toFixed(2)).join(', ')} (1, 5, 15 min; other work on the machine shows up as noise)`);
if (!canCollect) say('note: run with node --expose-gc (npm run bench does) to collect garbage before every timed run');
say();

const results = []; // { workload, unit, role, engine, implementation, median, min, max, samples }

/** One agreement line: a tolerance check (max rel diff), or a check that states its own result (bit for bit, the engine). */
function checkLine(c) {
  const mark = c.ok ? 'ok  ' : 'FAIL';
  if (c.detail) return `  ${mark} ${c.what} of ${c.implementation}${c.against ? ` vs ${c.against}` : ''}: ${c.detail}`;
  return `  ${mark} ${c.what} of ${c.implementation} vs ${c.against}: max rel diff ${fmtDiff(c.maxRelDiff)} (tolerance ${fmtDiff(c.tolerance)}, ${fmtInt(c.points)} ${c.countLabel ?? 'points'})`;
}

/** The agreement lines; failed ones go to stderr, and then `failure`, and the run stops (exit 1) before anything more is timed. */
function reportChecks(checks, failure) {
  let bad = false;
  for (const c of checks) {
    const line = checkLine(c);
    if (c.ok) say(line);
    else {
      process.stderr.write(`${line}\n`);
      bad = true;
    }
  }
  if (bad) {
    process.stderr.write(`bench: ${failure}\n`);
    process.exit(1);
  }
}

/** An implementation run `times` times per timed run, its time per point divided accordingly. */
function repeated(impl, times) {
  return {
    ...impl,
    points: impl.points * times,
    run: () => {
      let r;
      for (let i = 0; i < times; i++) r = impl.run();
      return r;
    },
  };
}
const notes = []; // per workload extra facts for the summary

for (const w of WORKLOADS) {
  const s = await w.setup(config);
  try {
    say(`Agreement, ${w.workload}:`);
    reportChecks(s.check(), `the implementations of '${w.workload}' disagree; nothing was timed`);
    // One gradient is short: time several repetitions of it per run (the per-gradient figure is unchanged).
    const summaries = measure(
      s.impls.map((impl) => (unitOf(w) === 'us/gradient' ? repeated(impl, w === rosen100 ? 200 : w === rosen10k ? 20 : 3) : impl)),
      config,
    );
    const k = scaleOf(w);
    s.impls.forEach((impl, i) => {
      const { median, min, max, samples, values } = summaries[i];
      results.push({ workload: w.workload, unit: unitOf(w), role: impl.role, engine: impl.engine, implementation: impl.implementation, median: median * k, min: min * k, max: max * k, samples, values });
    });
    notes.push({ workload: w.workload, evaluations: s.evaluations, errors: s.errors, facts: s.facts });
  } finally {
    s.dispose();
  }
}
say();

// The playground's heatmap: asynchronous, timed by its own loop (heatmap-512.mjs).
let heatmap;
if (selected.has('heatmap-512')) {
  say(`Agreement, heatmap ${HEATMAP_SIDE} x ${HEATMAP_SIDE} (${HEATMAP_EXPRESSION}) through the pool:`);
  heatmap = await heatmap512({ reps: Math.min(config.reps, quick ? 3 : 15), warmup: Math.max(config.warmup, 2) });
  reportChecks(heatmap.checks, 'the pool and the core disagree on the heatmap');
  for (const r of heatmap.rows) {
    results.push({
      workload: `heatmap ${HEATMAP_SIDE}x${HEATMAP_SIDE}`,
      unit: 'ms/grid',
      role: r.role,
      implementation: r.implementation,
      median: r.ms.median,
      min: r.ms.min,
      max: r.ms.max,
      samples: r.samples,
      values: r.samples,
    });
  }
  say();
}

// The pool grid: asynchronous, timed by its own loop (pool-grid.mjs); fewer repetitions (each is a whole grid).
let pool;
if (selected.has('pool-grid')) {
  say(`Agreement, pool grid (${POOL_SIDE} x ${POOL_SIDE}, f and gradient of ${POOL_EXPRESSION}):`);
  pool = await poolGrid({ reps: Math.min(config.reps, quick ? 3 : 9), warmup: Math.max(config.warmup, 1) });
  reportChecks(pool.checks, 'the pool and the core disagree on the grid');
  for (const r of pool.rows) {
    const perPoint = (ms) => (ms * 1e6) / (POOL_SIDE * POOL_SIDE);
    results.push({
      workload: `pool grid ${POOL_SIDE}x${POOL_SIDE}, f and gradient`,
      unit: 'ns/point',
      role: r.role,
      implementation: `${r.implementation} (${r.ms.median.toFixed(0)} ms per grid)`,
      median: perPoint(r.ms.median),
      min: perPoint(r.ms.min),
      max: perPoint(r.ms.max),
      samples: r.samples,
      values: r.samples,
    });
  }
  say();
}

// Compile time: its own loop (compile-time.mjs), us per compile; not in the table of throughputs.
let compileTime;
const compileRows = [];
if (selected.has('compile-time')) {
  say('Agreement, compile time (sums of sin(x*c)*y):');
  reportChecks(compileChecks(), 'the engines disagree on the compile-time tapes; nothing was timed');
  compileTime = compileTimes({ ...config, quick });
  for (const z of compileTime) {
    const workload = `compile time, ${fmtInt(z.instructions)} instructions (${fmtInt(z.terms)} terms)`;
    const row = (implementation, engine, m) => compileRows.push({ workload, implementation, engine, unit: 'us/compile', median: m.median, min: m.min, max: m.max });
    row("compile(expr, { engine: 'compiled' }) (total)", 'compiled', z.compiled);
    row("compile(expr, { engine: 'interpreter' })", 'interpreter', z.interpreter);
    row('codegen + WebAssembly (compiled minus interpreter, per repetition)', 'compiled', z.extra);
    row('first evaluate() after compile, compiled (includes lazy Liftoff compile)', 'compiled', z.firstCompiled);
    row('first evaluate() after compile, interpreter', 'interpreter', z.firstInterpreter);
  }
  say();
}

// Training (issue 6): own loops (fit-logistic.mjs, fit-mlp.mjs), ms per epoch, each row with its peak memory from a child process.
const ENGINE_NOTE =
  "  note: fit's result does not say which engine ran (FitResult has no engine; the objective's function is internal to the core): Nudge's rows are labelled by the engine asked for";
let logisticFacts;
if (selected.has('fit-logistic')) {
  say(`Agreement, ${fitLogistic.workload} (${fmtInt(config.fitRows)} rows x 16 features, ${config.fitEpochs} epochs from zero weights):`);
  const s = await fitLogistic.setup({ ...config, reps: fitReps });
  try {
    reportChecks(s.check(), `the implementations of '${fitLogistic.workload}' disagree; nothing was timed`);
    say(ENGINE_NOTE);
    const timed = await s.time();
    const memory = s.memory();
    for (const r of timed) results.push({ workload: fitLogistic.workload, unit: 'ms/epoch', ...r, peakMB: memory[r.role].mb });
    logisticFacts = { ...s.facts, memory };
  } finally {
    s.dispose();
  }
  say();
}
let mlpRun;
if (selected.has('fit-mlp')) {
  say(`Agreement, ${fitMlp.workload} (${fmtInt(config.fitRows)} rows, ${config.mlpEpochs} epochs, each implementation once in a process of its own; judged before any time is reported):`);
  mlpRun = fitMlp.run(config);
  reportChecks(mlpRun.checks, `an implementation of '${fitMlp.workload}' did not train; no time is reported`);
  say(ENGINE_NOTE);
  for (const r of mlpRun.reports) {
    const ms = r.msPerEpoch;
    results.push({ workload: fitMlp.workload, unit: 'ms/epoch', role: r.role, engine: r.engine, implementation: `${r.implementation} (1 run)`, median: ms, min: ms, max: ms, samples: 1, values: [ms], peakMB: r.peak.mb });
  }
  say();
}

if (json) {
  const rows = [...results, ...compileRows].map(({ workload, implementation, engine, unit, median, min, max, peakMB }) => ({
    workload,
    implementation,
    ...(engine ? { engine } : {}),
    unit,
    median,
    min,
    max,
    ...(peakMB !== undefined ? { peakRssMB: peakMB } : {}),
  }));
  process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  if (!Number.isFinite(sinkValue()) && process.env.NUDGE_BENCH_DEBUG) process.stderr.write('sink is not finite\n');
  process.exit(0);
}

// The table.
const byRole = (workload, role) => results.find((r) => r.workload === workload && r.role === role);
const RATIO_ROLES = new Set(['nudge', 'nudge-interpreter', 'variant', 'closure', 'closure-reuse', 'closure5', 'mathjs']);
const withMemory = results.some((r) => r.peakMB !== undefined);
const header = ['workload', 'implementation', 'median (min-max)', 'unit', 'vs JS baseline', 'vs math.js', ...(withMemory ? ['peak RSS, MB'] : [])];
const rows = results.map((r) => {
  // The JS baseline: the closure loop for evaluation and differences, the hand-written analytic derivative for exact ones, the hand-written training loop for fit.
  const closure = byRole(r.workload, 'closure') ?? byRole(r.workload, 'analytic') ?? byRole(r.workload, 'js-loop');
  const mathjs = byRole(r.workload, 'mathjs');
  const ratio = RATIO_ROLES.has(r.role) || ['tf-cpu', 'tf-wasm', 'central', 'nudge-eval', 'nudge-eval-interpreter'].includes(r.role);
  const base = closure?.role;
  return [
    r.workload,
    r.implementation,
    `${fmtNs(r.median)} (${fmtNs(r.min)}-${fmtNs(r.max)})`,
    r.unit,
    ratio && closure && r.role !== base ? fmtRatio(closure.median, r.median) : r.role === base ? '1' : '',
    ratio && mathjs && r.role !== 'mathjs' ? fmtRatio(mathjs.median, r.median) : r.role === 'mathjs' ? '1' : '',
    ...(withMemory ? [r.peakMB !== undefined ? r.peakMB.toFixed(0) : ''] : []),
  ];
});
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
const line = (cells) => cells.map((c, i) => (i === 2 || i >= 4 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ').trimEnd();
if (results.length > 0) {
  say(line(header));
  say(widths.map((n) => '-'.repeat(n)).join('-|-'));
  let previous;
  for (const row of rows) {
    say(line(row[0] === previous ? ['', ...row.slice(1)] : row));
    previous = row[0];
  }
  say();
  say('Ratios are median over median. "vs JS baseline" is against the JS loop that returns a new array per call, as Nudge\'s API does,');
  say('or, for exact derivatives and gradients, against the hand-written analytic derivative in JS; for descent, against the hand-written');
  say('JS loop with the analytic gradient; in the central-difference rows, against the 2-evaluation JS central difference.');
  say('"output reused": the same JS loop into an array it keeps.');
  say("Engines: 'compiled tape' rows run a function made with engine 'compiled' (its tape compiled to WebAssembly at once), 'interpreter' rows one");
  say("made with engine 'interpreter'; the check phase asserts f.engine of each. Builder functions with vector variables (extended Rosenbrock)");
  say('run in vector mode: compiled, their element-wise chains are fused into one loop over the elements.');
  say('API floor: the same call on f = x (no tape work; evaluateMany: the kernel only copies x out; derivativeMany: the stencil set-up and combination).');
  say("Copies alone: the API's data movement (pack the columns, copy them into WASM memory, slice the outputs out) replayed in plain JS, no kernel;");
  say('without packing: the same minus the packing step, the least an API over JS arrays can copy.');
  if (withMemory) {
    say('fit: ms per epoch read inside a training run, from the end of its first epoch to the end of its last (set-up, the first epoch and the final');
    say("evaluation not counted); \"vs JS baseline\" against the hand-written JS loop (fit-mlp: a hand-written JS network, a reference). fit-mlp's rows are");
    say("one run each (no spread). Peak RSS: VmHWM of a separate node process per implementation that makes the data the same way and trains the same");
    say('epochs (it includes node itself and the data: the floor, a process that only makes the data, is given with the targets).');
  }
  say();
}

// Where Nudge's time goes.
const explained = WORKLOADS.filter((w) => ['nudge', 'floor', 'copies', 'copies-min'].every((role) => byRole(w.workload, role)));
if (explained.length > 0) {
  say("Where Nudge's time goes (medians, ns/point; compiled engine):");
  for (const w of explained) {
    const [nudge, floor, copies, copiesMin] = ['nudge', 'floor', 'copies', 'copies-min'].map((role) => byRole(w.workload, role));
    say(
      `  ${w.workload}: ${fmtNs(nudge.median)}; API floor ${fmtNs(floor.median)} (${pct(floor.median, nudge.median)}), ` +
        `the copies replayed in JS ${fmtNs(copies.median)} packing the columns first, ${fmtNs(copiesMin.median)} without (${pct(copiesMin.median, nudge.median)}); ` +
        `the rest, about ${fmtNs(Math.max(0, nudge.median - floor.median))}, is the tape`,
    );
  }
  say();
}

// Compile time, a table of its own (us per compile).
if (compileTime) {
  const fmtUs = (m) => `${fmtNs(m.median)} (${fmtNs(m.min)}-${fmtNs(m.max)})`;
  say("Compile time, us per compile, median (min-max), compile(expr, { engine }) of sums of sin(x*c)*y, each compiled function disposed before the next:");
  const head = ['instructions', 'reps', "engine 'compiled' (total)", "engine 'interpreter'", 'codegen + WebAssembly', 'per instruction', 'first evaluate(): compiled', 'interpreter'];
  const body = compileTime.map((z) => [
    fmtInt(z.instructions),
    String(z.reps),
    fmtUs(z.compiled),
    fmtUs(z.interpreter),
    `${fmtNs(z.extra.median)} (${pct(z.extra.median, z.compiled.median)})`,
    `${(z.extra.median / z.instructions).toFixed(2)} us`,
    fmtUs(z.firstCompiled),
    fmtUs(z.firstInterpreter),
  ]);
  const wd = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const ln = (cells) => cells.map((c, i) => c.padStart(wd[i])).join(' | ');
  say(ln(head));
  say(wd.map((n) => '-'.repeat(n)).join('-|-'));
  for (const r of body) say(ln(r));
  say('codegen + WebAssembly: the median over repetitions of (compiled minus interpreter), the two compiles of a repetition neighbours in time:');
  say('the tape without slot reuse, the module written, new WebAssembly.Module and Instance, the function table. V8 compiles WebAssembly');
  say("lazily (Liftoff on a function's first call, TurboFan later in the background once hot): the first evaluate() after compile() pays");
  say("the baseline compile of 'eval', the first derivative or gradient that of 'jvp' or 'gradient'.");
  say();
}

// The issue's targets.
/**
 * MET or MISSED; with `paired` (the ratio per repetition: min, max), a verdict whose limit lies inside that range is
 * marked within the noise: some repetitions fall on either side of it.
 */
const verdict = (met, paired, limit = 1) => {
  const noisy = paired && paired.min <= limit && limit <= paired.max;
  return `${met ? 'MET' : 'MISSED'}${noisy ? ' (the limit is inside the per-repetition range: within the noise)' : ''}`;
};
/** a / b per repetition (the two runs of one repetition are neighbours in time): median, min, max. */
function pairedRatio(a, b) {
  const r = a.values.map((v, i) => v / b.values[i]);
  return { median: median(r), min: Math.min(...r), max: Math.max(...r) };
}
const fmtX = (r) => (r >= 100 ? Math.round(r).toLocaleString('en-US') : r >= 10 ? r.toFixed(0) : r.toFixed(2));
const fmtPct = (r) => `${r >= 0 ? '+' : ''}${(100 * r).toFixed(Math.abs(r) < 0.01 ? 2 : 1)}%`;
const factsOf = (w) => notes.find((n) => n.workload === w.workload)?.facts ?? {};
const ENGINES = [
  ['nudge', 'compiled   '],
  ['nudge-interpreter', 'interpreter'],
];
/**
 * A target on Nudge's time over a baseline's, for each engine's row: at most `limit` times the baseline's time
 * (strict: below it). A miss says by how much: the ratio over the limit, and the time Nudge would have to shed.
 */
function timeTarget(workload, baseRole, limit, { strict = false, unit = 'ns/point' } = {}) {
  const base = byRole(workload, baseRole);
  for (const [role, name] of ENGINES) {
    const r = byRole(workload, role);
    if (!r || !base) continue;
    const ratio = r.median / base.median;
    const met = strict ? ratio < limit : ratio <= limit;
    const p = pairedRatio(r, base);
    const miss = met ? '' : `: ${(ratio / limit).toFixed(2)}x the limit, ${Math.round(100 * (1 - limit / ratio))}% of the time to shed`;
    say(
      `    ${name} ${fmtNs(r.median)} vs ${fmtNs(base.median)} ${unit}: ${fmtX(ratio)}x the time (per repetition ${fmtX(p.median)}x, ${fmtX(p.min)}-${fmtX(p.max)}x) ` +
        `-> ${verdict(met, p, limit)}${miss}`,
    );
  }
}
if (results.length > 0 || pool || heatmap) say('Targets (issue 5: both engines; "x the time" is Nudge\'s median over the baseline\'s; per repetition: the ratio within each repetition):');
if (picked(evalTrig)) {
  const w = evalTrig.workload;
  say(`  ${evalTrig.expression} at ${fmtInt(config.points)} points, at most 0.7x the JS closure's time:`);
  timeTarget(w, 'closure', 0.7);
  const m1 = byRole(w, 'mathjs');
  for (const [role, name] of ENGINES) {
    const n = byRole(w, role);
    if (n) say(`    ${name} >= 20x faster than math.js: ${(m1.median / n.median).toFixed(0)}x -> ${verdict(m1.median / n.median >= 20)}`);
  }
  const r1 = byRole(w, 'closure-reuse');
  if (r1) say(`    (against the JS loop that reuses its output array: compiled ${fmtX(byRole(w, 'nudge').median / r1.median)}x its time, interpreter ${fmtX(byRole(w, 'nudge-interpreter').median / r1.median)}x)`);
}
if (picked(evalPoly)) {
  const w = evalPoly.workload;
  say(`  ${evalPoly.expression} at ${fmtInt(config.points)} points, faster than the JS closure:`);
  timeTarget(w, 'closure', 1, { strict: true });
  const m2 = byRole(w, 'mathjs');
  for (const [role, name] of ENGINES) {
    const n = byRole(w, role);
    if (n) say(`    ${name} >= 20x faster than math.js: ${(m2.median / n.median).toFixed(0)}x -> ${verdict(m2.median / n.median >= 20)}`);
  }
  const r2 = byRole(w, 'closure-reuse');
  const fl = byRole(w, 'floor');
  if (r2) say(`    (against the JS loop that reuses its output array: compiled ${fmtX(byRole(w, 'nudge').median / r2.median)}x its time; the API floor alone, f = x, takes ${fmtNs(fl.median)} ns/point)`);
}
if (picked(derivativeCentral)) {
  const deriv = derivativeCentral.workload;
  const c2d = byRole(deriv, 'closure');
  const c5d = byRole(deriv, 'closure5');
  const evals = notes.find((n) => n.workload === deriv)?.evaluations;
  for (const [role, name] of ENGINES) {
    const nd = byRole(deriv, role);
    say(
      `  Central differences (no target), ${name.trim()}: Nudge ${fmtNs(nd.median)} ns/point (${evals} evaluations, ${fmtNs(nd.median / evals)} ns each) vs JS 2-evaluation central ${fmtRatio(c2d.median, nd.median)}, ` +
        `vs JS with the same 5 evaluations ${fmtRatio(c5d.median, nd.median)}`,
    );
  }
  const vd = byRole(deriv, 'variant');
  if (vd) say(`  (with x^3 written x*x*x Nudge, compiled, takes ${fmtNs(vd.median)} ns/point: ${fmtRatio(c5d.median, vd.median)} than the 5-evaluation JS)`);
}
if (picked(derivativeAd)) {
  const w = derivativeAd.workload;
  const tfw = byRole(w, 'tf-wasm');
  const errs = notes.find((n) => n.workload === w)?.errors ?? {};
  say(`  Exact derivative at ${fmtInt(config.points)} points, no slower than the hand-written analytic derivative in JS:`);
  timeTarget(w, 'analytic', 1);
  say(
    `    TensorFlow.js WASM ${fmtNs(tfw.median)} ns/point; max rel. error against the analytic derivative: Nudge compiled ${fmtDiff(errs.nudge ?? NaN)}, ` +
      `interpreter ${fmtDiff(errs['nudge-interpreter'] ?? NaN)}, TensorFlow.js ${fmtDiff(errs['tf-wasm'] ?? NaN)}, math.js ${fmtDiff(errs.mathjs ?? NaN)}`,
  );
}
for (const w of [rosen100, rosen10k, rosen100k].filter(picked)) {
  const a = byRole(w.workload, 'analytic');
  const tw = byRole(w.workload, 'tf-wasm');
  const tc = byRole(w.workload, 'tf-cpu');
  const judged = w === rosen10k; // the issue's targets are at n = 10,000; the other sizes are reported
  say(`  ${w.workload}: a builder function with a vector variable (vector mode; compiled: its loops fused)`);
  for (const [gradRole, evalRole, name] of [['nudge', 'nudge-eval', 'compiled   '], ['nudge-interpreter', 'nudge-eval-interpreter', 'interpreter']]) {
    const g = byRole(w.workload, gradRole);
    const e = byRole(w.workload, evalRole);
    if (!g || !e) continue;
    const ge = pairedRatio(g, e);
    const ga = pairedRatio(g, a);
    const ratio = g.median / a.median;
    say(
      `    ${name}: gradient ${fmtNs(g.median)} us (${fmtNs(g.min)}-${fmtNs(g.max)}), evaluation ${fmtNs(e.median)} us: the gradient ${(g.median / e.median).toFixed(2)}x its evaluation ` +
        `(per repetition ${ge.median.toFixed(2)}x, ${ge.min.toFixed(2)}-${ge.max.toFixed(2)}x; target <= 4) -> ${verdict(g.median / e.median <= 4, ge, 4)}`,
    );
    say(
      `      ${ratio.toFixed(2)}x the analytic JS gradient's time (${fmtNs(a.median)} us; per repetition ${ga.median.toFixed(2)}x, ${ga.min.toFixed(2)}-${ga.max.toFixed(2)}x; ` +
        (judged ? `target <= 3) -> ${verdict(ratio <= 3, ga, 3)}${ratio <= 3 ? '' : `: ${(ratio / 3).toFixed(2)}x the limit`}` : 'reported: the target, <= 3x, is at n = 10,000)'),
    );
    say(
      `      against TensorFlow.js tf.grad Nudge is ${(tw.median / g.median).toFixed(1)}x faster than the WASM backend${judged ? ` (target >= 10x: ${tw.median / g.median >= 10 ? 'MET' : 'MISSED'})` : ''} and ${(tc.median / g.median).toFixed(1)}x faster than the CPU backend`,
    );
  }
}
if (picked(descentGd)) {
  const w = descentGd.workload;
  const [n, ni, js, tc, tw] = ['nudge', 'nudge-interpreter', 'analytic', 'tf-cpu', 'tf-wasm'].map((role) => byRole(w, role));
  const f = factsOf(descentGd);
  say(
    `  Descent, plain gd on 2-D Rosenbrock: Nudge compiled ${fmtNs(n.median)} ns/step (${fmtNs(n.min)}-${fmtNs(n.max)}), interpreter ${fmtNs(ni.median)} (${fmtNs(ni.min)}-${fmtNs(ni.max)}), ` +
      `JS ${fmtNs(js.median)} (${fmtNs(js.min)}-${fmtNs(js.max)}), TensorFlow.js CPU ${fmtNs(tc.median)} (${fmtNs(tc.min)}-${fmtNs(tc.max)}), WASM ${fmtNs(tw.median)} (${fmtNs(tw.min)}-${fmtNs(tw.max)})`,
  );
  say(`    Nudge within 2x of the hand-written JS loop per step:`);
  timeTarget(w, 'analytic', 2, { unit: 'ns/step' });
  for (const t of [tc, tw]) {
    for (const [role, name] of ENGINES) {
      const r = byRole(w, role);
      const p = pairedRatio(t, r);
      say(`    TensorFlow.js ${t.role === 'tf-cpu' ? 'CPU ' : 'WASM'} / Nudge ${name} per step (target >= 20x): ${fmtX(t.median / r.median)}x (per repetition ${fmtX(p.min)}-${fmtX(p.max)}x) -> ${verdict(t.median / r.median >= 20)}`);
    }
  }
  if (f.end) {
    say(
      `    all end at (${f.end[0]}, ${f.end[1]}), f = ${f.endValue.toExponential(2)}, after ${fmtInt(f.steps)} steps (Nudge took ${fmtInt(f.iterations)}); ` +
        `after ${fmtInt(config.tfSteps)} steps, where TensorFlow.js is compared, the JS loop is at (${f.shortEnd[0]}, ${f.shortEnd[1]})`,
    );
  }
}
if (picked(descentProgress)) {
  const [off, on, chunked] = ['progress-off', 'progress-on', 'progress-chunked'].map((role) => byRole(descentProgress.workload, role));
  const f = factsOf(descentProgress);
  const p = pairedRatio(on, off);
  const q = pairedRatio(chunked, off);
  say(
    `  Progress reporting: on ${fmtNs(on.median)} ns/step (${fmtNs(on.min)}-${fmtNs(on.max)}) vs off ${fmtNs(off.median)} (${fmtNs(off.min)}-${fmtNs(off.max)}): ` +
      `overhead ${fmtPct(on.median / off.median - 1)} of the medians, ${fmtPct(p.median - 1)} per repetition (median; range ${fmtPct(p.min - 1)} to ${fmtPct(p.max - 1)}) ` +
      `-> target < 5% (per repetition): ${verdict(p.median - 1 < 0.05, p, 1.05)}`,
  );
  say(
    `    on: ${fmtInt(f.chunksOn)} kernel calls and ${fmtInt(f.callbacks)} onProgress calls (last at step ${fmtInt(f.lastReported ?? 0)}); off: ${f.chunksOff} kernel calls (minimize counts the start's evaluation as one); ` +
      `adaptive chunks without the callback: ${fmtPct(chunked.median / off.median - 1)} (per repetition ${fmtPct(q.median - 1)}, ${fmtPct(q.min - 1)} to ${fmtPct(q.max - 1)})`,
  );
  // The magnified row: its extra time over 'off', spread over its extra calls, is one call's cost; times the default's extra calls.
  const fine = byRole(descentProgress.workload, 'progress-fine');
  if (fine && f.chunksFine > f.chunksOff) {
    const perCallNs = ((fine.median - off.median) * config.steps) / (f.chunksFine - f.chunksOff);
    const projected = (perCallNs * (f.chunksOn - f.chunksOff)) / (off.median * config.steps);
    say(
      `    one kernel call and onProgress callback costs about ${fmtNs(perCallNs / 1000)} us (chunks of ${FINE_CHUNK}: ${fmtInt(f.chunksFine)} calls, ${fmtNs(fine.median)} ns/step); ` +
        `the default's ${f.chunksOn - f.chunksOff} extra calls would then cost ${fmtPct(projected)} of the run`,
    );
  }
}
if (pool) {
  const [core, one, two] = ['core', 'pool-1', 'pool-2'].map((role) => pool.rows.find((r) => r.role === role));
  const paired = two.samples.map((t, i) => one.samples[i] / t);
  say(
    `  Pool grid ${POOL_SIDE}x${POOL_SIDE} (f and gradient): 1 worker ${one.ms.median.toFixed(0)} ms (${one.ms.min.toFixed(0)}-${one.ms.max.toFixed(0)}), ` +
      `2 workers ${two.ms.median.toFixed(0)} ms (${two.ms.min.toFixed(0)}-${two.ms.max.toFixed(0)}): speed-up ${(one.ms.median / two.ms.median).toFixed(2)}x ` +
      `(per repetition ${Math.min(...paired).toFixed(2)}-${Math.max(...paired).toFixed(2)}x; reported, no target); the core on the calling thread ${core.ms.median.toFixed(0)} ms`,
  );
}
if (heatmap) {
  const row = (role) => heatmap.rows.find((r) => r.role === role).ms;
  const ms = (m) => `${m.median.toFixed(1)} ms (${m.min.toFixed(1)}-${m.max.toFixed(1)})`;
  const best = Math.min(row('gradient-1').median, row('gradient-2').median);
  say(
    `  Issue 7, heatmap ${HEATMAP_SIDE}x${HEATMAP_SIDE} through the pool, median (min-max): f alone 1 worker ${ms(row('f-1'))}, 2 workers ${ms(row('f-2'))}; ` +
      `f and gradient 1 worker ${ms(row('gradient-1'))}, 2 workers ${ms(row('gradient-2'))}`,
  );
  say(`    f and gradient under ${HEATMAP_TARGET_MS} ms: ${best < HEATMAP_TARGET_MS ? 'met' : 'MISSED'} (best pool size ${best.toFixed(1)} ms)`);
}
const fmtMB = (mb) => `${mb.toFixed(0)} MB`;
if (logisticFacts) {
  const w = fitLogistic.workload;
  const f = logisticFacts;
  const [n, ni, js, tc, tw] = ['nudge', 'nudge-interpreter', 'js-loop', 'tf-cpu', 'tf-wasm'].map((role) => byRole(w, role));
  const range = (r) => `${fmtNs(r.median)} (${fmtNs(r.min)}-${fmtNs(r.max)})`;
  say(`  Issue 6, ${w}, ${fmtInt(f.rows)} rows x 16 features, ms per epoch (median of ${fitReps} runs of ${f.epochs} epochs):`);
  say(`    Nudge compiled ${range(n)}, interpreter ${range(ni)}; hand-written JS loop ${range(js)}; TensorFlow.js CPU ${range(tc)}, WASM ${range(tw)}`);
  say('    Nudge no slower than the hand-written JS loop:');
  timeTarget(w, 'js-loop', 1, { unit: 'ms/epoch' });
  say('    Nudge at least 2x faster than TensorFlow.js WASM (at most 0.5x its time):');
  timeTarget(w, 'tf-wasm', 0.5, { unit: 'ms/epoch' });
  say(
    `    against the hand-written C loop the issue quotes (about ${C_MS_PER_EPOCH} ms per epoch; not run here; reported, not a target): Nudge compiled ${fmtX(n.median / C_MS_PER_EPOCH)}x its time, ` +
      `interpreter ${fmtX(ni.median / C_MS_PER_EPOCH)}x, the JS loop ${fmtX(js.median / C_MS_PER_EPOCH)}x, TensorFlow.js WASM ${fmtX(tw.median / C_MS_PER_EPOCH)}x`,
  );
  say(
    `    training: mean log loss ${f.loss.first.toFixed(4)} -> ${f.loss.last.toFixed(4)} over ${f.epochs} epochs, accuracy ${(100 * f.accuracy).toFixed(2)}% ` +
      `(the generating model's own: ${(100 * f.truthAccuracy).toFixed(2)}%)`,
  );
  const m = f.memory;
  const above = (role) => `${fmtMB(m[role].mb)} (+${(m[role].mb - m.data.mb).toFixed(0)})`;
  say(
    `    peak RSS (${m.data.source}), each in its own process, + over the data alone (${fmtMB(m.data.mb)}): Nudge compiled ${above('nudge')}, interpreter ${above('nudge-interpreter')}, ` +
      `JS loop ${above('js-loop')}, TensorFlow.js CPU ${above('tf-cpu')}, WASM ${above('tf-wasm')}`,
  );
}
if (mlpRun) {
  const w = fitMlp.workload;
  const rep = (role) => mlpRun.reports.find((r) => r.role === role);
  const [n, ni, js, tc, tw] = ['nudge', 'nudge-interpreter', 'js-loop', 'tf-cpu', 'tf-wasm'].map(rep);
  const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
  say(`  Issue 6, ${w}, ${fmtInt(config.fitRows)} rows, s per epoch (one run each, epochs 2-${config.mlpEpochs}):`);
  say(
    `    Nudge, engine 'compiled' asked ${s(n.msPerEpoch)}, 'interpreter' asked ${s(ni.msPerEpoch)} (the same bits: the option's effect on a network is this ratio, ${fmtX(ni.msPerEpoch / n.msPerEpoch)}x); ` +
      `TensorFlow.js CPU ${s(tc.msPerEpoch)}, WASM ${s(tw.msPerEpoch)}; hand-written JS network ${s(js.msPerEpoch)} (a reference)`,
  );
  say('    Nudge faster than TensorFlow.js WASM:');
  timeTarget(w, 'tf-wasm', 1, { strict: true, unit: 'ms/epoch' });
  say(`    (one run each: the per-repetition range is that run's; against the hand-written JS network Nudge takes ${fmtX(n.msPerEpoch / js.msPerEpoch)}x its time)`);
  say(
    `    before the first epoch's end (set-up and epoch 1) / after the last (loss and accuracy on every row): Nudge ${s(n.first)} / ${s(n.end)} ('interpreter' ${s(ni.first)} / ${s(ni.end)}), ` +
      `TensorFlow.js CPU ${s(tc.first)} / ${s(tc.end)}, WASM ${s(tw.first)} / ${s(tw.end)}, JS ${s(js.first)} / ${s(js.end)}`,
  );
  const acc = (r) => `${(100 * r.accuracy).toFixed(2)}% (loss ${r.endLoss.toFixed(4)})`;
  say(`    accuracy on every row after ${config.mlpEpochs} epochs: Nudge ${acc(n)}, TensorFlow.js CPU ${acc(tc)}, WASM ${acc(tw)}, JS ${acc(js)} (the generating model's own: ${(100 * mlpRun.truthAccuracy).toFixed(2)}%)`);
  const floor = mlpRun.data.peak.mb;
  const above = (r) => `${fmtMB(r.peak.mb)} (+${(r.peak.mb - floor).toFixed(0)})`;
  say(
    `    peak RSS (${mlpRun.data.peak.source}), + over the data alone (${fmtMB(floor)}): Nudge ${above(n)} ('interpreter' ${above(ni)}), TensorFlow.js CPU ${above(tc)}, WASM ${above(tw)}, JS ${above(js)}`,
  );
}
if (results.length > 0 || pool || heatmap) say();
if (selected.has(null)) {
  const s = symbolicSizes();
  say(`Symbolic output size (nodes as math.js parses both texts), over the ${s.rows.length} SymPy-table derivatives math.js can take (${s.skipped} skipped: functions math.js lacks):`);
  const total = (k) => s.rows.reduce((acc, r) => acc + r[k], 0);
  say(`  Nudge's simplified derivative is smaller or equal in ${s.smallerOrEqual} of ${s.rows.length} cases (${(100 * s.share).toFixed(1)}%, target 90%: ${s.share >= 0.9 ? 'MET' : 'MISSED'}); total nodes Nudge ${total('nudge')}, math.js ${total('mathjs')}`);
  say();
}
say(`(checksum of all results: ${sinkValue().toPrecision(6)})`);
