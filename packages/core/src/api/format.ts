/**
 * Numbers for people: up to 12 significant digits, trailing zeros dropped,
 * so that 6.000000000000001 reads 6 and 6.000100000012054 reads 6.0001.
 */
export function formatNumber(v: number, digits = 12): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  if (v === 0) return '0';
  const abs = Math.abs(v);
  if (abs >= 1e-6 && abs < 1e15) {
    const text = Number(v.toPrecision(digits)).toString();
    return text;
  }
  return Number(v.toPrecision(digits)).toExponential().replace('e+', 'e');
}

/**
 * A computed estimate for people, rounded to the digits its error estimate
 * leaves meaningful: the forward difference 6.000100000012054 with an error
 * of about 1e-4 reads 6.0001, as a course shows it.
 */
export function formatEstimate(v: number, errorEstimate: number | null | undefined): string {
  if (!Number.isFinite(v) || errorEstimate == null || !Number.isFinite(errorEstimate) || errorEstimate <= 0) return formatNumber(v);
  const decimals = -Math.floor(Math.log10(errorEstimate));
  const magnitude = v === 0 ? 0 : Math.floor(Math.log10(Math.abs(v)));
  const significant = Math.min(12, Math.max(1, magnitude + 1 + decimals));
  return formatNumber(v, significant);
}
