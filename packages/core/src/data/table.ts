import { NudgeDataError } from './data-error.js';

/** A table of numbers: named columns of equal length. */
export interface Table {
  /** The column names, in order (the file's order for a CSV file). */
  readonly columns: readonly string[];
  /** Each column's values by name: `rows` numbers each, all finite. */
  readonly data: Readonly<Record<string, Float64Array>>;
  /** The number of rows (the header of a CSV file does not count). */
  readonly rows: number;
}

/** Column values handed to the API. */
export type ColumnValues = Float64Array | readonly number[];

/** A list of names for a message: `'x', 'y'`. */
export function quoteNames(names: readonly string[]): string {
  return names.map((n) => `'${n}'`).join(', ');
}

/**
 * Why a column name cannot be used, or undefined when it can: names are
 * non-empty, have no space at either end (a CSV reader trims them) and are
 * not repeated.
 */
export function badColumnName(name: string, index: number, names: readonly string[]): string | undefined {
  if (name.trim() === '') return `column ${index + 1} has no name`;
  if (name.trim() !== name) return `the column name ${JSON.stringify(name)} has spaces at an end`;
  const first = names.indexOf(name);
  if (first !== index) return `the column name '${name}' appears twice (columns ${first + 1} and ${index + 1})`;
  return undefined;
}

/** A table over arrays that have been checked; the record has no prototype, so any name is a plain key. */
export function makeTable(columns: readonly string[], arrays: readonly Float64Array[]): Table {
  const data: Record<string, Float64Array> = Object.create(null);
  columns.forEach((name, i) => (data[name] = arrays[i]!));
  return { columns: [...columns], data, rows: arrays[0]?.length ?? 0 };
}

/**
 * A table from columns given as arrays, with the checks a CSV file gets: at
 * least one column and one row, usable names, equal lengths, and every value a
 * finite number. The values are copied.
 */
export function tableFromColumns(columns: Readonly<Record<string, ColumnValues>>): Table {
  const names = Object.keys(columns);
  if (names.length === 0) throw new NudgeDataError('a table needs at least one column');
  names.forEach((name, i) => {
    const problem = badColumnName(name, i, names);
    if (problem) throw new NudgeDataError(problem, { columnName: name });
  });
  const arrays = names.map((name) => {
    const values = columns[name];
    if (!(values instanceof Float64Array) && !Array.isArray(values)) {
      throw new NudgeDataError(`column '${name}' must be a Float64Array or an array of numbers, got ${typeof values}`, { columnName: name });
    }
    return values as ColumnValues;
  });
  const rows = arrays[0]!.length;
  arrays.forEach((values, i) => {
    if (values.length !== rows) {
      throw new NudgeDataError(`the columns have different lengths: '${names[0]}' has ${rows} values, '${names[i]}' has ${values.length}`, { columnName: names[i]! });
    }
  });
  if (rows === 0) throw new NudgeDataError('the columns are empty: a table needs at least one row');
  const copies = arrays.map((values, c) => {
    const copy = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      const v = values[r];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new NudgeDataError(`${names[c]}[${r}] is ${typeof v === 'number' ? String(v) : typeof v}: every value must be a finite number`, { columnName: names[c]! });
      }
      copy[r] = v;
    }
    return copy;
  });
  return makeTable(names, copies);
}

/**
 * The named columns' values, in the order asked for; a 'data' error that
 * names the missing ones and lists the columns the table has.
 */
export function requireColumns(table: Table, names: readonly string[]): Float64Array[] {
  const missing = names.filter((n) => !Object.hasOwn(table.data, n));
  if (missing.length > 0) {
    const what = missing.length === 1 ? `no column ${quoteNames(missing)}` : `no columns ${quoteNames(missing)}`;
    throw new NudgeDataError(`the data has ${what}; its columns are ${quoteNames(table.columns)}`, { columnName: missing[0]! });
  }
  return names.map((n) => table.data[n]!);
}
