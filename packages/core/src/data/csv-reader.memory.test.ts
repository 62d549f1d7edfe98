import { createReadStream, mkdtempSync, openSync, closeSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { CsvReader } from './csv-reader.js';
import { formatCell } from './csv-writer.js';
import { Random } from './random.js';

const SIZE = 100 * 1000 * 1000;
const dir = mkdtempSync(join(tmpdir(), 'nudge-csv-memory-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes about `bytes` of CSV (x1, x2, label): one block of 10,000 random rows, written again and again; returns the rows written. */
function writeCsv(path: string, bytes: number): number {
  const random = new Random(11);
  let block = '';
  for (let i = 0; i < 10_000; i++) block += `${formatCell(4 * random.uniform() - 2)},${formatCell(random.gaussian())},${i % 2}\n`;
  const fd = openSync(path, 'w');
  let written = writeSync(fd, 'x1,x2,label\n');
  let rows = 0;
  for (; written < bytes; rows += 10_000) written += writeSync(fd, block);
  closeSync(fd);
  return rows;
}

// The reader does not touch the kernel: once, not again in the suite's interpreter-engine pass.
it.skipIf(process.env.NUDGE_ENGINE === 'interpreter')('reads a 100 MB file in chunks with memory under 3x the file size', async () => {
  const path = join(dir, 'big.csv');
  const rows = writeCsv(path, SIZE);
  const size = statSync(path).size;
  const baseline = process.memoryUsage();
  let peakRss = baseline.rss;
  let peakHeap = baseline.heapUsed + baseline.arrayBuffers;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed + m.arrayBuffers);
  };
  const started = performance.now();
  const reader = new CsvReader();
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    reader.push(chunk as Buffer);
    sample();
  }
  const table = reader.end();
  sample();
  const seconds = (performance.now() - started) / 1000;
  expect(table.rows).toBe(rows);
  expect(table.data.label![rows - 1]).toBe((rows - 1) % 2);
  const rss = peakRss - baseline.rss;
  const heap = peakHeap - baseline.heapUsed - baseline.arrayBuffers;
  console.log(
    `100 MB CSV: ${(size / 1e6).toFixed(1)} MB, ${rows} rows read in ${seconds.toFixed(1)} s; ` +
      `peak over the baseline: rss ${(rss / 1e6).toFixed(0)} MB (${(rss / size).toFixed(2)}x), heapUsed+arrayBuffers ${(heap / 1e6).toFixed(0)} MB (${(heap / size).toFixed(2)}x); the table itself ${((rows * 3 * 8) / 1e6).toFixed(0)} MB`,
  );
  expect(rss).toBeLessThan(3 * size);
  expect(heap).toBeLessThan(3 * size);
}, 60_000);
