import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NudgeDataError, NudgeError } from '@nudge/core';
import { afterAll, describe, expect, it } from 'vitest';
import { readCsvFile } from './data-file.js';

const dir = mkdtempSync(join(tmpdir(), 'nudge-data-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('readCsvFile', () => {
  it('reads a file in chunks into a table', async () => {
    let text = 'x,y\r\n';
    for (let i = 0; i < 300_000; i++) text += `${i},${i / 4}\r\n`;
    const table = await readCsvFile(file('big.csv', text)); // several 1 MiB chunks
    expect(table.rows).toBe(300_000);
    expect(table.data.y![299_999]).toBe(299_999 / 4);
  });

  it('a problem in the text names the file, the line and the column', async () => {
    const path = file('bad.csv', 'x,y\n1,2\n3,four\n');
    const error = await readCsvFile(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NudgeDataError);
    expect((error as NudgeDataError).message).toBe(`${path}: line 3, column 'y': "four" is not a number`);
    expect((error as NudgeDataError).line).toBe(3);
    expect((error as NudgeDataError).columnName).toBe('y');
  });

  it('an empty file', async () => {
    await expect(readCsvFile(file('empty.csv', ''))).rejects.toThrow(/empty\.csv: the CSV text is empty/);
  });

  it('a missing file, a directory: a NudgeError naming the path', async () => {
    const missing = join(dir, 'nope.csv');
    await expect(readCsvFile(missing)).rejects.toThrow(new NudgeError('invalid-argument', `cannot read '${missing}': no such file`));
    const folder = join(dir, 'folder');
    mkdirSync(folder);
    await expect(readCsvFile(folder)).rejects.toThrow(`cannot read '${folder}': it is a directory`);
  });

  it("'-' reads standard input", () => {
    // In a process of its own (the built helper), with the CSV piped in.
    const helper = new URL('../dist/data-file.js', import.meta.url).href;
    const script = `const { readCsvFile } = await import(${JSON.stringify(helper)}); const t = await readCsvFile('-'); console.log(t.rows, t.columns.join('|'), t.data.y[1]);`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { input: 'x,y\n1,2\n3,4\n', encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('2 x|y 4\n');
  });
});
