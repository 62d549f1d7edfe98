/**
 * A streaming reader of CSV tables of numbers.
 *
 * The CSV grammar (commas, RFC 4180 quoted fields with "" for a quote and
 * line breaks inside quotes) is papaparse's: one dependency-free file that
 * runs in the browser and in Node. Its low-level `Parser` is used directly,
 * fed our own chunks, because papaparse's public streaming entry points take
 * a File, a URL or a Node stream, not text pushed in pieces. It read a
 * 100 MB file in about 4 s here; csv-parse 7 (the other candidate) took
 * 22-29 s on the same file (its browser build bundles Buffer and stream
 * polyfills), too slow for files of that size. Papaparse does not count
 * lines, so this reader does (a quoted field may span lines), and it does
 * not store rows: each row's cells go straight into Float64Array blocks
 * (ColumnBuilder), so memory is the numbers plus the chunk being read.
 */
import Papa from 'papaparse';
import { NudgeError } from '../errors.js';
import { ColumnBuilder } from './column-builder.js';
import { NudgeDataError } from './data-error.js';
import { describeCellProblem, parseCell } from './number.js';
import { badColumnName, makeTable, type Table } from './table.js';

/** A row longer than this (in characters) is an error: in a file of numbers it means a quote that is never closed. */
export const MAX_ROW_CHARS = 16 * 1024 * 1024;

interface StepResult {
  data: string[][];
  errors: { code: string; message: string }[];
  meta: { cursor: number };
}

/**
 * Push the text in chunks (strings, or UTF-8 bytes), then `end()` for the
 * table. The first line names the columns; every other line has one number
 * per column. Blank lines at the end are ignored; anywhere else they are an
 * error, like every other problem: a `NudgeDataError` (code 'data') whose
 * message starts with the line number (the header is line 1) and names the
 * column and the cell. Line breaks may be LF or CRLF; a UTF-8 byte order
 * mark is skipped.
 */
export class CsvReader {
  private readonly parser: Papa.Parser;
  private decoder: TextDecoder | undefined;
  /** Text after the last complete row. */
  private pending = '';
  /** Parse again only when the pending text is this long (doubles while no row completes: linear time for long rows). */
  private retryAt = 0;
  /** The text being parsed now and where its next row starts, to count the row's lines. */
  private text = '';
  private rowStart = 0;
  /** The line the next row starts on. */
  private line = 1;
  private names: string[] | undefined;
  private builders: ColumnBuilder[] = [];
  /** The first blank line since the last row, if any (an error unless only blank lines follow). */
  private blankLine: number | undefined;
  private started = false;
  private ended = false;
  private failure: unknown;

  constructor() {
    this.parser = new Papa.Parser({ delimiter: ',', newline: '\n', quoteChar: '"', step: (r: StepResult) => this.step(r) });
  }

  /** The number of data rows read so far. */
  get rows(): number {
    return this.builders[0]?.length ?? 0;
  }

  push(chunk: string | Uint8Array): void {
    this.guard(() => {
      let text = typeof chunk === 'string' ? chunk : this.decode(chunk, true);
      if (!this.started && text.length > 0) {
        this.started = true;
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      this.pending += text;
      if (text.includes('\n') && this.pending.length >= this.retryAt) this.parse(true);
    });
  }

  /** The table; a 'data' error if the text had no header, no rows, or a problem in its last row. */
  end(): Table {
    return this.guard(() => {
      if (this.decoder) this.pending += this.decode(new Uint8Array(0), false);
      if (this.pending.length > 0) this.parse(false);
      this.ended = true;
      if (!this.names) throw new NudgeDataError('the CSV text is empty: its first line must name the columns, and each line after it hold one row of numbers');
      if (this.rows === 0) throw new NudgeDataError(`the CSV text has a header (line 1: ${this.names.join(',')}) but no rows of data`, { line: 2 });
      return makeTable(this.names, this.builders.map((b) => b.finish()));
    });
  }

  /** Runs a step of the reader; after an error, every later call throws that error again. */
  private guard<T>(work: () => T): T {
    if (this.failure !== undefined) throw this.failure;
    if (this.ended) throw new NudgeError('invalid-argument', 'this CsvReader has ended: make a new one for more text');
    try {
      return work();
    } catch (e) {
      this.failure = e;
      throw e;
    }
  }

  private decode(bytes: Uint8Array, stream: boolean): string {
    this.decoder ??= new TextDecoder('utf-8', { fatal: true });
    try {
      return this.decoder.decode(bytes, { stream });
    } catch {
      throw new NudgeDataError(`the CSV text is not valid UTF-8 (near line ${this.line})`, { line: this.line });
    }
  }

  /** Parses the pending text; while more may come (`partial`), its unfinished last row stays pending. */
  private parse(partial: boolean): void {
    this.text = this.pending;
    this.rowStart = 0;
    const cursor = (this.parser.parse(this.text, 0, partial) as StepResult).meta.cursor;
    this.pending = partial ? this.text.slice(cursor) : '';
    this.text = '';
    if (!partial) return;
    if (cursor > 0) this.retryAt = 0;
    else if (this.pending.length > MAX_ROW_CHARS) this.tooLong();
    else this.retryAt = 2 * this.pending.length;
  }

  /** A row that does not end: papaparse's own reading of it as the last row says why, if it can. */
  private tooLong(): void {
    const line = this.line;
    this.parse(false);
    throw new NudgeDataError(`line ${line}: a row of more than ${MAX_ROW_CHARS} characters; is a quote not closed?`, { line });
  }

  private step(result: StepResult): void {
    const end = result.meta.cursor;
    const line = this.line;
    this.line += countLineBreaks(this.text, this.rowStart, end);
    this.rowStart = end;
    const fields = result.data[0]!;
    const quoteError = result.errors[0];
    if (quoteError) {
      const what = quoteError.code === 'MissingQuotes' ? 'a quoted field has no closing quote' : quoteError.code === 'InvalidQuotes' ? 'a closing quote must be followed by a comma or the end of the line' : quoteError.message;
      throw new NudgeDataError(`line ${line}: ${what}`, { line });
    }
    if (!this.names) this.header(fields, line);
    else this.row(fields, line);
  }

  private header(fields: string[], line: number): void {
    if (fields.length === 1 && fields[0]!.trim() === '') {
      throw new NudgeDataError(`line ${line} is blank: the first line must name the columns`, { line });
    }
    const names = fields.map((f) => f.trim());
    names.forEach((name, i) => {
      const problem = badColumnName(name, i, names);
      if (problem) throw new NudgeDataError(`line ${line}: ${problem}`, { line, columnName: name });
    });
    this.names = names;
    this.builders = names.map(() => new ColumnBuilder());
  }

  private row(fields: string[], line: number): void {
    const names = this.names!;
    if (fields.length === 1 && fields[0]!.trim() === '') {
      this.blankLine ??= line;
      return;
    }
    if (this.blankLine !== undefined) {
      throw new NudgeDataError(`line ${this.blankLine} is blank: blank lines are allowed only at the end`, { line: this.blankLine });
    }
    if (fields.length !== names.length) {
      throw new NudgeDataError(
        `line ${line} has ${fields.length} field${fields.length === 1 ? '' : 's'}, but the header names ${names.length} column${names.length === 1 ? '' : 's'} (${names.join(', ')})`,
        { line },
      );
    }
    for (let c = 0; c < fields.length; c++) {
      const v = parseCell(fields[c]!);
      if (typeof v !== 'number') {
        throw new NudgeDataError(`line ${line}, column '${names[c]}': ${describeCellProblem(v, fields[c]!)}`, { line, columnName: names[c]! });
      }
      this.builders[c]!.push(v);
    }
  }
}

/** How many '\n' stand in text[start, end): one indexOf for the usual row that ends at its first line break. */
function countLineBreaks(text: string, start: number, end: number): number {
  let count = 0;
  let at = start;
  while (at < end) {
    const nl = text.indexOf('\n', at);
    if (nl === -1 || nl >= end) break;
    count++;
    at = nl + 1;
  }
  return count;
}

/** A whole CSV text at once (for text already in memory; large files go through CsvReader in chunks). */
export function parseCsv(text: string): Table {
  const reader = new CsvReader();
  reader.push(text);
  return reader.end();
}
