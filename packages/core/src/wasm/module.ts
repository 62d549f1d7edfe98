/**
 * A small WebAssembly module builder that writes the binary format directly
 * (https://webassembly.github.io/spec/core/binary/): the types, imports,
 * functions, exports and code that compiled tapes need, nothing more, so that
 * the browser bundle carries no assembler. `Body` writes one function's
 * instructions; `ModuleBuilder.bytes()` the module.
 */

export const F64 = 0x7c;
export const I32 = 0x7f;
export const V128 = 0x7b;
export type ValType = typeof F64 | typeof I32 | typeof V128;

/** Opcodes used by compiled tapes. */
export const Op = {
  block: 0x02,
  loop: 0x03,
  br: 0x0c,
  brIf: 0x0d,
  end: 0x0b,
  call: 0x10,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  f64Load: 0x2b,
  f64Store: 0x39,
  i32Const: 0x41,
  f64Const: 0x44,
  i32GeU: 0x4f,
  i32LtS: 0x48,
  i32Sub: 0x6b,
  i32Add: 0x6a,
  i32Mul: 0x6c,
  i32Shl: 0x74,
  f64Abs: 0x99,
  f64Neg: 0x9a,
  f64Sqrt: 0x9f,
  f64Add: 0xa0,
  f64Sub: 0xa1,
  f64Mul: 0xa2,
  f64Div: 0xa3,
  f64Min: 0xa4,
  f64Max: 0xa5,
} as const;

/** SIMD instructions (after the 0xfd prefix), and the f64x2 twin of each scalar f64 op that has one. */
export const Simd = { v128Load: 0x00, v128Store: 0x0b, f64x2Splat: 0x14, f64x2ExtractLane: 0x21, f64x2Add: 0xf0 } as const;
export const F64X2_OF: ReadonlyMap<number, number> = new Map([
  [Op.f64Abs, 0xec],
  [Op.f64Neg, 0xed],
  [Op.f64Sqrt, 0xef],
  [Op.f64Add, 0xf0],
  [Op.f64Sub, 0xf1],
  [Op.f64Mul, 0xf2],
  [Op.f64Div, 0xf3],
  [Op.f64Min, 0xf4],
  [Op.f64Max, 0xf5],
]);

const f64Scratch = new Float64Array(1);
const f64Bytes = new Uint8Array(f64Scratch.buffer);
const utf8 = new TextEncoder();

/** A growable byte buffer with the format's encodings. */
export class Bytes {
  private buf = new Uint8Array(256);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  byte(b: number): this {
    if (this.length === this.buf.length) this.reserve(1);
    this.buf[this.length++] = b;
    return this;
  }

  bytes(bs: ArrayLike<number>): this {
    this.reserve(bs.length);
    this.buf.set(bs, this.length);
    this.length += bs.length;
    return this;
  }

  /** Unsigned LEB128. */
  u32(v: number): this {
    do {
      let b = v & 0x7f;
      v >>>= 7;
      if (v !== 0) b |= 0x80;
      this.byte(b);
    } while (v !== 0);
    return this;
  }

  /** Signed LEB128 (i32). */
  i32(v: number): this {
    v |= 0;
    for (;;) {
      const b = v & 0x7f;
      v >>= 7;
      if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) return this.byte(b);
      this.byte(b | 0x80);
    }
  }

  /** Little-endian IEEE 754 (the engines that run Nudge are little-endian, as WebAssembly's memory is). */
  f64(v: number): this {
    f64Scratch[0] = v;
    return this.bytes(f64Bytes);
  }

  name(s: string): this {
    const b = utf8.encode(s);
    return this.u32(b.length).bytes(b);
  }

  /** Appends another buffer prefixed by its length (a section's or a body's size). */
  sized(inner: Bytes): this {
    return this.u32(inner.length).bytes(inner.view());
  }

  view(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

/** One function's body: its locals and instructions. */
export class Body {
  readonly code = new Bytes();
  private readonly locals: ValType[] = [];

  constructor(private readonly nParams: number) {}

  /** A new local of `type`; returns its index (after the parameters). */
  local(type: ValType): number {
    this.locals.push(type);
    return this.nParams + this.locals.length - 1;
  }

  op(code: number): this {
    this.code.byte(code);
    return this;
  }

  get(local: number): this {
    this.code.byte(Op.localGet).u32(local);
    return this;
  }

  set(local: number): this {
    this.code.byte(Op.localSet).u32(local);
    return this;
  }

  tee(local: number): this {
    this.code.byte(Op.localTee).u32(local);
    return this;
  }

  f64(v: number): this {
    this.code.byte(Op.f64Const).f64(v);
    return this;
  }

  i32(v: number): this {
    this.code.byte(Op.i32Const).i32(v);
    return this;
  }

  /** f64.load at the address on the stack plus `offset` bytes (8-byte aligned). */
  load(offset = 0): this {
    this.code.byte(Op.f64Load).u32(3).u32(offset);
    return this;
  }

  /** f64.store of [address, value] on the stack, at address plus `offset`. */
  store(offset = 0): this {
    this.code.byte(Op.f64Store).u32(3).u32(offset);
    return this;
  }

  call(func: number): this {
    this.code.byte(Op.call).u32(func);
    return this;
  }

  /** A SIMD instruction; v128.load and v128.store take a memarg (8-byte alignment, `offset`). */
  simd(code: number, offset?: number): this {
    this.code.byte(0xfd).u32(code);
    if (offset !== undefined) this.code.u32(3).u32(offset);
    return this;
  }

  /** A SIMD lane instruction (extract_lane, replace_lane) and its lane index. */
  lane(code: number, lane: number): this {
    this.code.byte(0xfd).u32(code).byte(lane);
    return this;
  }

  /** block/loop with no result. */
  begin(kind: typeof Op.block | typeof Op.loop): this {
    this.code.byte(kind).byte(0x40);
    return this;
  }

  end(): this {
    return this.op(Op.end);
  }

  br(depth: number): this {
    this.code.byte(Op.br).u32(depth);
    return this;
  }

  brIf(depth: number): this {
    this.code.byte(Op.brIf).u32(depth);
    return this;
  }

  /** The encoded body: locals (run-length grouped) then the code and the final `end`. */
  encode(): Bytes {
    const out = new Bytes();
    const groups: [number, ValType][] = [];
    for (const t of this.locals) {
      const last = groups[groups.length - 1];
      if (last && last[1] === t) last[0]++;
      else groups.push([1, t]);
    }
    out.u32(groups.length);
    for (const [n, t] of groups) out.u32(n).byte(t);
    out.bytes(this.code.view()).byte(Op.end);
    return out;
  }
}

/**
 * Writes into `inner` the two-lane (f64x2) form of the scalar f64 code it is
 * given: an op by its f64x2 twin, a constant splatted; locals are the
 * caller's (v128). For the op table's inline rules, which are written once,
 * in scalar form.
 */
export class PairBody extends Body {
  constructor(private readonly inner: Body) {
    super(0);
  }

  override op(code: number): this {
    const twin = F64X2_OF.get(code);
    if (twin === undefined) throw new Error(`internal: no f64x2 form of opcode ${code}`);
    this.inner.simd(twin);
    return this;
  }

  override f64(v: number): this {
    this.inner.f64(v).simd(Simd.f64x2Splat);
    return this;
  }

  override get(local: number): this {
    this.inner.get(local);
    return this;
  }
}

interface FuncType {
  params: readonly ValType[];
  results: readonly ValType[];
}

const typeKey = (t: FuncType) => `${t.params.join(',')}>${t.results.join(',')}`;

/** A module: imported memory and functions, defined and exported functions. */
export class ModuleBuilder {
  private readonly types: FuncType[] = [];
  private readonly typeIndex = new Map<string, number>();
  private readonly imports: { module: string; name: string; type: number }[] = [];
  private readonly importIndex = new Map<string, number>();
  private readonly funcs: { type: number; body: Body; export?: string }[] = [];
  private memory: { module: string; name: string } | undefined;

  private type(t: FuncType): number {
    const key = typeKey(t);
    let i = this.typeIndex.get(key);
    if (i === undefined) {
      i = this.types.length;
      this.types.push(t);
      this.typeIndex.set(key, i);
    }
    return i;
  }

  /** Import the memory the functions read and write (the kernel's). */
  importMemory(module: string, name: string): void {
    this.memory = { module, name };
  }

  /** Import a function (once per name); returns its function index. Imports must come before definitions. */
  importFunction(module: string, name: string, params: readonly ValType[], results: readonly ValType[]): number {
    const key = `${module}.${name}`;
    const known = this.importIndex.get(key);
    if (known !== undefined) return known;
    if (this.funcs.length > 0) throw new Error('internal: imports must precede defined functions');
    const index = this.imports.length;
    this.imports.push({ module, name, type: this.type({ params, results }) });
    this.importIndex.set(key, index);
    return index;
  }

  /** Define a function; returns its body to fill. */
  function(params: readonly ValType[], results: readonly ValType[], exportName?: string): Body {
    const body = new Body(params.length);
    const entry: { type: number; body: Body; export?: string } = { type: this.type({ params, results }), body };
    if (exportName !== undefined) entry.export = exportName;
    this.funcs.push(entry);
    return body;
  }

  bytes(): Uint8Array<ArrayBuffer> {
    const out = new Bytes().bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    const section = (id: number, fill: (s: Bytes) => void) => {
      const s = new Bytes();
      fill(s);
      out.byte(id).sized(s);
    };
    section(1, (s) => {
      s.u32(this.types.length);
      for (const t of this.types) {
        s.byte(0x60).u32(t.params.length).bytes(t.params).u32(t.results.length).bytes(t.results);
      }
    });
    const nImports = this.imports.length + (this.memory ? 1 : 0);
    if (nImports > 0) {
      section(2, (s) => {
        s.u32(nImports);
        if (this.memory) s.name(this.memory.module).name(this.memory.name).byte(0x02).byte(0x00).u32(0);
        for (const i of this.imports) s.name(i.module).name(i.name).byte(0x00).u32(i.type);
      });
    }
    section(3, (s) => {
      s.u32(this.funcs.length);
      for (const f of this.funcs) s.u32(f.type);
    });
    const exported = this.funcs.map((f, i) => ({ name: f.export, index: this.imports.length + i })).filter((e) => e.name !== undefined);
    section(7, (s) => {
      s.u32(exported.length);
      for (const e of exported) s.name(e.name!).byte(0x00).u32(e.index);
    });
    section(10, (s) => {
      s.u32(this.funcs.length);
      for (const f of this.funcs) s.sized(f.body.encode());
    });
    return Uint8Array.from(out.view());
  }
}
