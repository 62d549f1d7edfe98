import { formatNumber } from '@nudge/core';
import type { Grid, GridGradientResult, GridResult } from '@nudge/worker';
import type { NudgePool } from '@nudge/worker/browser';
import { contours } from 'd3-contour';
import { el, uid } from '../shell/dom.js';
import { viridis } from './colour-scale.js';

/**
 * f(x, y) as a heatmap with filled contours, axes and gradient arrows, on a
 * canvas. The grid comes from the worker POOL (`gradientGrid`: bands of rows
 * across the workers); this thread only bins values into colours, traces
 * the contour lines (d3-contour 4.0.3, marching squares) and draws. The
 * plot is square with equal x and y spans, so an arrow drawn on it points
 * the way f rises fastest and crosses the contour lines at right angles.
 * A second canvas on top (the overlay) is for the page's own marks
 * (a point, a direction, trajectories), redrawn without redrawing the map.
 * A paragraph under it says in words what the picture shows.
 */
export interface PlotView {
  x: [number, number];
  y: [number, number];
}

export interface ContourPlot {
  figure: HTMLElement;
  /** The element holding both canvases: pointer events and focus go here. */
  area: HTMLElement;
  /** The view last drawn. */
  readonly view: PlotView;
  /** Draw a grid (its axes are the view); `names` are the axes' variables. */
  setGrid(grid: GridResult | GridGradientResult, names: [string, string]): void;
  /** Show or hide the gradient arrows. */
  setArrows(on: boolean): void;
  /** Data coordinates to CSS pixels of `area`. */
  toPixel(x: number, y: number): [number, number];
  /** A pointer's client coordinates to data coordinates. */
  toData(clientX: number, clientY: number): [number, number];
  /** Pixels per unit of data (the same on both axes of a square view). */
  scale(): number;
  /** The page's painter of the overlay (called after every resize and redrawOverlay). */
  paintOverlay(paint: (ctx: CanvasRenderingContext2D) => void): void;
  redrawOverlay(): void;
  /** The words under the picture. */
  description: HTMLElement;
  destroy(): void;
}

/** The grid a view needs at `n` points a side. */
export function viewGrid(view: PlotView, n: number): Grid {
  return { x: [view.x[0], view.x[1], n], y: [view.y[0], view.y[1], n] };
}

/** f and its gradient over the view, computed across the pool's workers. */
export function computeMap(pool: NudgePool, expression: string, variables: [string, string], view: PlotView, n: number): Promise<GridGradientResult> {
  return pool.gradientGrid(expression, viewGrid(view, n), { variables });
}

const MARGIN = { left: 46, right: 10, top: 10, bottom: 34 };
const LEVELS = 12;
const ARROWS_PER_SIDE = 15;
const MAX_SIDE = 560;

export function createContourPlot(caption: string): ContourPlot {
  const map = el('canvas', { class: 'contour-map', attrs: { role: 'img' } });
  const overlay = el('canvas', { class: 'contour-overlay', attrs: { 'aria-hidden': 'true' } });
  const descriptionId = uid('plot-description');
  const description = el('p', { class: 'plot-description', attrs: { id: descriptionId, 'aria-live': 'polite' } });
  map.setAttribute('aria-describedby', descriptionId);
  map.setAttribute('aria-label', caption);
  const area = el('div', { class: 'contour-area' }, map, overlay);
  const holder = el('div', { class: 'contour-holder' }, area);
  const figure = el('figure', { class: 'chart contour' }, holder, el('figcaption', { text: caption }), description);

  let view: PlotView = { x: [-1, 1], y: [-1, 1] };
  let grid: GridResult | GridGradientResult | undefined;
  let names: [string, string] = ['x', 'y'];
  let arrows = true;
  let side = 320;
  let painter: ((ctx: CanvasRenderingContext2D) => void) | undefined;

  const inner = (): number => side - MARGIN.left - MARGIN.right;
  const innerHeight = (): number => side - MARGIN.top - MARGIN.bottom;
  const toPixel = (x: number, y: number): [number, number] => [
    MARGIN.left + ((x - view.x[0]) / (view.x[1] - view.x[0])) * inner(),
    MARGIN.top + (1 - (y - view.y[0]) / (view.y[1] - view.y[0])) * innerHeight(),
  ];

  function sizeCanvas(canvas: HTMLCanvasElement): CanvasRenderingContext2D {
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(side * dpr);
    canvas.height = Math.round(side * dpr);
    canvas.style.width = `${side}px`;
    canvas.style.height = `${side}px`;
    const ctx = canvas.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    return ctx;
  }

  function draw(): void {
    const ctx = sizeCanvas(map);
    ctx.fillStyle = '#f1f3f7';
    ctx.fillRect(0, 0, side, side);
    if (grid && grid.y) drawMap(ctx, grid, grid.x, grid.y);
    drawAxes(ctx);
    redrawOverlay();
  }

  function drawMap(ctx: CanvasRenderingContext2D, g: GridResult | GridGradientResult, xs: Float64Array, ys: Float64Array): void {
    const { nx, ny, values } = g;
    const levels = thresholds(values);
    // Filled contours: each point coloured by its band between levels (a value below the first is band 0).
    const image = new ImageData(nx, ny);
    const colours = Array.from({ length: levels.length + 1 }, (_, k) => viridis(levels.length === 0 ? 0.5 : k / levels.length));
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const v = values[j * nx + i]!;
        const o = ((ny - 1 - j) * nx + i) * 4;
        if (!Number.isFinite(v)) continue; // transparent: the background shows where f is undefined
        const [r, gr, b] = colours[band(levels, v)]!;
        image.data[o] = r;
        image.data[o + 1] = gr;
        image.data[o + 2] = b;
        image.data[o + 3] = 255;
      }
    }
    const bitmap = document.createElement('canvas');
    bitmap.width = nx;
    bitmap.height = ny;
    bitmap.getContext('2d')!.putImageData(image, 0, 0);
    const dx = nx > 1 ? (xs[nx - 1]! - xs[0]!) / (nx - 1) : 1;
    const dy = ny > 1 ? (ys[ny - 1]! - ys[0]!) / (ny - 1) : 1;
    ctx.save();
    ctx.beginPath();
    ctx.rect(MARGIN.left, MARGIN.top, inner(), innerHeight());
    ctx.clip();
    // Each value is the centre of its cell: the image reaches half a cell past the axes' ends.
    const [left, top] = toPixel(xs[0]! - dx / 2, ys[ny - 1]! + dy / 2);
    const [right, bottom] = toPixel(xs[nx - 1]! + dx / 2, ys[0]! - dy / 2);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(bitmap, left, top, right - left, bottom - top);
    // The contour lines (d3-contour's coordinates are in cells: value i sits at i + 0.5).
    const finite = Float64Array.from(values, (v) => (Number.isFinite(v) ? v : NaN));
    const polygons = contours().size([nx, ny]).thresholds(levels)(finite);
    ctx.lineWidth = 0.8;
    ctx.strokeStyle = 'rgba(255, 255, 255, 0.75)';
    const at = (cx: number, cy: number): [number, number] => toPixel(xs[0]! + (cx - 0.5) * dx, ys[0]! + (cy - 0.5) * dy);
    for (const polygon of polygons) {
      ctx.beginPath();
      for (const rings of polygon.coordinates) {
        for (const ring of rings) {
          ring.forEach(([cx, cy], k) => {
            const [px, py] = at(cx, cy);
            if (k === 0) ctx.moveTo(px, py);
            else ctx.lineTo(px, py);
          });
        }
      }
      ctx.stroke();
    }
    if (arrows && 'gradient' in g && g.gradient.y) drawArrows(ctx, g as GridGradientResult, xs, ys);
    ctx.restore();
    description.textContent = describe(g, xs, ys, levels, arrows);
  }

  function drawArrows(ctx: CanvasRenderingContext2D, g: GridGradientResult, xs: Float64Array, ys: Float64Array): void {
    const { nx, ny } = g;
    const gx = g.gradient.x;
    const gy = g.gradient.y!;
    const stride = Math.max(1, Math.ceil(nx / ARROWS_PER_SIDE));
    const spacing = (stride * inner()) / Math.max(1, nx - 1);
    const picked: number[] = [];
    let longest = 0;
    for (let j = Math.floor(stride / 2); j < ny; j += stride) {
      for (let i = Math.floor(stride / 2); i < nx; i += stride) {
        const p = j * nx + i;
        const norm = Math.hypot(gx[p]!, gy[p]!);
        if (!Number.isFinite(norm)) continue;
        picked.push(p);
        longest = Math.max(longest, norm);
      }
    }
    if (!(longest > 0)) return;
    ctx.strokeStyle = 'rgba(20, 24, 33, 0.85)';
    ctx.fillStyle = 'rgba(20, 24, 33, 0.85)';
    ctx.lineWidth = 1.2;
    for (const p of picked) {
      const norm = Math.hypot(gx[p]!, gy[p]!);
      if (!(norm > 0)) continue;
      // Length on a square-root scale (large gradients would otherwise hide the small ones), at most 85% of the spacing.
      const length = 0.85 * spacing * Math.sqrt(norm / longest);
      if (length < 2) continue;
      const [x0, y0] = toPixel(xs[p % nx]!, ys[Math.floor(p / nx)]!);
      const ux = gx[p]! / norm;
      const uy = -gy[p]! / norm; // the canvas's y runs down
      arrow(ctx, x0 - (ux * length) / 2, y0 - (uy * length) / 2, x0 + (ux * length) / 2, y0 + (uy * length) / 2, Math.min(5, length / 2.5));
    }
  }

  function drawAxes(ctx: CanvasRenderingContext2D): void {
    ctx.save();
    ctx.strokeStyle = '#5d6678';
    ctx.fillStyle = '#3a4150';
    ctx.lineWidth = 1;
    ctx.strokeRect(MARGIN.left, MARGIN.top, inner(), innerHeight());
    ctx.font = '11px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const t of ticks(view.x[0], view.x[1])) {
      const [px] = toPixel(t, view.y[0]);
      ctx.beginPath();
      ctx.moveTo(px, MARGIN.top + innerHeight());
      ctx.lineTo(px, MARGIN.top + innerHeight() + 4);
      ctx.stroke();
      ctx.fillText(formatNumber(t, 6), px, MARGIN.top + innerHeight() + 6);
    }
    ctx.fillText(names[0], MARGIN.left + inner() / 2, side - 13);
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const t of ticks(view.y[0], view.y[1])) {
      const [, py] = toPixel(view.x[0], t);
      ctx.beginPath();
      ctx.moveTo(MARGIN.left - 4, py);
      ctx.lineTo(MARGIN.left, py);
      ctx.stroke();
      ctx.fillText(formatNumber(t, 6), MARGIN.left - 6, py);
    }
    ctx.save();
    ctx.translate(11, MARGIN.top + innerHeight() / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'center';
    ctx.fillText(names[1], 0, 0);
    ctx.restore();
    ctx.restore();
  }

  function redrawOverlay(): void {
    const ctx = sizeCanvas(overlay);
    ctx.clearRect(0, 0, side, side);
    if (!painter) return;
    ctx.save();
    ctx.beginPath();
    ctx.rect(MARGIN.left, MARGIN.top, inner(), innerHeight());
    ctx.clip();
    painter(ctx);
    ctx.restore();
  }

  const fit = (): void => {
    const next = Math.max(240, Math.min(MAX_SIDE, Math.floor(holder.clientWidth || 320)));
    if (next === side && map.width > 0) return;
    side = next;
    area.style.width = `${side}px`;
    area.style.height = `${side}px`;
    draw();
  };
  const observer = new ResizeObserver(fit);
  observer.observe(holder);
  fit();

  return {
    figure,
    area,
    get view() {
      return view;
    },
    description,
    setGrid(g, axisNames) {
      grid = g;
      names = axisNames;
      if (g.y) view = { x: [g.x[0]!, g.x[g.nx - 1]!], y: [g.y[0]!, g.y[g.ny - 1]!] };
      draw();
    },
    setArrows(on) {
      arrows = on;
      draw();
    },
    toPixel,
    toData(clientX, clientY) {
      const box = area.getBoundingClientRect();
      const px = clientX - box.left;
      const py = clientY - box.top;
      return [
        view.x[0] + ((px - MARGIN.left) / inner()) * (view.x[1] - view.x[0]),
        view.y[0] + (1 - (py - MARGIN.top) / innerHeight()) * (view.y[1] - view.y[0]),
      ];
    },
    scale: () => inner() / (view.x[1] - view.x[0]),
    paintOverlay(paint) {
      painter = paint;
      redrawOverlay();
    },
    redrawOverlay,
    destroy() {
      observer.disconnect();
    },
  };
}

/** An arrow from (x0, y0) to (x1, y1) with a head of size `head`. */
export function arrow(ctx: CanvasRenderingContext2D, x0: number, y0: number, x1: number, y1: number, head: number): void {
  const angle = Math.atan2(y1 - y0, x1 - x0);
  ctx.beginPath();
  ctx.moveTo(x0, y0);
  ctx.lineTo(x1, y1);
  ctx.stroke();
  ctx.beginPath();
  ctx.moveTo(x1, y1);
  ctx.lineTo(x1 - head * Math.cos(angle - 0.45), y1 - head * Math.sin(angle - 0.45));
  ctx.lineTo(x1 - head * Math.cos(angle + 0.45), y1 - head * Math.sin(angle + 0.45));
  ctx.closePath();
  ctx.fill();
}

/**
 * Contour levels at quantiles of the finite values, so that every band
 * holds about as many points: a function with a steep wall (Rosenbrock)
 * still shows its valley.
 */
export function thresholds(values: Float64Array): number[] {
  const finite = values.filter(Number.isFinite).sort();
  if (finite.length === 0) return [];
  const out: number[] = [];
  for (let k = 1; k <= LEVELS; k++) {
    const v = finite[Math.min(finite.length - 1, Math.floor((k * finite.length) / (LEVELS + 1)))]!;
    if (out.length === 0 || v > out[out.length - 1]!) out.push(v);
  }
  return out;
}

/** The band of v: how many levels are at or below it. */
function band(levels: readonly number[], v: number): number {
  let lo = 0;
  let hi = levels.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (levels[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** About five round ticks between lo and hi. */
export function ticks(lo: number, hi: number): number[] {
  const span = hi - lo;
  if (!(span > 0)) return [lo];
  const raw = span / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? power * 10;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(Number(t.toPrecision(12)));
  return out;
}

/** The picture in words, for those who cannot see it. */
function describe(g: GridResult | GridGradientResult, xs: Float64Array, ys: Float64Array, levels: readonly number[], arrows: boolean): string {
  const { nx, ny, values } = g;
  let lo = -1;
  let hi = -1;
  let undefinedPoints = 0;
  values.forEach((v, p) => {
    if (!Number.isFinite(v)) return void (undefinedPoints += 1);
    if (lo < 0 || v < values[lo]!) lo = p;
    if (hi < 0 || v > values[hi]!) hi = p;
  });
  const [vx, vy] = g.variables;
  const where = (p: number): string => `(${formatNumber(xs[p % nx]!, 4)}, ${formatNumber(ys[Math.floor(p / nx)]!, 4)})`;
  const parts = [`The heatmap shows f over ${vx} from ${formatNumber(xs[0]!, 6)} to ${formatNumber(xs[nx - 1]!, 6)} and ${vy} from ${formatNumber(ys[0]!, 6)} to ${formatNumber(ys[ny - 1]!, 6)}, on ${nx} x ${ny} points.`];
  if (lo < 0) return `${parts[0]} f is not finite anywhere here.`;
  parts.push(`Lowest value ${formatNumber(values[lo]!, 6)} (dark purple) near ${where(lo)}; highest ${formatNumber(values[hi]!, 6)} (yellow) near ${where(hi)}.`);
  if (levels.length > 0) parts.push(`${levels.length} contour lines, from ${formatNumber(levels[0]!, 4)} to ${formatNumber(levels[levels.length - 1]!, 4)}, each band holding about as many points.`);
  if (undefinedPoints > 0) parts.push(`f is not finite at ${undefinedPoints} points (left grey).`);
  if (arrows && 'gradient' in g && g.gradient.y) {
    let steepest = -1;
    let norm = -1;
    for (let p = 0; p < values.length; p++) {
      const n = Math.hypot(g.gradient.x[p]!, g.gradient.y[p]!);
      if (Number.isFinite(n) && n > norm) [steepest, norm] = [p, n];
    }
    if (steepest >= 0) parts.push(`Arrows point uphill along the gradient; the steepest slope here is ${formatNumber(norm, 4)} near ${where(steepest)}.`);
  }
  return parts.join(' ');
}

