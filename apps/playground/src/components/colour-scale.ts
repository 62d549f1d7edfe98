/**
 * A sequential colour scale for heatmaps: viridis (perceptually uniform,
 * readable in grey and by the common colour-vision deficiencies), as nine
 * stops interpolated linearly in RGB.
 * see: matplotlib's _cm_listed.py, _viridis_data (every 32nd entry)
 */
const VIRIDIS = ['#440154', '#472d7b', '#3b528b', '#2c728e', '#21918c', '#28ae80', '#5ec962', '#addc30', '#fde725'].map((hex) => [
  parseInt(hex.slice(1, 3), 16),
  parseInt(hex.slice(3, 5), 16),
  parseInt(hex.slice(5, 7), 16),
]) as [number, number, number][];

/** The colour at t in [0, 1] (clamped) as [r, g, b], 0-255. */
export function viridis(t: number): [number, number, number] {
  const u = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(u));
  const f = u - i;
  const a = VIRIDIS[i]!;
  const b = VIRIDIS[i + 1]!;
  return [0, 1, 2].map((k) => Math.round(a[k]! + (b[k]! - a[k]!) * f)) as [number, number, number];
}

export const cssColour = ([r, g, b]: [number, number, number]): string => `rgb(${r} ${g} ${b})`;
