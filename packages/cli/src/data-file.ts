import { createReadStream } from 'node:fs';
import { CsvReader, NudgeDataError, NudgeError, type Table } from '@nudge/core';

const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
};

/**
 * A CSV file of numbers (a header naming the columns, then rows) as a table,
 * read in chunks through the core's CsvReader, so that a large file is never
 * one string in memory. `-` reads standard input. A file that cannot be read
 * is a NudgeError naming it; a problem in the text is the reader's
 * NudgeDataError with the file name in front: `data.csv: line 3, column 'y': ...`.
 */
export async function readCsvFile(path: string): Promise<Table> {
  const reader = new CsvReader();
  const stream = path === '-' ? process.stdin : createReadStream(path, { highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream) reader.push(typeof chunk === 'string' ? chunk : (chunk as Buffer));
    return reader.end();
  } catch (e) {
    if (e instanceof NudgeDataError) {
      throw new NudgeDataError(`${path === '-' ? 'standard input' : path}: ${e.message}`, { line: e.line, columnName: e.columnName });
    }
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== undefined) throw new NudgeError('invalid-argument', `cannot read '${path}': ${REASONS[code] ?? code}`);
    throw e;
  } finally {
    if (stream !== process.stdin) stream.destroy();
  }
}
