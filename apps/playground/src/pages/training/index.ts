import { formatNumber, type FitResult, type Table } from '@nudge/core';
import { createChart } from '../../components/chart.js';
import { el, uid } from '../../shell/dom.js';
import type { MountedPage, PageContext } from '../../shell/page.js';
import { DataPlot, domainOf, GRID, gridColumns, type Domain } from './plot.js';
import { DATA, EPOCHS, HIDDEN, keyOf, MAX_POINTS, modelsFor, modelSpec, RATES, readState, writeState, type DataName, type ModelName, type TrainingState } from './state.js';
import '../../components/tool-buttons.css';
import './page.css';

const ROWS = 200;
const CLICK_DOMAIN: Domain = { x0: -2, x1: 2, y0: -2, y1: 2 };
const DATA_TITLES: Record<DataName, string> = { moons: 'two moons', circles: 'two circles', blobs: 'two blobs', line: 'a noisy line y = 2x + 1', clicked: 'points you click' };
const MODEL_TITLES: Record<ModelName, string> = { line: 'a line y = w x + b', logistic: 'logistic regression', mlp: 'a small network (MLP)' };
/** About this many redraws per run: the fit runs in segments of epochs, the model drawn after each. */
const FRAMES = 120;

/**
 * Page 6, training: a line, a logistic regression or a small network fitted
 * by gradient descent to a data set Nudge ships (made in the worker) or to
 * points the person clicks, in the worker. The fit runs in short segments,
 * each starting from the last one's parameters (plain gradient descent
 * keeps no other state, so this is the same run as one fit); after each,
 * the worker predicts over a grid and the decision boundary (or the fitted
 * line) is redrawn; the loss curve grows with every epoch's progress.
 */
export function mount(page: HTMLElement, { nudge, state: url }: PageContext): MountedPage {
  const state: TrainingState = readState(url);
  let table: Table | undefined;
  let tableOf = '';
  let run: AbortController | undefined;
  let runs = 0;
  let classOfClick: 0 | 1 = 0;

  // ---- controls
  const dataSelect = select('data', DATA.map((d) => [d, DATA_TITLES[d]]), state.data);
  const modelSelect = select('model', [], state.model);
  const hiddenSelect = select('hidden units', HIDDEN.map((h) => [String(h), String(h)]), String(state.hidden));
  const rateSelect = select('learning rate', RATES.map((r) => [String(r), String(r)]), String(state.lr));
  const epochSelect = select('epochs', EPOCHS.map((e) => [String(e), String(e)]), String(state.epochs));
  const train = el('button', { class: 'train-button', text: 'Train', attrs: { type: 'button', id: 'train' } });
  const clear = el('button', { text: 'Clear the points', attrs: { type: 'button' } });
  const classButtons = ([0, 1] as const).map((c) => {
    const b = el('button', { class: `class-${c}`, text: `class ${c}`, attrs: { type: 'button', 'aria-pressed': String(c === classOfClick) } });
    b.addEventListener('click', () => {
      classOfClick = c;
      classButtons.forEach((x, i) => x.setAttribute('aria-pressed', String(i === c)));
    });
    return b;
  });
  const clickTools = el('div', { class: 'tool-buttons click-tools', attrs: { role: 'group', 'aria-label': 'clicked points' } }, el('span', { class: 'label', text: 'a click adds a point of' }), ...classButtons, clear);
  const controls = el('div', { class: 'training-controls' }, dataSelect.element, modelSelect.element, hiddenSelect.element, rateSelect.element, epochSelect.element);

  const plot = new DataPlot('The data and the model: points coloured by class over the model’s probability, the decision boundary dotted; or the points and the fitted line.');
  const loss = createChart('The training loss after each epoch (log scale)', 200, { scales: { x: { time: false }, y: { distr: 3 } }, series: [{ label: 'epoch' }, { label: 'loss', stroke: '#2f5bd3', width: 2 }], axes: [{ label: 'epoch' }, { label: 'loss' }], legend: { show: false } }, [[], []]);
  const statusText = el('p', { class: 'step-status', attrs: { id: 'fit-status', role: 'status' } });
  const paramsOut = el('dd', { class: 'number', attrs: { id: 'fit-params' } });
  const lossOut = el('dd', { class: 'number big', attrs: { id: 'fit-loss' } });
  const accuracyOut = el('dd', { class: 'number', attrs: { id: 'fit-accuracy' } });
  const failure = el('p', { class: 'part-error', attrs: { role: 'status' } });
  page.append(
    controls,
    el('div', { class: 'tool-buttons walk-buttons' }, train),
    clickTools,
    plot.figure,
    statusText,
    el('dl', { class: 'readout' }, row('loss', lossOut), row('accuracy', accuracyOut), row('fitted', paramsOut)),
    loss.figure,
    failure,
  );

  function syncControls(): void {
    const allowed = modelsFor(state.data);
    if (!allowed.includes(state.model)) state.model = allowed[allowed.length - 1]!;
    modelSelect.select.replaceChildren(...allowed.map((m) => el('option', { text: MODEL_TITLES[m], attrs: { value: m } })));
    modelSelect.select.value = state.model;
    hiddenSelect.element.hidden = state.model !== 'mlp';
    clickTools.hidden = state.data !== 'clicked';
    writeState(url, state);
  }

  const onChange = (apply: () => void) => (): void => {
    stop();
    apply();
    syncControls();
    void showData();
  };
  dataSelect.select.addEventListener('change', onChange(() => (state.data = dataSelect.select.value as DataName)));
  modelSelect.select.addEventListener('change', onChange(() => (state.model = modelSelect.select.value as ModelName)));
  hiddenSelect.select.addEventListener('change', onChange(() => (state.hidden = Number(hiddenSelect.select.value))));
  rateSelect.select.addEventListener('change', onChange(() => (state.lr = Number(rateSelect.select.value))));
  epochSelect.select.addEventListener('change', onChange(() => (state.epochs = Number(epochSelect.select.value))));
  // Stop keeps what was learned: the run ends at its next epoch and says so.
  train.addEventListener('click', () => (run ? run.abort() : void start()));
  clear.addEventListener('click', onChange(() => (state.points = [])));
  plot.canvas.addEventListener('click', (event) => {
    if (state.data !== 'clicked' || state.points.length >= MAX_POINTS) return;
    const box = plot.canvas.getBoundingClientRect();
    const p = plot.toData(CLICK_DOMAIN, event.clientX - box.left, event.clientY - box.top);
    stop();
    state.points = [...state.points, { x1: p.x, x2: p.y, label: classOfClick }];
    writeState(url, state);
    void showData();
  });

  // ---- the data
  async function data(): Promise<Table> {
    if (state.data === 'clicked') {
      const cols = { x1: Float64Array.from(state.points, (p) => p.x1), x2: Float64Array.from(state.points, (p) => p.x2), label: Float64Array.from(state.points, (p) => p.label) };
      return { columns: ['x1', 'x2', 'label'], data: cols, rows: state.points.length };
    }
    if (!table || tableOf !== state.data) {
      table = await nudge.dataset(state.data, { rows: ROWS, seed: 1 });
      tableOf = state.data;
    }
    return table;
  }

  function domain(t: Table): Domain {
    if (state.data === 'clicked') return CLICK_DOMAIN;
    return state.data === 'line' ? domainOf(t.data.x!, t.data.y!, CLICK_DOMAIN) : domainOf(t.data.x1!, t.data.x2!, CLICK_DOMAIN);
  }

  /** The data alone, no model yet. */
  async function showData(): Promise<void> {
    const t = await data();
    const d = domain(t);
    if (state.data === 'line') plot.line(d, t.data.x!, t.data.y!, undefined);
    else plot.classes(d, t.data.x1!, t.data.x2!, t.data.label!, undefined);
    loss.setData([[], []]);
    for (const o of [lossOut, accuracyOut, paramsOut]) o.textContent = '';
    statusText.textContent = state.data === 'clicked' && t.rows < 2 ? 'Click on the plot to add points (choose their class first), then train.' : `Ready: ${t.rows} rows. Press Train.`;
    page.dataset.state = 'ready';
    page.dataset.key = keyOf(state);
  }

  /** The model drawn over the data: the worker predicts over a grid (or at the domain's two ends for the line). */
  async function showModel(t: Table, r: FitResult): Promise<void> {
    const d = domain(t);
    if (state.data === 'line') {
      const ends = await nudge.predict(r.model, r.params, { x: Float64Array.of(d.x0, d.x1) });
      plot.line(d, t.data.x!, t.data.y!, [ends[0]!, ends[1]!]);
      return;
    }
    const { a, b } = gridColumns(d);
    const values = await nudge.predict(r.model, r.params, { x1: a, x2: b });
    plot.classes(d, t.data.x1!, t.data.x2!, t.data.label!, { n: GRID, values });
  }

  // ---- training
  async function start(): Promise<void> {
    const id = ++runs;
    const controller = (run = new AbortController());
    allEpochs.length = allLosses.length = 0;
    train.textContent = 'Stop';
    page.dataset.state = 'training';
    failure.textContent = '';
    const spec = modelSpec(state);
    const total = state.epochs;
    const segment = Math.max(1, Math.ceil(total / FRAMES));
    const epochs: number[] = [];
    const losses: number[] = [];
    let done = 0;
    let last: FitResult | undefined;
    try {
      const t = await data();
      if (t.rows < 2) throw new Error('at least two points are needed to train: click on the plot to add some');
      const columns = Object.fromEntries([...spec.features, spec.target].map((c) => [c, t.data[c]!]));
      while (done < total && !controller.signal.aborted) {
        const base = done;
        const r: FitResult = await nudge.fit(columns, {
          model: spec.model,
          target: spec.target,
          optimizer: 'gd',
          lr: state.lr,
          tol: 0,
          epochs: Math.min(segment, total - done),
          ...(last ? { init: last.params } : {}),
          signal: controller.signal,
          onEpoch: (e) => {
            epochs.push(base + e.epoch);
            losses.push(e.loss);
          },
        });
        if (id !== runs) return;
        // the history is the record; progress messages may trail the result
        epochs.length = losses.length = 0;
        for (const h of (last = r).history) {
          epochs.push(base + h.epoch);
          losses.push(h.loss);
        }
        allEpochs.push(...epochs);
        allLosses.push(...losses);
        epochs.length = losses.length = 0;
        done += r.epochs;
        loss.setData([allEpochs, allLosses]);
        showNumbers(r, done);
        await showModel(t, r);
        if (r.status === 'diverged') break;
        await new Promise((resolve) => requestAnimationFrame(resolve));
      }
      statusText.textContent = `${controller.signal.aborted ? 'Stopped' : 'Trained'} after ${done} epochs of gradient descent (learning rate ${state.lr})${last?.status === 'diverged' ? ': the loss diverged, try a smaller learning rate' : ''}.`;
    } catch (error) {
      if (id !== runs) return;
      failure.textContent = error instanceof Error ? error.message : String(error);
    } finally {
      if (id === runs && run === controller) {
        run = undefined;
        train.textContent = 'Train';
        page.dataset.state = 'done';
        page.dataset.key = keyOf(state);
      }
    }
  }
  const allEpochs: number[] = [];
  const allLosses: number[] = [];

  function showNumbers(r: FitResult, done: number): void {
    statusText.textContent = `Training: epoch ${done} of ${state.epochs}.`;
    lossOut.textContent = formatNumber(r.trainingLoss, 6);
    lossOut.dataset.raw = String(r.trainingLoss);
    accuracyOut.textContent = r.accuracy === undefined ? '—' : `${formatNumber(r.accuracy * 100, 4)} %`;
    paramsOut.textContent = r.model.kind === 'mlp' ? `${r.model.params.length} parameters (${r.model.expression})` : r.fitted;
    paramsOut.dataset.params = JSON.stringify(r.params);
  }

  /** Forget the run (a control changed): it stops, and nothing it still sends is shown. */
  function stop(): void {
    run?.abort();
    run = undefined;
    runs += 1;
    train.textContent = 'Train';
  }

  syncControls();
  void showData().then(() => (state.data !== 'clicked' || state.points.length >= 2 ? start() : undefined));

  return {
    unmount() {
      stop();
      plot.destroy();
      loss.destroy();
    },
  };
}

function select(label: string, options: [string, string][], value: string): { element: HTMLElement; select: HTMLSelectElement } {
  const id = uid('select');
  const s = el('select', { attrs: { id } }, ...options.map(([v, text]) => el('option', { text, attrs: { value: v } })));
  s.value = value;
  return { element: el('div', { class: 'field' }, el('label', { class: 'label', text: label, attrs: { for: id } }), s), select: s };
}

function row(label: string, value: HTMLElement): HTMLElement {
  return el('div', { class: 'row' }, el('dt', { text: label }), value);
}
