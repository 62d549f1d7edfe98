import { it } from 'vitest';
import { symbolicDerivative } from './index.js';
it('scratch', () => {
  const cases: [string, string][] = [['x^2','x'],['x^3','x'],['sin(x^2)','x'],['exp(-x^2/2)','x'],['sigmoid(x)','x'],['log(x)','x'],['sqrt(x)','x'],['x^2*y','x'],['x^2*y','y'],['tanh(w*x+b)','w'],
   ['x*log(x)','x'],['x^x','x'],['abs(x)','x'],['x*abs(x)','x'],['tan(x)','x'],['sec(x)','x'],['csc(x)','x'],['cot(x)','x'],['atan(x)','x'],['x*exp(x)','x'],['sin(x)/x','x'],['max(x,1)','x'],['min(x,y)','y'],['relu(x)','x'],['relu(w*x+b)','w'],['log10(x)','x'],['log2(x)','x'],['2^x','x'],['softplus(x)','x'],
   ['cbrt(x)','x'],['x*sqrt(x)','x'],['(w*x+b-y)^2','w'],['(w*x+b-y)^2','b'],['-y*log(sigmoid(w*x))-(1-y)*log(1-sigmoid(w*x))','w'],['log(1+exp(x))','x'],['x/(1+x^2)','x'], ['acosh(x)', 'x'], ['atanh(x)','x'], ['asin(x)','x'],['1/x','x'], ['pi*x^2','x'], ['x^2.5','x'], ['exp(x)*sin(x)','x'], ['(x^2+1)^3','x']];
  for (const [e, w] of cases) {
    const d = symbolicDerivative(e, w);
    console.log(`d/d${w} ${e} = ${d.expression}    $${d.latex}$`);
  }
});
