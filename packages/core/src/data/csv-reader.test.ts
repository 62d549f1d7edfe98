import { describe, expect, it } from 'vitest';
import { CsvReader, MAX_ROW_CHARS, parseCsv } from './csv-reader.js';
import { requireColumns } from './table.js';
import { dataError } from './test-support/data-error.js';

/** The text pushed in pieces of `size` characters. */
function inPieces(text: string, size: number) {
  const reader = new CsvReader();
  for (let i = 0; i < text.length; i += size) reader.push(text.slice(i, i + size));
  return reader.end();
}

function columns(text: string): Record<string, number[]> {
  const table = parseCsv(text);
  return Object.fromEntries(table.columns.map((c) => [c, Array.from(table.data[c]!)]));
}

describe('CsvReader: files it reads', () => {
  it('a header and rows of numbers, as columns of Float64Array', () => {
    const table = parseCsv('x,y\n1,2\n3,4\n5,6\n');
    expect(table.columns).toEqual(['x', 'y']);
    expect(table.rows).toBe(3);
    expect(table.data.x).toBeInstanceOf(Float64Array);
    expect(Array.from(table.data.x!)).toEqual([1, 3, 5]);
    expect(Array.from(table.data.y!)).toEqual([2, 4, 6]);
  });

  it('numbers as people write them: signs, decimals, exponents, spaces around', () => {
    expect(columns('a\n-3\n+2.5\n.5\n5.\n1e3\n-2.5E-3\n 7 \n\t8\t\n0\n-0\n1e+21\n')).toEqual({ a: [-3, 2.5, 0.5, 5, 1000, -0.0025, 7, 8, 0, -0, 1e21] });
    expect(Object.is(parseCsv('a\n-0\n').data.a![0], -0)).toBe(true);
  });

  it('no final line break, one, or blank lines at the end', () => {
    for (const text of ['x\n1\n2', 'x\n1\n2\n', 'x\n1\n2\n\n', 'x\n1\n2\n\n  \n\n']) expect(columns(text)).toEqual({ x: [1, 2] });
  });

  it('CRLF line endings, and a byte order mark', () => {
    expect(columns('x,y\r\n1,2\r\n3,4\r\n')).toEqual({ x: [1, 3], y: [2, 4] });
    expect(columns('\ufeffx,y\n1,2\n')).toEqual({ x: [1], y: [2] });
  });

  it('quoted fields (RFC 4180): quoted numbers, names with commas, quotes and line breaks', () => {
    const table = parseCsv('"a,b","say ""hi""","two\nlines"\n"1",2,"3"\r\n4,"5",6\n');
    expect(table.columns).toEqual(['a,b', 'say "hi"', 'two\nlines']);
    expect(Array.from(table.data['a,b']!)).toEqual([1, 4]);
    expect(Array.from(table.data['two\nlines']!)).toEqual([3, 6]);
  });

  it('column names are trimmed; any name is a plain key', () => {
    const table = parseCsv(' x , __proto__ ,constructor\n1,2,3\n');
    expect(table.columns).toEqual(['x', '__proto__', 'constructor']);
    const [proto, constructor] = requireColumns(table, ['__proto__', 'constructor']);
    expect(Array.from(proto!)).toEqual([2]);
    expect(Array.from(constructor!)).toEqual([3]);
  });

  it('the same table whatever the chunks: every size from 1 character', () => {
    const text = '"a",b\r\n1,"2"\n"3" ,4e1\n-5,.5\n';
    const whole = parseCsv(text);
    for (let size = 1; size <= text.length; size++) expect(inPieces(text, size)).toEqual(whole);
  });

  it('UTF-8 bytes, split inside a character', () => {
    const bytes = new TextEncoder().encode('\ufeffé,ü\n1,2\n');
    for (let cut = 0; cut <= bytes.length; cut++) {
      const reader = new CsvReader();
      reader.push(bytes.subarray(0, cut));
      reader.push(bytes.subarray(cut));
      const table = reader.end();
      expect(table.columns).toEqual(['é', 'ü']);
      expect(Array.from(table.data.ü!)).toEqual([2]);
    }
  });

  it('counts its rows as it goes; a single column; more than a block of rows', () => {
    const reader = new CsvReader();
    reader.push('v\n');
    let text = '';
    for (let i = 0; i < 200_000; i++) text += `${i}\n`;
    reader.push(text);
    expect(reader.rows).toBe(200_000);
    const v = reader.end().data.v!;
    expect(v.length).toBe(200_000);
    expect(v[0]).toBe(0);
    expect(v[199_999]).toBe(199_999);
    expect(v.every((x, i) => x === i)).toBe(true);
  });
});

describe('CsvReader: every problem names its line (the header is line 1), column and cell', () => {
  const cases: [string, string, RegExp, number | undefined, string?][] = [
    ['an empty file', '', /^the CSV text is empty: its first line must name the columns/, undefined],
    ['a file of one blank line', '\n', /^line 1 is blank: the first line must name the columns/, 1],
    ['a header only', 'x,y\n', /^the CSV text has a header \(line 1: x,y\) but no rows of data$/, 2],
    ['a header only, without a line break', 'x,y', /^the CSV text has a header/, 2],
    ['a duplicate column name', 'x,y,x\n1,2,3\n', /^line 1: the column name 'x' appears twice \(columns 1 and 3\)$/, 1, 'x'],
    ['a duplicate after trimming', 'x, x\n1,2\n', /^line 1: the column name 'x' appears twice/, 1, 'x'],
    ['an empty column name', 'x,,y\n1,2,3\n', /^line 1: column 2 has no name$/, 1, ''],
    ['a name of spaces', 'x,  \n1,2\n', /^line 1: column 2 has no name$/, 1],
    ['too few fields', 'x,y,z\n1,2,3\n4,5\n', /^line 3 has 2 fields, but the header names 3 columns \(x, y, z\)$/, 3],
    ['too many fields', 'x,y\n1,2\n3,4\n5,6,7\n', /^line 4 has 3 fields, but the header names 2 columns \(x, y\)$/, 4],
    ['a trailing comma', 'x,y\n1,2,\n', /^line 2 has 3 fields/, 2],
    ['a word', 'x,y\n1,2\n3,abc\n', /^line 3, column 'y': "abc" is not a number$/, 3, 'y'],
    ['an empty cell', 'x,y\n1,\n', /^line 2, column 'y': the cell is empty$/, 2, 'y'],
    ['a cell of spaces', 'x,y\n  ,1\n', /^line 2, column 'x': the cell is empty$/, 2, 'x'],
    ['NaN', 'x\n1\nNaN\n', /^line 3, column 'x': "NaN" is not a finite number: NaN and Infinity are not accepted in data$/, 3, 'x'],
    ['-Infinity', 'x\n-Infinity\n', /^line 2, column 'x': "-Infinity" is not a finite number/, 2, 'x'],
    ['a number too large for a double', 'x\n1e400\n', /^line 2, column 'x': "1e400" is too large for a double/, 2, 'x'],
    ['hexadecimal (Number() would take it)', 'x\n0x10\n', /^line 2, column 'x': "0x10" is not a number$/, 2],
    ['a digit separator', 'x\n1_000\n', /^line 2, column 'x': "1_000" is not a number$/, 2],
    ['a decimal comma (quoted)', 'x\n"1,5"\n', /^line 2, column 'x': "1,5" is not a number$/, 2],
    ['two numbers in a cell', 'x\n1 2\n', /^line 2, column 'x': "1 2" is not a number$/, 2],
    ['a blank line in the middle', 'x,y\n1,2\n\n3,4\n', /^line 3 is blank: blank lines are allowed only at the end$/, 3],
    ['a blank line in a one-column file', 'x\n1\n\n2\n', /^line 3 is blank/, 3],
    ['a quote never closed', 'x,y\n1,2\n3,"4\n5,6\n', /^line 3: a quoted field has no closing quote$/, 3],
    ['text after a closing quote', 'x,y\n1,"2"x\n', /^line 2: a closing quote must be followed by a comma or the end of the line$/, 2],
    ['lines counted through a quoted line break', '"a\nb",c\n1,2\n3,x\n', /^line 4, column 'c': "x" is not a number$/, 4, 'c'],
    ['lines counted through CRLF', 'x\r\n1\r\n2\r\ny\r\n', /^line 4, column 'x': "y" is not a number$/, 4],
  ];
  for (const [what, text, message, line, columnName] of cases) {
    it(what, () => {
      const e = dataError(() => parseCsv(text));
      expect(e.message).toMatch(message);
      expect(e.code).toBe('data');
      expect(e.line).toBe(line);
      if (columnName !== undefined) expect(e.columnName).toBe(columnName);
      // The same error when the text arrives a character at a time.
      expect(() => inPieces(text, 1)).toThrow(e.message);
    });
  }

  it('a long cell is shortened in the message', () => {
    expect(dataError(() => parseCsv(`x\n${'z'.repeat(100)}\n`)).message).toBe(`line 2, column 'x': "${'z'.repeat(40)}..." is not a number`);
  });

  it('is JSON with its line and column name', () => {
    expect(JSON.parse(JSON.stringify(dataError(() => parseCsv('x,y\n1,q\n'))))).toEqual({ name: 'NudgeDataError', code: 'data', message: `line 2, column 'y': "q" is not a number`, line: 2, columnName: 'y' });
  });

  it('an error is found in the chunk that holds it, and every later call repeats it', () => {
    const reader = new CsvReader();
    reader.push('x\n1\n');
    expect(() => reader.push('oops\n2\n')).toThrow(/^line 3, column 'x': "oops"/);
    expect(() => reader.push('3\n')).toThrow(/^line 3, column 'x': "oops"/);
    expect(() => reader.end()).toThrow(/^line 3, column 'x': "oops"/);
  });

  it('a reader that has ended takes no more text', () => {
    const reader = new CsvReader();
    reader.push('x\n1\n');
    reader.end();
    expect(() => reader.push('2\n')).toThrow(/this CsvReader has ended/);
  });

  it('bytes that are not UTF-8', () => {
    const reader = new CsvReader();
    reader.push(new TextEncoder().encode('x\n1\n'));
    expect(() => reader.push(new Uint8Array([0x32, 0xff, 0x0a]))).toThrow(/the CSV text is not valid UTF-8 \(near line 3\)/);
  });

  it('a quote never closed in a long file: an error once the row passes the limit, not the whole file kept', () => {
    const reader = new CsvReader();
    reader.push('x\n1\n"2\n');
    const block = '3\n'.repeat(1 << 20);
    let error: unknown;
    for (let i = 0; i < 20 && error === undefined; i++) {
      try {
        reader.push(block);
      } catch (e) {
        error = e;
      }
    }
    expect((error as Error).message).toBe('line 3: a quoted field has no closing quote');
    expect(MAX_ROW_CHARS).toBe(16 * 1024 * 1024);
  });
});
