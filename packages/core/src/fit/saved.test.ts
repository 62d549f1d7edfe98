// The model file of `nudge fit --save`: what fit learned, written as JSON and
// read back to the same predictions; a file that is not one says what is wrong.
import { describe, expect, it } from 'vitest';
import { predictRows } from './predict.js';
import { readSavedModel, savedModel } from './saved.js';
import { fit } from './train.js';

describe('saved models', () => {
  const data = {
    x: Float64Array.from({ length: 40 }, (_, i) => i / 10 - 2),
    label: Float64Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? 1 - Number(i >= 20) : Number(i >= 20))),
  };

  it('round-trips through JSON to the same parameters and the same predictions', () => {
    const r = fit(data, { model: 'logistic', target: 'label', epochs: 50, validation: 0.25 });
    const file = JSON.parse(JSON.stringify(savedModel(r, 'label')));
    expect(file).toMatchObject({ format: 'nudge-model', version: 1, model: { kind: 'logistic', target: 'label', loss: 'bce', probability: true, features: ['x'] } });
    expect(file.metrics.epochs).toBe(r.epochs);
    expect(file.metrics.validationLoss).toBe(r.validationLoss);
    const back = readSavedModel(file);
    expect(back.params).toEqual(r.params);
    expect(back.model.expression).toBe(r.model.expression);
    expect(Array.from(predictRows(back.model, back.params, data))).toEqual(Array.from(predictRows(r.model, r.params, data)));
  });

  it('names what is wrong with a file that is not a model', () => {
    const good = savedModel(fit(data, { model: 'linear', target: 'label', epochs: 2 }), 'label');
    expect(() => readSavedModel([], 'm.json')).toThrow(/m.json: not a Nudge model/);
    expect(() => readSavedModel({ ...good, version: 2 })).toThrow(/version 2 is not one this Nudge reads/);
    expect(() => readSavedModel({ ...good, params: { w_x: 1 } })).toThrow(/the parameter 'b' has no finite value/);
    expect(() => readSavedModel({ ...good, model: { ...good.model, kind: 'expression', spec: 'w_x*x + b +' } })).toThrow(/its model does not read/);
    expect(() => readSavedModel({ ...good, model: { ...good.model, params: ['w_x'] } })).toThrow(/its parameters do not match the model linear/);
    expect(() => readSavedModel({ ...good, model: { ...good.model, features: [] } })).toThrow(/its model does not read: the data have no feature column/);
  });
});
