import { Option, type Command } from 'commander';
import { METHODS, NudgeError, type DerivativeOptions } from '@nudge/core';
import type { Io } from './output.js';

/** What a command needs from the run: where to write, and what to remember for error messages. */
export interface Context {
  io: Io;
  /** The expression being worked on, for the caret under an error's column. */
  expression?: string;
  /** Set by a command whose answer printed but whose run was interrupted (130). */
  exitCode?: number;
}

export interface NumericFlags {
  method?: string;
  h?: string;
  json?: boolean;
}

/** --method and --h, shared by every command that differentiates. */
export function addNumericOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--method <method>', 'how to differentiate (default: exact, by automatic differentiation)').choices([...METHODS]))
    .option('--h <step>', "the step of forward/backward/central differences: a positive number or 'auto' (default 1e-4; richardson: auto)");
}

export function numericOptions(flags: NumericFlags): DerivativeOptions {
  const options: DerivativeOptions = {};
  if (flags.method !== undefined) options.method = flags.method as NonNullable<DerivativeOptions['method']>;
  if (flags.h !== undefined) {
    if (flags.h === 'auto') options.h = 'auto';
    else {
      const h = Number(flags.h);
      if (flags.h.trim() === '' || !Number.isFinite(h) || !(h > 0)) {
        throw new NudgeError('invalid-argument', `--h must be a positive number or 'auto', got '${flags.h}'`);
      }
      options.h = h;
    }
  }
  return options;
}

export const METHOD_TEXT: Record<string, string> = {
  exact: 'exact (automatic differentiation)',
  complex: 'complex step Im f(x+ih)/h, exact to rounding',
  forward: 'forward difference (f(x+h) - f(x))/h',
  backward: 'backward difference (f(x) - f(x-h))/h',
  central: 'central difference (f(x+h) - f(x-h))/(2h)',
  richardson: 'Richardson extrapolation of central differences',
};
