import { formatNumber, type BackpropResult } from '@nudge/core';
import { expressionInput } from '../../components/expression-input.js';
import { renderTex } from '../../components/math.js';
import { el, uid } from '../../shell/dom.js';
import type { MountedPage, PageContext } from '../../shell/page.js';
import { PageWork } from '../../shell/latest.js';
import { GraphView } from './graph.js';
import { walk, type Walk } from './layout.js';
import { keyOf, readState, writeState, type BackpropState } from './state.js';
import '../../components/tool-buttons.css';
import './page.css';

/** Milliseconds a step takes when playing (and its dots' run along the edges). */
const STEP_MS = 700;

/**
 * Page 5, the chain rule and backpropagation: the computational graph of f
 * (by default a neuron, sigmoid(w*x + b)) at a point, the forward pass
 * computing each node's value from its inputs, then the backward pass
 * computing each node's adjoint ∂f/∂node from its consumers' adjoints times
 * the local partial derivatives on the edges. Step by step, or played. The
 * graph and all its numbers come from the worker's `backprop`.
 */
export function mount(page: HTMLElement, { nudge, state: url }: PageContext): MountedPage {
  const state: BackpropState = readState(url);
  let variables: string[] = [];
  let valid = false;
  let result: BackpropResult | undefined;
  let w: Walk | undefined;
  let step = 0;
  const status = new PageWork(page, () => keyOf(state, variables), (_part, error) => showFailure(error));

  // ---- controls
  const expression = expressionInput({
    nudge,
    label: 'f =',
    value: state.f,
    onValid: (text, info) => {
      variables = [...info.variables];
      state.f = text;
      valid = true;
      buildPointFields();
      refresh();
    },
    onInvalid: (text) => {
      stop();
      valid = false;
      state.f = text;
      status.invalid();
      writeState(url, state);
    },
  });
  const pointFields = el('fieldset', { class: 'point-fields' }, el('legend', { text: 'the point' }));
  const controls = el('div', { class: 'controls' }, expression.element, pointFields);

  function buildPointFields(): void {
    const fields = variables.map((v) => {
      const id = uid('at');
      const input = el('input', { class: 'number-input', attrs: { id, type: 'text', inputmode: 'decimal', autocomplete: 'off', 'aria-invalid': 'false', 'data-variable': v } });
      input.value = String(state.at[v] ?? 1);
      input.addEventListener('input', () => {
        const text = input.value.trim();
        const value = Number(text);
        const ok = text !== '' && Number.isFinite(value);
        input.setAttribute('aria-invalid', String(!ok));
        if (!ok) return;
        state.at[v] = value;
        refresh();
      });
      return el('div', { class: 'field' }, el('label', { class: 'label', text: `${v} =`, attrs: { for: id } }), input);
    });
    pointFields.replaceChildren(el('legend', { text: variables.length > 0 ? 'the point' : 'the point (f has no variables)' }), ...fields);
  }

  // ---- the graph and the walk through it
  const graph = new GraphView();
  const back = button('Step back', () => go(step - 1));
  const forward = button('Step forward', () => go(step + 1));
  const play = button('Play', () => (playing ? stop() : start()));
  const restart = button('Start over', () => (stop(), go(0)));
  const stepText = el('p', { class: 'step-status', attrs: { id: 'step-status', role: 'status', 'aria-live': 'polite' } });
  const formula = el('div', { class: 'formula', attrs: { id: 'backprop-tex' } });
  const graphSection = el(
    'section',
    { class: 'part', attrs: { 'aria-labelledby': 'graph-title' } },
    el('h3', { text: 'The computational graph', attrs: { id: 'graph-title' } }),
    formula,
    el('div', { class: 'tool-buttons walk-buttons', attrs: { role: 'group', 'aria-label': 'step through the passes' } }, restart, back, forward, play),
    stepText,
    el('div', { class: 'graph-scroll', attrs: { tabindex: '0', role: 'region', 'aria-label': 'the graph (scrolls sideways on a narrow screen)' } }, graph.element),
  );
  const table = el('table', { class: 'steps nodes-table', attrs: { id: 'nodes-table' } });
  const failure = el('p', { class: 'part-error', attrs: { role: 'status' } });
  const gradientOut = el('dd', { class: 'number big', attrs: { id: 'backprop-gradient' } });
  const valueOut = el('dd', { class: 'number', attrs: { id: 'backprop-value' } });
  const tableSection = el(
    'section',
    { class: 'part', attrs: { 'aria-labelledby': 'nodes-title' } },
    el('h3', { text: 'Every node: its value and its adjoint', attrs: { id: 'nodes-title' } }),
    el('dl', { class: 'readout' }, row('f at the point', valueOut), row('gradient (the inputs’ adjoints)', gradientOut)),
    el('div', { class: 'table-scroll', attrs: { tabindex: '0', role: 'region', 'aria-label': 'values and adjoints of the nodes' } }, table),
    failure,
  );
  page.append(controls, graphSection, tableSection);

  // ---- animation: requestAnimationFrame moves the dots of the step being taken; when playing, steps follow each other
  let playing = false;
  let frame = 0;
  let stepStarted = 0;
  const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)').matches;

  function animate(now: number): void {
    frame = 0;
    if (!w) return;
    const t = Math.min(1, (now - stepStarted) / STEP_MS);
    const s = w.at(step);
    graph.dotsAt(graph.stepEdges(step, w), s?.pass === 'backward', reducedMotion || t >= 1 ? undefined : t);
    if (t < 1) {
      frame = requestAnimationFrame(animate);
      return;
    }
    if (playing) {
      if (step >= w.total) stop();
      else {
        go(step + 1);
        return;
      }
    }
  }

  function go(k: number): void {
    if (!w) return;
    step = Math.max(0, Math.min(w.total, k));
    graph.show(step, w);
    describeStep();
    back.disabled = step === 0;
    forward.disabled = step === w.total;
    stepStarted = performance.now();
    if (!frame) frame = requestAnimationFrame(animate);
  }

  function start(): void {
    if (!w) return;
    if (step >= w.total) go(0);
    playing = true;
    play.textContent = 'Pause';
    play.setAttribute('aria-pressed', 'true');
    go(step + 1);
  }

  function stop(): void {
    playing = false;
    play.textContent = 'Play';
    play.setAttribute('aria-pressed', 'false');
  }

  function describeStep(): void {
    const r = result;
    if (!r || !w) return;
    page.dataset.step = String(step);
    const s = w.at(step);
    if (!s) {
      stepText.textContent = `Step 0 of ${w.total}: nothing computed yet. The forward pass comes first.`;
      return;
    }
    const n = r.nodes[s.node]!;
    if (s.pass === 'forward') {
      stepText.textContent = `Step ${step} of ${w.total}, forward: ${n.kind === 'operation' ? `${n.name} = ${n.definition} = ${formatNumber(n.value)}` : `${n.name} = ${formatNumber(n.value)} (${n.kind === 'variable' ? 'an input' : 'a constant'})`}.`;
      return;
    }
    const terms = n.adjointTerms.map((id) => {
      const e = r.edges[id]!;
      return `∂${r.outputName}/∂${r.nodes[e.to]!.name} · ∂${r.nodes[e.to]!.name}/∂${n.name} = ${formatNumber(e.contribution ?? NaN, 6)}`;
    });
    stepText.textContent =
      `Step ${step} of ${w.total}, backward: ∂${r.outputName}/∂${n.name} = ` + (terms.length === 0 ? `1 (the output)` : `${terms.join(' + ')}, in all ${formatNumber(n.adjoint ?? NaN)}`) +
      (step === w.total ? '. Done: the inputs’ adjoints are the gradient.' : '.');
  }

  // ---- computing and showing
  function refresh(): void {
    writeState(url, state);
    if (!valid) return;
    status.started();
    const f = state.f;
    const at = Object.fromEntries(variables.map((v) => [v, state.at[v] ?? 1]));
    status.run('backprop', () => nudge.backprop(f, at), show);
  }

  function show(r: BackpropResult): void {
    const same = result !== undefined && result.expression === r.expression;
    result = r;
    w = walk(r);
    failure.textContent = r.warning ?? '';
    renderTex(formula, `${r.outputName} = ${r.latex}`, true);
    graph.draw(r);
    go(same ? step : w.total);
    valueOut.textContent = formatNumber(r.value);
    valueOut.dataset.raw = String(r.value);
    gradientOut.textContent = r.variables.map((v) => `∂${r.outputName}/∂${v} = ${formatNumber(r.gradient[v]!)}`).join(', ');
    const head = el('tr', {}, ...['node', 'computes', 'value', `adjoint ∂${r.outputName}/∂node`].map((text) => el('th', { text, attrs: { scope: 'col' } })));
    const rows = r.forward.map((id) => {
      const n = r.nodes[id]!;
      return el(
        'tr',
        { attrs: { 'data-node': n.name } },
        el('th', { text: n.name, attrs: { scope: 'row' } }),
        el('td', { class: 'text', text: n.kind === 'operation' ? n.definition : n.kind }),
        el('td', { class: 'value', text: formatNumber(n.value), attrs: { 'data-raw': String(n.value) } }),
        el('td', { class: 'adjoint', text: n.adjoint === null ? '—' : formatNumber(n.adjoint), attrs: { 'data-raw': String(n.adjoint) } }),
      );
    });
    table.replaceChildren(el('caption', { text: `The nodes in the order of the forward pass; the backward pass takes them in reverse` }), el('thead', {}, head), el('tbody', {}, ...rows));
  }

  function showFailure(error: unknown): void {
    failure.textContent = expression.failure(error);
  }

  return {
    unmount() {
      stop();
      if (frame) cancelAnimationFrame(frame);
      status.stop();
      expression.destroy();
    },
  };
}

function button(text: string, onClick: () => void): HTMLButtonElement {
  const b = el('button', { text, attrs: { type: 'button' } });
  b.addEventListener('click', onClick);
  return b;
}

function row(label: string, value: HTMLElement): HTMLElement {
  return el('div', { class: 'row' }, el('dt', { text: label }), value);
}
