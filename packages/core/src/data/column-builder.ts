/** The first block holds this many values; each next block twice as many, up to MAX_BLOCK. */
const FIRST_BLOCK = 1024;
/** 64 Ki doubles, 512 KiB. */
const MAX_BLOCK = 65536;

/**
 * A column of numbers of unknown length, kept in Float64Array blocks, so
 * that growing never copies what is already stored and a million rows cost
 * 8 MB, not a JS array of boxed numbers. Blocks start small (a file of many
 * columns and few rows stays small) and double up to 512 KiB. `finish()`
 * copies the blocks once into one array of the exact length.
 */
export class ColumnBuilder {
  private full: Float64Array[] = [];
  private stored = 0;
  private block = new Float64Array(0);
  private used = 0;

  get length(): number {
    return this.stored + this.used;
  }

  push(value: number): void {
    if (this.used === this.block.length) this.grow();
    this.block[this.used++] = value;
  }

  private grow(): void {
    if (this.block.length > 0) {
      this.full.push(this.block);
      this.stored += this.block.length;
    }
    this.block = new Float64Array(Math.min(MAX_BLOCK, Math.max(FIRST_BLOCK, 2 * this.block.length)));
    this.used = 0;
  }

  /** The values in one array of the exact length; the builder starts empty again. */
  finish(): Float64Array {
    const out = new Float64Array(this.length);
    let at = 0;
    for (const block of this.full) {
      out.set(block, at);
      at += block.length;
    }
    out.set(this.block.subarray(0, this.used), at);
    this.full = [];
    this.stored = 0;
    this.block = new Float64Array(0);
    this.used = 0;
    return out;
  }
}
