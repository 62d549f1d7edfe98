import type { Table } from './table.js';

/** A number as CSV text: String(n), the shortest text that reads back as the same double, with the sign of -0 kept. */
export function formatCell(value: number): string {
  return Object.is(value, -0) ? '-0' : String(value);
}

/** A column name as a CSV field: quoted (RFC 4180, "" for a quote) when it holds a comma, a quote or a line break. */
function nameField(name: string): string {
  return /[",\r\n]/.test(name) ? `"${name.replaceAll('"', '""')}"` : name;
}

/**
 * The table as CSV text, in pieces of `rowsPerChunk` rows (the header comes
 * first, alone): a large table is written without one string of the whole
 * file. Lines end with \n. CsvReader reads the text back to the same table,
 * bit for bit.
 */
export function* csvChunks(table: Table, rowsPerChunk = 4096): Generator<string, void, undefined> {
  const columns = table.columns.map((name) => table.data[name]!);
  yield `${table.columns.map(nameField).join(',')}\n`;
  for (let start = 0; start < table.rows; start += rowsPerChunk) {
    const stop = Math.min(table.rows, start + rowsPerChunk);
    let text = '';
    for (let r = start; r < stop; r++) {
      let line = formatCell(columns[0]![r]!);
      for (let c = 1; c < columns.length; c++) line += `,${formatCell(columns[c]![r]!)}`;
      text += `${line}\n`;
    }
    yield text;
  }
}

/** The whole table as one CSV string. */
export function toCsv(table: Table): string {
  let text = '';
  for (const chunk of csvChunks(table)) text += chunk;
  return text;
}
