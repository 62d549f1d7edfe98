/**
 * Nudge: calculus for deep learning. The public API: compile an expression,
 * evaluate it, and take slopes, derivatives, tangents, partial derivatives,
 * gradients and directional derivatives, for expression strings, compiled
 * functions and plain JavaScript functions.
 */
export { compile, CompiledFunction, type CompileOptions } from './api/compiled.js';
export { evaluate, evaluateMany, type EvaluateResult } from './api/evaluate.js';
export {
  derivative,
  derivativeMany,
  partial,
  slope,
  tangent,
  type DerivativeResult,
  type ManyDerivatives,
  type SlopeResult,
  type TangentResult,
} from './api/derivative.js';
export {
  directional,
  gradient,
  gradientMany,
  type DirectionalOptions,
  type DirectionalResult,
  type GradientOptions,
  type GradientResult,
  type ManyGradients,
} from './api/gradient.js';
export { derivativeExpression, gradientExpression, type DerivativeExpression, type ExpressionOptions, type GradientExpression } from './api/symbolic.js';
export {
  explainByLimit,
  explainChain,
  explainDerivative,
  explainGradient,
  flattenSteps,
  renderSteps,
  type ChainExplanation,
  type DerivativeExplanation,
  type GradientExplanation,
  type Step,
} from './steps/index.js';
export { critical, hessian, type CriticalResult, type HessianResult } from './api/second-order.js';
export type { CriticalOptions, CriticalKind } from './hessian/critical.js';
export { backprop, backpropDot, type BackpropOptions, type BackpropResult, type BackpropNode, type BackpropEdge, type BackpropNodeKind } from './backprop/index.js';
export { minimize, maximize, minimizeAsync, checkMinimizeOptions, type MinimizeResult, type MinimizationResult, type MinimizeAllOptions } from './optimize/minimize.js';
export {
  OPTIMIZERS,
  DESCENT_GRADIENTS,
  DEFAULT_LR,
  DEFAULT_MAX_STEPS,
  DEFAULT_TOL,
  type MinimizeOptions,
  type OptimizerName,
  type DescentGradient,
  type DescentStatus,
  type DescentProgress,
  type StoppedBy,
} from './optimize/options.js';
export { startPoints, combineStarts, DEFAULT_SPREAD, type MultiStartOptions, type FoundMinimum, type StartSummary, type MultiStartParts } from './optimize/multistart.js';
export { trajectoryCsv, type Trajectory } from './optimize/trajectory.js';
export { fit, fitAsync, type FitResult, type FitStatus } from './fit/train.js';
export { type FitOptions, type EpochRecord, type FitSettings } from './fit/options.js';
export { resolveModel, fittedExpression, type Model, type ModelSpec } from './fit/model.js';
export { predictRows, accuracyOf, classify, classAccuracy } from './fit/predict.js';
export { LOSSES, LOSS_TITLES, type LossName } from './fit/loss.js';
export { FIT_OPTIMIZERS, type FitOptimizer } from './fit/optimizer.js';
export { ACTIVATIONS, type Activation } from './fit/mlp.js';
export { savedModel, readSavedModel, fitMetrics, type SavedModel } from './fit/saved.js';
export type { EndKind } from './optimize/classify.js';
export { builder, Builder, Expr, type ExprLike } from './builder/builder.js';
export { METHODS, DEFAULT_H, type DerivativeMethod, type DerivativeOptions } from './api/options.js';
export type { Point, Points } from './api/points.js';
export type { Fn, JsFunction, FunctionOptions } from './api/target.js';
export { formatEstimate, formatNumber } from './api/format.js';
export { parse } from './parse/parse.js';
export type { Ast } from './parse/ast.js';
export { NudgeError, NudgeSyntaxError, NudgeArgumentError, type ErrorCode, type NudgeErrorJSON } from './errors.js';
export { CsvReader, parseCsv } from './data/csv-reader.js';
export { csvChunks, toCsv, formatCell } from './data/csv-writer.js';
export { tableFromColumns, requireColumns, makeTable, type Table, type ColumnValues } from './data/table.js';
export { dataset, checkDatasetOptions, DATASETS, DATASET_INFO, DEFAULT_ROWS, type DatasetName, type DatasetOptions, type DatasetInfo } from './data/datasets.js';
export { NudgeDataError, type NudgeDataErrorJSON } from './data/data-error.js';
export { init } from './kernel/instance.js';
export { canCompile, ENGINES, type Engine } from './jit/engine.js';
