// Compiled tapes: the core may compile a batch-mode tape to a small
// WebAssembly module of three functions and set them into this kernel's
// exported function table (`table`) at k, k + 1, k + 2; descriptor field 11
// (`compiled`, layout.ts) holds k. The drivers then call them instead of
// interpreting the tape. Every parameter is an i32 (byte pointers into this
// kernel's memory, counts); none returns anything. Points are
// structure-of-arrays columns: coordinate v of row r at
// points + (v * stride + r) * 8, stride counted in rows. Each function loops
// over its n rows itself.
//
//   k      eval      (points, stride, n, out)                          out[r] = f(row r)
//   k + 1  jvp       (points, stride, n, dir, outValue, outTangent)    dir: nVars f64, the same for every row
//   k + 2  gradient  (points, stride, n, outValue, outGrad)            outGrad[r * nVars + v] = df/dx_v
//
// A function of another signature at those indices traps (call_indirect's
// signature check); so does an empty entry.

/** out[r] = f(row r), r < n: the compiled eval function at table index k. */
@inline export function callEval(k: i32, points: usize, stride: i32, n: i32, out: usize): void {
  call_indirect<void>(<u32>k, <i32>points, stride, n, <i32>out);
}

/** outValue[r] = f, outTangent[r] = the derivative along dir: the compiled jvp function (index k + 1). */
@inline export function callJvp(
  k: i32, points: usize, stride: i32, n: i32, dir: usize, outValue: usize, outTangent: usize,
): void {
  call_indirect<void>(<u32>(k + 1), <i32>points, stride, n, <i32>dir, <i32>outValue, <i32>outTangent);
}

/** outValue[r] = f, outGrad[r * nVars + v] = df/dx_v: the compiled gradient function (index k + 2). */
@inline export function callGradient(k: i32, points: usize, stride: i32, n: i32, outValue: usize, outGrad: usize): void {
  call_indirect<void>(<u32>(k + 2), <i32>points, stride, n, <i32>outValue, <i32>outGrad);
}

// Vector mode (descriptor mode 1, field 11 = k > 0): the functions take one
// point (nIn f64: the variables' elements one after the other) and loop over
// the vectors themselves.
//
//   k      eval      (point, out)                          out[0] = f(point)
//   k + 1  jvp       (point, dir, outValue, outTangent)    dir: nIn f64
//   k + 2  gradient  (point, outValue, outGrad)            outGrad: nIn f64, zeroed by the caller

/** out[0] = f(point): the compiled vector eval function at table index k. */
@inline export function callEvalVector(k: i32, point: usize, out: usize): void {
  call_indirect<void>(<u32>k, <i32>point, <i32>out);
}

/** The value and the derivative along dir at one point (index k + 1). */
@inline export function callJvpVector(k: i32, point: usize, dir: usize, outValue: usize, outTangent: usize): void {
  call_indirect<void>(<u32>(k + 1), <i32>point, <i32>dir, <i32>outValue, <i32>outTangent);
}

/** The value and the gradient at one point, added into the zeroed outGrad (index k + 2). */
@inline export function callGradientVector(k: i32, point: usize, outValue: usize, outGrad: usize): void {
  call_indirect<void>(<u32>(k + 2), <i32>point, <i32>outValue, <i32>outGrad);
}
