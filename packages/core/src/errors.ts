/**
 * Typed errors. Every error a user can cause carries a stable `code`, a
 * message that names what is wrong and where, and (for text input) the
 * 1-based `column` of the offending character. `toJSON()` keeps all of it
 * when the error is printed as JSON or sent across a thread.
 */
export type ErrorCode =
  | 'syntax'
  | 'too-deep'
  | 'unknown-function'
  | 'arity'
  | 'unknown-variable'
  | 'missing-variable'
  | 'invalid-argument'
  | 'disposed'
  /** Data (a CSV file, columns given to the API) that cannot be used. */
  | 'data';

export interface NudgeErrorJSON {
  name: string;
  code: ErrorCode;
  message: string;
  column?: number;
}

export class NudgeError extends Error {
  override name = 'NudgeError';
  readonly code: ErrorCode;
  /** 1-based column in the expression text, when the error has a place. */
  readonly column: number | undefined;

  constructor(code: ErrorCode, message: string, column?: number) {
    super(message);
    this.code = code;
    this.column = column;
  }

  toJSON(): NudgeErrorJSON {
    const json: NudgeErrorJSON = { name: this.name, code: this.code, message: this.message };
    if (this.column !== undefined) json.column = this.column;
    return json;
  }
}

/** Text that does not parse: the message ends with `at column N`. */
export class NudgeSyntaxError extends NudgeError {
  override name = 'NudgeSyntaxError';
  declare readonly column: number;

  constructor(code: 'syntax' | 'too-deep', message: string, column: number) {
    super(code, `${message} at column ${column}`, column);
  }
}

/** A name, arity or argument that is not allowed (unknown function, wrong arity, bad option). */
export class NudgeArgumentError extends NudgeError {
  override name = 'NudgeArgumentError';
}
