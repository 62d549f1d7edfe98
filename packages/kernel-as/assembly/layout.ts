// Memory layout shared by the kernel's entry points. Everything lives in
// buffers the host allocated; the kernel only computes addresses.

/** Rows per batch: every instruction loops over this many rows at once. */
export const BATCH: i32 = 256;
/** Bytes of one slot (a column of BATCH f64). */
export const SLOT_BYTES: usize = <usize>BATCH << 3;

/** Largest stencil (richardson: 1 + 2 * RICHARDSON_ROWS). */
export const MAX_STENCIL: i32 = 32;

// The function descriptor: 8 consecutive i32 at `fn`.
//   [tape, nInstr, consts, nConsts, nVars, nSlots, result, scratch]
@inline export function descTape(fn: usize): usize { return <usize>load<u32>(fn, 0); }
@inline export function descNInstr(fn: usize): i32 { return load<i32>(fn, 4); }
@inline export function descConsts(fn: usize): usize { return <usize>load<u32>(fn, 8); }
@inline export function descNConsts(fn: usize): i32 { return load<i32>(fn, 12); }
@inline export function descNVars(fn: usize): i32 { return load<i32>(fn, 16); }
@inline export function descNSlots(fn: usize): i32 { return load<i32>(fn, 20); }
@inline export function descResult(fn: usize): i32 { return load<i32>(fn, 24); }
@inline export function descScratch(fn: usize): usize { return <usize>load<u32>(fn, 28); }

// The scratch area (16-byte aligned, scratchBytes(nSlots, nVars) bytes):
//
//   offset                              size                    contents
//   0                                   nSlots * SLOT_BYTES     slot s at s * SLOT_BYTES
//   W = nSlots * SLOT_BYTES             align16(nSlots * 4)     slot table: u32 address of each slot's column
//   W + T                               MAX_STENCIL * 8         stencil offsets (f64)
//   W + T + 256                         MAX_STENCIL * 8         one point's stencil values (f64)
//   W + T + 512                         32                      stencilCombine output (f64 x 3, padded)
//   W + T + 544                         BATCH * 8               step of each (point, direction) block, by first row
//   W + T + 2592                        (BATCH / 2) * 16        batch plan: units [point, firstDir, nDirs, firstRow] i32
//   W + T + 4640                        end
//
// The slot table lets evaluate() read variables straight from `points` and
// write the result straight to `out` (no copies); the finite-difference
// routines point every slot at its own column.
export const WS_OFFS: usize = 0;
export const WS_VALS: usize = WS_OFFS + (<usize>MAX_STENCIL << 3);
export const WS_COUT: usize = WS_VALS + (<usize>MAX_STENCIL << 3);
export const WS_STEPS: usize = WS_COUT + 32;
export const WS_UNITS: usize = WS_STEPS + SLOT_BYTES;
export const WS_BYTES: usize = WS_UNITS + (<usize>(BATCH >> 1) << 4);

@inline export function slotTableBytes(nSlots: i32): usize {
  return ((<usize>nSlots << 2) + 15) & ~(<usize>15);
}

/** Address of the slot table inside scratch. */
@inline export function slotTable(scratch: usize, nSlots: i32): usize {
  return scratch + <usize>nSlots * SLOT_BYTES;
}

/** Address of the finite-difference working space inside scratch. */
@inline export function workspace(scratch: usize, nSlots: i32): usize {
  return slotTable(scratch, nSlots) + slotTableBytes(nSlots);
}

@inline export function slotAt(tab: usize, s: i32): usize {
  return <usize>load<u32>(tab + (<usize>s << 2));
}

@inline export function setSlot(tab: usize, s: i32, addr: usize): void {
  store<u32>(tab + (<usize>s << 2), <u32>addr);
}
