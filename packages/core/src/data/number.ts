/**
 * A number as a person writes it in a data file: an optional sign, digits
 * with an optional decimal point (`3`, `-2.5`, `.5`, `5.`), an optional
 * exponent (`1e-3`, `2.5E+4`), spaces around it. Not accepted: an empty cell,
 * hexadecimal and other prefixes that JavaScript's Number() would take
 * (`0x10`), digit separators, and NaN or Infinity (a data set with them
 * cannot be fitted: a file that has them is an error, not a silent NaN).
 */
const NUMBER = /^[ \t]*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[ \t\r]*$/;

export type CellProblem = 'empty' | 'not-a-number' | 'out-of-range';

/** The cell's number, or why it is not one. */
export function parseCell(text: string): number | CellProblem {
  if (!NUMBER.test(text)) return text.trim() === '' ? 'empty' : 'not-a-number';
  const v = Number(text);
  // Finite text can still overflow a double: 1e400.
  return Number.isFinite(v) ? v : 'out-of-range';
}

/** Words for a cell problem, after "line N, column 'x': ". */
export function describeCellProblem(problem: CellProblem, cell: string): string {
  if (problem === 'empty') return 'the cell is empty';
  // The CR of a CRLF line end stays on the line's last cell; it is not part of what was written.
  const text = cell.endsWith('\r') ? cell.slice(0, -1) : cell;
  const shown = JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}...` : text);
  if (problem === 'out-of-range') return `${shown} is too large for a double (at most about 1.8e308)`;
  const word = text.trim().replace(/^[+-]/, '').toLowerCase();
  if (word === 'nan' || word === 'inf' || word === 'infinity') return `${shown} is not a finite number: NaN and Infinity are not accepted in data`;
  return `${shown} is not a number`;
}
