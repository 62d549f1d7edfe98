import { NudgeError, type NudgeErrorJSON } from '../errors.js';

export interface NudgeDataErrorJSON extends NudgeErrorJSON {
  line?: number;
  columnName?: string;
}

/**
 * Data that cannot be used (code 'data'). For a CSV file the message starts
 * with `line N` (1-based, the header is line 1) and names the column and the
 * cell's text where there is one; `line` and `columnName` carry the same as
 * fields.
 */
export class NudgeDataError extends NudgeError {
  override name = 'NudgeDataError';
  /** 1-based line of the CSV text (the header is line 1), when the error has a line. */
  readonly line: number | undefined;
  /** The column the error is in, when it is in one. */
  readonly columnName: string | undefined;

  constructor(message: string, where: { line?: number; columnName?: string } = {}) {
    super('data', message);
    this.line = where.line;
    this.columnName = where.columnName;
  }

  override toJSON(): NudgeDataErrorJSON {
    const json: NudgeDataErrorJSON = super.toJSON();
    if (this.line !== undefined) json.line = this.line;
    if (this.columnName !== undefined) json.columnName = this.columnName;
    return json;
  }
}
