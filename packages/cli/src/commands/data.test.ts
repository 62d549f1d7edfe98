import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCsv } from '@nudge/core';
import { afterAll, describe, expect, it } from 'vitest';
import { nudge } from '../test-support/nudge.js';

const dir = mkdtempSync(join(tmpdir(), 'nudge-data-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const root = fileURLToPath(new URL('../../../../', import.meta.url));

describe('nudge data', () => {
  it('writes a data set as CSV on standard output: the header, then the rows', async () => {
    const r = await nudge('data', 'moons', '--rows', '6', '--seed', '3');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('x1,x2,label');
    expect(lines).toHaveLength(8); // header, 6 rows, the final line break
    expect(lines[7]).toBe('');
    const table = parseCsv(r.stdout);
    expect(Array.from(table.data.label!).sort()).toEqual([0, 0, 0, 1, 1, 1]);
  });

  it('500 rows by default; the same seed the same bytes, another seed others', async () => {
    const a = await nudge('data', 'circles');
    expect(parseCsv(a.stdout).rows).toBe(500);
    expect((await nudge('data', 'circles', '--seed', '1')).stdout).toBe(a.stdout);
    expect((await nudge('data', 'circles', '--seed', '2')).stdout).not.toBe(a.stdout);
  });

  it('--noise 0 gives the exact shape: y = 2x + 1 on every line row', async () => {
    const { data } = parseCsv((await nudge('data', 'line', '--rows', '50', '--noise', '0')).stdout);
    data.x!.forEach((x, i) => expect(data.y![i]).toBe(2 * x + 1));
  });

  it('--output writes the file and says what it wrote', async () => {
    const path = join(dir, 'blobs.csv');
    const r = await nudge('data', 'blobs', '--rows', '40', '--noise', '0.5', '--output', path);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`blobs: 40 rows (x1, x2, label), noise 0.5, seed 1, written to ${path}\n`);
    expect(readFileSync(path, 'utf8')).toBe((await nudge('data', 'blobs', '--rows', '40', '--noise', '0.5')).stdout);
  });

  it('--help lists the data sets with their columns and default noise', async () => {
    const r = await nudge('data', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/moons +two interleaving half circles.*\(x1, x2, label; 0\.1\)/);
    expect(r.stdout).toMatch(/line +y = 2x \+ 1 plus noise.*\(x, y; 0\.1\)/);
  });
});

describe('nudge data: bad input exits 2 with one line', () => {
  const cases: [string, string[], RegExp][] = [
    ['an unknown data set', ['spirals'], /^nudge: command-argument value 'spirals' is invalid for argument 'name'\. Allowed choices are line, moons, circles, blobs\.\n$/],
    ['no data set', [], /^nudge: missing required argument 'name'\n$/],
    ['one row', ['moons', '--rows', '1'], /^nudge: --rows must be a whole number from 2 to 10000000, got 1\n$/],
    ['too many rows', ['moons', '--rows', '1e9'], /^nudge: --rows must be a whole number from 2 to 10000000, got 1000000000\n$/],
    ['a fraction of a row', ['moons', '--rows', '2.5'], /^nudge: --rows must be a whole number >= 1, got '2\.5'\n$/],
    ['negative noise', ['line', '--noise', '-1'], /^nudge: --noise must be a number >= 0, got '-1'\n$/],
    ['noise that is not a number', ['line', '--noise', 'lots'], /^nudge: --noise must be a number >= 0, got 'lots'\n$/],
    ['huge noise', ['line', '--noise', '1e6'], /^nudge: --noise must be a number from 0 to 1000, got 1000000\n$/],
    ['a fractional seed', ['line', '--seed', '0.5'], /^nudge: --seed must be a whole number, got '0\.5'\n$/],
    ['an output that cannot be written', ['line', '--output', '/nonexistent-dir/line.csv'], /^nudge: --output: cannot write '\/nonexistent-dir\/line\.csv': ENOENT\n$/],
    ['an unknown option', ['line', '--row', '5'], /^nudge: unknown option '--row'/],
  ];
  for (const [what, args, message] of cases) {
    it(what, async () => {
      const r = await nudge('data', ...args);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
    });
  }
});

describe('the shipped data sets (datasets/)', () => {
  const readme = readFileSync(join(root, 'datasets/README.md'), 'utf8');
  const commands = [...readme.matchAll(/`npx nudge (data [^`]*) --output (datasets\/\w+\.csv)`/g)].map((m) => ({ args: m[1]!.split(' '), file: m[2]! }));

  it('the README gives the command of each file', () => {
    expect(commands.map((c) => c.file).sort()).toEqual(['datasets/blobs.csv', 'datasets/circles.csv', 'datasets/line.csv', 'datasets/moons.csv']);
  });

  for (const name of ['line', 'moons', 'circles', 'blobs']) {
    it(`datasets/${name}.csv is what its command makes now`, async () => {
      const { args } = commands.find((c) => c.file === `datasets/${name}.csv`)!;
      const r = await nudge(...args);
      expect(r.code).toBe(0);
      expect(readFileSync(join(root, `datasets/${name}.csv`), 'utf8')).toBe(r.stdout);
    });
  }
});
