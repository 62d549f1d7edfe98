import { Command, CommanderError } from 'commander';
import { NudgeError } from '@nudge/core';
import { registerData } from './commands/data.js';
import { registerDerivative } from './commands/derivative.js';
import { registerEval } from './commands/eval.js';
import { registerDirectional, registerGradient } from './commands/gradient.js';
import { registerCritical, registerHessian } from './commands/hessian.js';
import { registerChain } from './commands/chain.js';
import { registerBackprop } from './commands/backprop.js';
import { registerFit } from './commands/fit.js';
import { registerMinimize } from './commands/minimize.js';
import { registerPredict } from './commands/predict.js';
import { registerSlope } from './commands/slope.js';
import { registerTangent } from './commands/tangent.js';
import type { Context } from './context.js';
import { EXIT_OK, EXIT_USAGE, printError, processIo, type Io } from './output.js';
import { VERSION } from './version.js';

/** Run the `nudge` command with these arguments; resolves to the exit code. */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  const json = argv.includes('--json');
  const ctx: Context = { io };
  const { args, restore } = protectLeadingMinus(argv);
  const program = buildProgram(ctx, restore);
  try {
    await program.parseAsync(args, { from: 'user' });
    return ctx.exitCode ?? EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return EXIT_OK; // --help, --version
      if (error.code === 'commander.help') return EXIT_USAGE; // no command: the help was shown
      printError(io, { code: 'usage', message: error.message.replace(/^error: /, '') }, json);
      return EXIT_USAGE;
    }
    if (error instanceof NudgeError) {
      printError(io, error, json, ctx.expression);
      return EXIT_USAGE;
    }
    // A bug in Nudge, not a user's mistake: say so plainly.
    const message = error instanceof Error ? error.message : String(error);
    printError(io, { code: 'internal', message: `internal error: ${message} (please report it)` }, json);
    return 1;
  }
}

function buildProgram(ctx: Context, restore: (s: string) => string): Command {
  const program = new Command('nudge')
    .description('Calculus for deep learning: slopes, derivatives, tangents, gradients, directional derivatives, gradient descent, backpropagation and fitting models to data.')
    .version(VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.io.out(s),
      writeErr: (s) => ctx.io.err(s),
      outputError: () => {}, // printed by main(), as one line or as JSON
    })
    .showSuggestionAfterError(true);
  registerEval(program, ctx);
  registerSlope(program, ctx);
  registerDerivative(program, ctx);
  registerTangent(program, ctx);
  registerGradient(program, ctx);
  registerDirectional(program, ctx);
  registerHessian(program, ctx);
  registerCritical(program, ctx);
  registerChain(program, ctx);
  registerBackprop(program, ctx);
  registerMinimize(program, ctx);
  registerData(program, ctx);
  registerFit(program, ctx);
  registerPredict(program, ctx);
  for (const cmd of program.commands) {
    cmd.exitOverride().configureOutput({ writeOut: (s) => ctx.io.out(s), writeErr: (s) => ctx.io.err(s), outputError: () => {} });
    // The expression argument comes back exactly as typed, even when it started with '-'.
    cmd.hook('preAction', (_this, action) => {
      const a = action.args as string[];
      if (typeof a[0] === 'string') a[0] = restore(a[0]);
      action.processedArgs[0] = a[0];
    });
  }
  return program;
}

/**
 * An expression that starts with '-' (`nudge eval "-x^2"`) would be taken for
 * an option. The argument after the command name is the expression, so one
 * that starts with '-' and is no option of ours is marked, and restored
 * before the command runs.
 */
function protectLeadingMinus(argv: readonly string[]): { args: string[]; restore: (s: string) => string } {
  const args = [...argv];
  const marked = new Set<string>();
  const i = 1;
  const candidate = args[i];
  if (args.length > 1 && candidate !== undefined && /^-(?!-?[A-Za-z][A-Za-z-]*$)./.test(candidate) && !/^-?\d/.test(candidate.slice(1, 2))) {
    const mark = `\u0000${candidate}`;
    marked.add(mark);
    args[i] = mark;
  }
  return { args, restore: (s) => (marked.has(s) ? s.slice(1) : s) };
}
