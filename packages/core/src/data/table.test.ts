import { describe, expect, it } from 'vitest';
import { NudgeDataError } from './data-error.js';
import { requireColumns, tableFromColumns } from './table.js';
import { dataError } from './test-support/data-error.js';

describe('tableFromColumns: arrays through the API, with the checks a file gets', () => {
  it('numbers or Float64Arrays become a table of copies', () => {
    const x = new Float64Array([1, 2, 3]);
    const table = tableFromColumns({ x, y: [4, 5, 6] });
    expect(table.columns).toEqual(['x', 'y']);
    expect(table.rows).toBe(3);
    expect(table.data.y).toEqual(new Float64Array([4, 5, 6]));
    x[0] = 99;
    expect(table.data.x![0]).toBe(1);
  });

  const cases: [string, Record<string, any>, RegExp][] = [
    ['no columns', {}, /^a table needs at least one column$/],
    ['no rows', { x: [] }, /^the columns are empty: a table needs at least one row$/],
    ['different lengths', { x: [1, 2], y: [1] }, /^the columns have different lengths: 'x' has 2 values, 'y' has 1$/],
    ['NaN', { x: [1, NaN] }, /^x\[1\] is NaN: every value must be a finite number$/],
    ['Infinity', { x: new Float64Array([Infinity]) }, /^x\[0\] is Infinity: every value must be a finite number$/],
    ['a string', { x: [1, '2'] }, /^x\[1\] is string: every value must be a finite number$/],
    ['not an array', { x: 3 }, /^column 'x' must be a Float64Array or an array of numbers, got number$/],
    ['an empty name', { '': [1] }, /^column 1 has no name$/],
    ['a name with spaces at an end', { ' x': [1] }, /^the column name " x" has spaces at an end$/],
  ];
  for (const [what, columns, message] of cases) {
    it(what, () => {
      const e = dataError(() => tableFromColumns(columns));
      expect(e.code).toBe('data');
      expect(e.message).toMatch(message);
    });
  }
});

describe('requireColumns', () => {
  const table = tableFromColumns({ x1: [1], x2: [2], label: [0] });

  it('the columns asked for, in that order', () => {
    const [label, x1] = requireColumns(table, ['label', 'x1']);
    expect(label).toBe(table.data.label);
    expect(x1).toBe(table.data.x1);
  });

  it('names what is missing and lists the columns there are', () => {
    expect(() => requireColumns(table, ['x1', 'y'])).toThrow("the data has no column 'y'; its columns are 'x1', 'x2', 'label'");
    expect(() => requireColumns(table, ['a', 'x2', 'b'])).toThrow("the data has no columns 'a', 'b'; its columns are 'x1', 'x2', 'label'");
    expect(() => requireColumns(table, ['toString'])).toThrow(NudgeDataError);
  });
});
