import { NudgeError } from '@nudge/core';

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** Exit codes: 0 an answer (even a NaN one, with its warning), 2 bad input. */
export const EXIT_OK = 0;
export const EXIT_USAGE = 2;
/** A long run stopped by Ctrl-C (SIGINT), after printing what it had. */
export const EXIT_INTERRUPTED = 130;

/** One JSON object on stdout; NaN and infinities become null (JSON has no such numbers). */
export function printJson(io: Io, value: unknown): void {
  io.out(`${JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))}\n`);
}

/** Human lines on stdout. */
export function printLines(io: Io, lines: (string | undefined | false)[]): void {
  io.out(`${lines.filter((l): l is string => typeof l === 'string').join('\n')}\n`);
}

/**
 * A user's mistake, on stderr: one line (`nudge: ...`), and for a mistake in
 * the expression the expression with a caret under the column. With --json,
 * `{"error": {"code", "message", "column"}}` instead.
 */
export function printError(io: Io, error: NudgeError | { code: string; message: string; column?: number }, json: boolean, expression?: string): void {
  const column = error.column;
  if (json) {
    const body: Record<string, unknown> = { code: error.code, message: error.message };
    if (column !== undefined) body.column = column;
    io.err(`${JSON.stringify({ error: body })}\n`);
    return;
  }
  let text = `nudge: ${error.message}\n`;
  if (column !== undefined && expression !== undefined && !expression.includes('\n') && expression.length <= 200) {
    text += `  ${expression}\n  ${' '.repeat(Math.max(0, column - 1))}^\n`;
  }
  io.err(text);
}
