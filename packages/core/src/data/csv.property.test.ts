import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvReader, parseCsv } from './csv-reader.js';
import { csvChunks, toCsv } from './csv-writer.js';
import { tableFromColumns, type Table } from './table.js';

/** Any finite double, -0 and subnormals included. */
const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
/** Column names: anything a person might write, commas, quotes and line breaks included, no spaces at the ends. */
const name = fc.string({ minLength: 1, maxLength: 8, unit: fc.constantFrom('a', 'b', 'x', '1', '_', ',', '"', '\n', ' ', 'é') }).filter((s) => s.trim() === s);

const tables: fc.Arbitrary<Table> = fc
  .tuple(fc.uniqueArray(name, { minLength: 1, maxLength: 5 }), fc.integer({ min: 1, max: 30 }))
  .chain(([names, rows]) => fc.tuple(...names.map(() => fc.array(finite, { minLength: rows, maxLength: rows }))).map((cols) => tableFromColumns(Object.fromEntries(names.map((n, i) => [n, cols[i]!])))));

function bits(table: Table): string[] {
  return table.columns.map((c) => `${c}:${Buffer.from(table.data[c]!.buffer).toString('hex')}`);
}

describe('CSV round trip (property)', () => {
  it('any table written and read back is the same table, to the bit', () => {
    fc.assert(
      fc.property(tables, (table) => {
        const back = parseCsv(toCsv(table));
        expect(back.columns).toEqual(table.columns);
        expect(back.rows).toBe(table.rows);
        expect(bits(back)).toEqual(bits(table));
      }),
      { numRuns: 300 },
    );
  });

  it('read in chunks cut anywhere, and written in chunks of any size, the table is the same', () => {
    fc.assert(
      fc.property(tables, fc.array(fc.nat(), { maxLength: 6 }), fc.integer({ min: 1, max: 5 }), (table, cuts, rowsPerChunk) => {
        const text = [...csvChunks(table, rowsPerChunk)].join('');
        expect(text).toBe(toCsv(table));
        const at = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const reader = new CsvReader();
        let from = 0;
        for (const cut of [...at, text.length]) {
          reader.push(text.slice(from, cut));
          from = cut;
        }
        expect(bits(reader.end())).toEqual(bits(table));
      }),
      { numRuns: 300 },
    );
  });

  it('any line of cells that are not all numbers is an error naming line and column, never a silent row', () => {
    const cell = fc.oneof(finite.map(String), fc.constantFrom('', ' ', 'abc', 'NaN', '1e999', '0x1', '1,2', '--1', '1e'));
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 10 }), (rows) => {
        const text = `a,b\n${rows.map((r) => r.map((c) => (c.includes(',') ? `"${c}"` : c)).join(',')).join('\n')}\n`;
        const bad = rows.findIndex((r) => r.some((c) => !Number.isFinite(Number(c)) || c.trim() === '' || /[x_]/.test(c) || c === '1e'));
        if (bad === -1) expect(parseCsv(text).rows).toBe(rows.length);
        else expect(() => parseCsv(text)).toThrow(new RegExp(`^line ${bad + 2}(,| is blank)`));
      }),
      { numRuns: 300 },
    );
  });
});
