import uPlot from 'uplot';
import { el } from '../shell/dom.js';

/**
 * uPlot for line, loss and log-log charts: canvas drawing, about 50 KB,
 * fast enough to redraw on every drag. A chart fills its container's width
 * (followed by a ResizeObserver, so a 360 px screen never scrolls sideways)
 * and sits in a <figure> whose caption says in words what it shows.
 */
export interface Chart {
  figure: HTMLElement;
  plot: uPlot;
  setData(data: uPlot.AlignedData, resetScales?: boolean): void;
  destroy(): void;
}

export function createChart(caption: string, height: number, options: Omit<uPlot.Options, 'width' | 'height'>, data: uPlot.AlignedData): Chart {
  const area = el('div', { class: 'chart-area' });
  const figure = el('figure', { class: 'chart' }, area, el('figcaption', { text: caption }));
  const width = (): number => Math.max(200, Math.floor(area.clientWidth || 320));
  const plot = new uPlot({ ...options, width: width(), height }, data, area);
  const observer = new ResizeObserver(() => {
    const w = width();
    if (w !== plot.width) plot.setSize({ width: w, height });
  });
  observer.observe(area);
  return {
    figure,
    plot,
    setData(next, resetScales = true) {
      plot.setData(next, resetScales);
    },
    destroy() {
      observer.disconnect();
      plot.destroy();
    },
  };
}
