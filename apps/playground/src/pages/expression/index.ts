import { NudgeError, type DerivativeExplanation, type GradientExplanation } from '@nudge/core';
import type { ExpressionInfo } from '@nudge/worker';
import { expressionInput } from '../../components/expression-input.js';
import { renderTex } from '../../components/math.js';
import { el, uid } from '../../shell/dom.js';
import type { MountedPage, PageContext } from '../../shell/page.js';
import { PageWork } from '../../shell/latest.js';
import { keyOf, readState, writeState, type ExpressionState } from './state.js';
import { chainSteps, stepList } from './steps.js';
import './page.css';

/**
 * Page 2, the derivative as an expression: the simplified derivative in
 * KaTeX, the rules applied one by one, the chain rule for a composition, the
 * partial derivatives of a function of several variables, and the limit of
 * the difference quotient for a polynomial. Every result comes from the
 * worker's explanations (steps as data with LaTeX); this file lays them out.
 */
export function mount(page: HTMLElement, { nudge, state: url }: PageContext): MountedPage {
  const state: ExpressionState = readState(url);
  let variables: string[] = [];
  let valid = false;

  const status = new PageWork(page, () => keyOf(state), (part, error) => showFailure(part, error));
  const work = status;

  // ---- controls
  const expression = expressionInput({
    label: 'f =',
    value: state.f,
    nudge,
    onValid: (text, info) => {
      state.f = text;
      valid = true;
      setVariables(info);
      refresh();
    },
    onInvalid: (text) => {
      state.f = text;
      valid = false;
      writeState(url, state);
      clearResults();
      status.invalid();
    },
  });
  const wrtId = uid('wrt');
  const wrtSelect = el('select', { attrs: { id: wrtId } });
  const wrtField = el('div', { class: 'field wrt-field' }, el('label', { class: 'label', text: 'differentiate by', attrs: { for: wrtId } }), wrtSelect);
  wrtSelect.addEventListener('change', () => {
    state.wrt = wrtSelect.value;
    refresh();
  });
  const controls = el('div', { class: 'controls' }, expression.element, wrtField);

  // ---- sections
  const derivativeTex = el('div', { class: 'formula derivative-line', attrs: { id: 'derivative-tex' } });
  const derivativeText = el('dd', { class: 'number big', attrs: { id: 'derivative-text' } });
  const derivativeError = el('p', { class: 'part-error', attrs: { role: 'status' } });
  const stepsHost = el('div', { attrs: { id: 'rule-steps' } });
  const derivativeSection = part(
    'derivative',
    'The derivative, rule by rule',
    derivativeTex,
    el('dl', { class: 'readout' }, el('div', { class: 'row' }, el('dt', { text: 'as an expression' }), derivativeText)),
    stepsHost,
    derivativeError,
  );
  const chainHost = el('div', { attrs: { id: 'chain-steps' } });
  const chainSection = part('chain', 'The chain rule', chainHost);
  const partialsTex = el('div', { class: 'formula', attrs: { id: 'gradient-tex' } });
  const partialsHost = el('div', { attrs: { id: 'partial-steps' } });
  const partialsError = el('p', { class: 'part-error', attrs: { role: 'status' } });
  const partialsSection = part('partials', 'Partial derivatives', partialsTex, partialsHost, partialsError);
  const limitTex = el('div', { class: 'formula', attrs: { id: 'limit-tex' } });
  const limitHost = el('div', { attrs: { id: 'limit-steps' } });
  const limitNote = el('p', { class: 'detail', attrs: { id: 'limit-note' } });
  const limitSection = part('limit', 'From the limit definition', limitNote, limitTex, limitHost);

  page.append(controls, derivativeSection, chainSection, partialsSection, limitSection);

  function setVariables(info: ExpressionInfo): void {
    variables = info.variables.length > 0 ? [...info.variables] : ['x'];
    if (!variables.includes(state.wrt)) state.wrt = variables.length > 1 ? variables[0]! : '';
    wrtSelect.replaceChildren(...variables.map((v) => el('option', { text: v, attrs: { value: v } })));
    wrtSelect.value = state.wrt || variables[0]!;
    wrtField.hidden = variables.length < 2;
  }

  // ---- computing and showing
  function refresh(): void {
    writeState(url, state);
    if (!valid) return;
    status.started();
    const f = state.f;
    const wrt = state.wrt || undefined;
    work.run('derivative', () => nudge.explainDerivative(f, wrt), showDerivative);
    if (variables.length > 1) work.run('partials', () => nudge.explainGradient(f), showPartials);
    else showPartials(undefined);
    work.run('limit', () => nudge.explainByLimit(f, wrt).catch((e: unknown) => (e instanceof NudgeError && e.code === 'invalid-argument' ? e.message : Promise.reject(e))), showLimit);
  }

  function showDerivative(d: DerivativeExplanation): void {
    derivativeError.textContent = '';
    renderTex(derivativeTex, d.latex, true);
    derivativeText.textContent = d.derivative;
    stepsHost.replaceChildren(stepList(d.steps, 'the rules applied'));
    const chain = chainSteps(d.steps);
    chainHost.replaceChildren(
      chain.length > 0
        ? el('p', { class: 'detail', text: `f is a function of a function: the derivative of the outside, at the inside, times the derivative of the inside.` })
        : el('p', { class: 'detail', text: 'f is not a composition of functions here. Try sin(x^2) or exp(-x^2/2) to see the chain rule.' }),
      ...chain.map((s, i) => stepList([s], `chain rule ${i + 1}`)),
    );
  }

  function showPartials(g: GradientExplanation | undefined): void {
    partialsError.textContent = '';
    if (!g) {
      partialsTex.replaceChildren();
      partialsHost.replaceChildren(el('p', { class: 'detail', text: 'f has one variable. Type a function of several, such as x^2*y + sin(y), to see each partial derivative: the others held constant.' }));
      return;
    }
    renderTex(partialsTex, g.latex, true);
    partialsHost.replaceChildren(stepList(g.steps, 'the partial derivatives'));
  }

  function showLimit(r: DerivativeExplanation | string): void {
    if (typeof r === 'string') {
      limitNote.textContent = `Not shown for this f: ${r}.`;
      limitTex.replaceChildren();
      limitHost.replaceChildren();
      return;
    }
    limitNote.textContent = 'The derivative is the limit of the difference quotient (f(x + h) − f(x)) / h as h goes to 0; for a polynomial it can be taken by hand:';
    renderTex(limitTex, r.latex, true);
    limitHost.replaceChildren(stepList(r.steps, 'the limit, step by step'));
  }

  function clearResults(): void {
    derivativeTex.replaceChildren();
    derivativeText.textContent = '';
    for (const host of [stepsHost, chainHost, partialsHost, limitHost, partialsTex, limitTex]) host.replaceChildren();
    limitNote.textContent = '';
  }

  function showFailure(part: string, error: unknown): void {
    const message = expression.failure(error);
    (part === 'partials' ? partialsError : part === 'limit' ? limitNote : derivativeError).textContent = message;
  }

  return {
    unmount() {
      work.stop();
      expression.destroy();
    },
  };
}

function part(id: string, title: string, ...children: HTMLElement[]): HTMLElement {
  return el('section', { class: 'part', attrs: { 'aria-labelledby': `${id}-title`, id: `${id}-part` } }, el('h3', { text: title, attrs: { id: `${id}-title` } }), ...children);
}
