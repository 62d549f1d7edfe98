import { el } from '../../shell/dom.js';

/** The region drawn, in data coordinates. */
export interface Domain {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/** Predictions over a grid of n x n cell centres across the domain, rows from the bottom. */
export interface Surface {
  n: number;
  values: Float64Array;
}

export const GRID = 48;

/** The grid's cell centres as two feature columns (row-major, bottom row first). */
export function gridColumns(d: Domain, n = GRID): { a: Float64Array; b: Float64Array } {
  const a = new Float64Array(n * n);
  const b = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      a[j * n + i] = d.x0 + ((i + 0.5) / n) * (d.x1 - d.x0);
      b[j * n + i] = d.y0 + ((j + 0.5) / n) * (d.y1 - d.y0);
    }
  }
  return { a, b };
}

/** The domain around some points, with a margin. */
export function domainOf(xs: ArrayLike<number>, ys: ArrayLike<number>, fallback: Domain): Domain {
  if (xs.length === 0) return fallback;
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < xs.length; i++) {
    x0 = Math.min(x0, xs[i]!);
    x1 = Math.max(x1, xs[i]!);
    y0 = Math.min(y0, ys[i]!);
    y1 = Math.max(y1, ys[i]!);
  }
  const mx = Math.max(0.2, (x1 - x0) * 0.1);
  const my = Math.max(0.2, (y1 - y0) * 0.1);
  return { x0: x0 - mx, x1: x1 + mx, y0: y0 - my, y1: y1 + my };
}

const CLASS = ['#2f5bd3', '#c2410c'] as const;

/**
 * The data and the model on a canvas: for two classes, the points coloured
 * by class over the model's probability (blue for 0, orange for 1, stronger
 * the surer) with the decision boundary p = 0.5 marked; for the line data,
 * the points and the fitted line.
 */
export class DataPlot {
  readonly canvas: HTMLCanvasElement;
  readonly figure: HTMLElement;
  private readonly observer: ResizeObserver;
  private draw: () => void = () => {};

  constructor(caption: string) {
    this.canvas = el('canvas', { class: 'data-plot', attrs: { role: 'img', 'aria-label': caption } });
    this.figure = el('figure', { class: 'chart' }, this.canvas, el('figcaption', { text: caption }));
    this.observer = new ResizeObserver(() => this.resize());
    this.observer.observe(this.figure);
  }

  /** Data coordinates of a point on the canvas (CSS pixels from its corner). */
  toData(d: Domain, px: number, py: number): { x: number; y: number } {
    const w = this.canvas.clientWidth;
    const h = this.canvas.clientHeight;
    return { x: d.x0 + (px / w) * (d.x1 - d.x0), y: d.y1 - (py / h) * (d.y1 - d.y0) };
  }

  classes(d: Domain, x1: ArrayLike<number>, x2: ArrayLike<number>, label: ArrayLike<number>, surface: Surface | undefined): void {
    this.draw = () => {
      const { ctx, w, h } = this.context();
      const X = (v: number): number => ((v - d.x0) / (d.x1 - d.x0)) * w;
      const Y = (v: number): number => h - ((v - d.y0) / (d.y1 - d.y0)) * h;
      if (surface) {
        const { n, values } = surface;
        const cw = w / n;
        const ch = h / n;
        for (let j = 0; j < n; j++) {
          for (let i = 0; i < n; i++) {
            const p = values[j * n + i]!;
            if (!Number.isFinite(p)) continue;
            ctx.fillStyle = CLASS[p >= 0.5 ? 1 : 0];
            ctx.globalAlpha = 0.08 + 0.3 * Math.min(1, Math.abs(p - 0.5) * 2);
            ctx.fillRect(i * cw, h - (j + 1) * ch, cw + 0.5, ch + 0.5);
          }
        }
        ctx.globalAlpha = 1;
        ctx.fillStyle = '#1d2330';
        for (let j = 0; j < n; j++) {
          for (let i = 0; i + 1 < n; i++) {
            const a = values[j * n + i]! - 0.5;
            const b = values[j * n + i + 1]! - 0.5;
            if (a * b < 0) ctx.fillRect((i + 0.5 + a / (a - b)) * cw - 1.5, h - (j + 0.5) * ch - 1.5, 3, 3);
          }
        }
      }
      for (let k = 0; k < x1.length; k++) {
        ctx.beginPath();
        ctx.arc(X(x1[k]!), Y(x2[k]!), 3.5, 0, 2 * Math.PI);
        ctx.fillStyle = CLASS[label[k] === 1 ? 1 : 0];
        ctx.fill();
        ctx.strokeStyle = 'white';
        ctx.stroke();
      }
    };
    this.draw();
  }

  line(d: Domain, x: ArrayLike<number>, y: ArrayLike<number>, fitted: [number, number] | undefined): void {
    this.draw = () => {
      const { ctx, w, h } = this.context();
      const X = (v: number): number => ((v - d.x0) / (d.x1 - d.x0)) * w;
      const Y = (v: number): number => h - ((v - d.y0) / (d.y1 - d.y0)) * h;
      ctx.fillStyle = CLASS[0];
      for (let k = 0; k < x.length; k++) {
        ctx.beginPath();
        ctx.arc(X(x[k]!), Y(y[k]!), 3, 0, 2 * Math.PI);
        ctx.fill();
      }
      if (fitted) {
        ctx.strokeStyle = CLASS[1];
        ctx.lineWidth = 3;
        ctx.beginPath();
        ctx.moveTo(X(d.x0), Y(fitted[0]));
        ctx.lineTo(X(d.x1), Y(fitted[1]));
        ctx.stroke();
      }
    };
    this.draw();
  }

  destroy(): void {
    this.observer.disconnect();
  }

  private resize(): void {
    const w = Math.max(200, Math.floor(this.figure.clientWidth));
    const h = Math.round(Math.min(420, w * 0.7));
    const ratio = window.devicePixelRatio || 1;
    if (this.canvas.width === Math.round(w * ratio) && this.canvas.height === Math.round(h * ratio)) return;
    this.canvas.style.width = `${w}px`;
    this.canvas.style.height = `${h}px`;
    this.canvas.width = Math.round(w * ratio);
    this.canvas.height = Math.round(h * ratio);
    this.draw();
  }

  private context(): { ctx: CanvasRenderingContext2D; w: number; h: number } {
    if (!this.canvas.width) this.resize();
    const ctx = this.canvas.getContext('2d')!;
    const ratio = window.devicePixelRatio || 1;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    const w = this.canvas.width / ratio;
    const h = this.canvas.height / ratio;
    ctx.clearRect(0, 0, w, h);
    ctx.fillStyle = 'white';
    ctx.fillRect(0, 0, w, h);
    return { ctx, w, h };
  }
}
