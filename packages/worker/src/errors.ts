import * as Comlink from 'comlink';
import { NudgeArgumentError, NudgeDataError, NudgeError, NudgeSyntaxError, type ErrorCode } from '@nudge/core';

/**
 * comlink sends only `{message, name, stack}` of a thrown error. This
 * transfer handler replaces its 'throw' handler so that a NudgeError keeps
 * its class, `code` and `column` across the thread boundary. Both sides must
 * install it: `exposeNudge` and `wrapNudge` do. Anything else thrown goes to
 * comlink's own handler, unchanged.
 */

/** What crosses the thread for a NudgeError. `value` alone is what comlink's own handler reads. */
interface SerializedNudgeError {
  isError: true;
  nudge: true;
  value: { name: string; code: ErrorCode; message: string; column?: number; stack?: string; line?: number; columnName?: string };
}

type ThrowHandler = Comlink.TransferHandler<unknown, unknown>;

const INSTALLED = Symbol.for('nudge.worker.throwHandler');

// The classes a NudgeError can have, by name (its `name` field).
const classes: Readonly<Record<string, Function>> = { NudgeError, NudgeSyntaxError, NudgeArgumentError, NudgeDataError };

/** A NudgeError of the same class, code, message, column (and a data error's line and column name), without re-running subclass constructors (which would re-format the message). */
export function reviveNudgeError(json: SerializedNudgeError['value']): NudgeError {
  const Class = classes[json.name] ?? NudgeError;
  const error = Reflect.construct(NudgeError, [json.code, json.message, json.column], Class) as NudgeError;
  error.name = json.name;
  if (json.stack !== undefined) error.stack = json.stack;
  // A data error's place in its file (NudgeDataError's own fields, set by its constructor, which is not re-run).
  if (json.line !== undefined) Object.defineProperty(error, 'line', { value: json.line, enumerable: true });
  if (json.columnName !== undefined) Object.defineProperty(error, 'columnName', { value: json.columnName, enumerable: true });
  return error;
}

function isSerializedNudgeError(v: unknown): v is SerializedNudgeError {
  return typeof v === 'object' && v !== null && (v as { nudge?: unknown }).nudge === true;
}

/** Register the NudgeError-preserving 'throw' handler with comlink (idempotent). */
export function installErrorTransfer(): void {
  const original = Comlink.transferHandlers.get('throw');
  if (!original || (original as { [INSTALLED]?: boolean })[INSTALLED]) return;
  const handler: ThrowHandler & { [INSTALLED]: true } = {
    [INSTALLED]: true,
    // comlink marks thrown values with a private symbol; its own handler knows it.
    canHandle: (value: unknown): value is unknown => original.canHandle(value),
    serialize(wrapped: unknown): [unknown, Transferable[]] {
      const value = (wrapped as { value: unknown }).value;
      if (value instanceof NudgeError) {
        const serialized: SerializedNudgeError = { isError: true, nudge: true, value: { ...value.toJSON(), stack: value.stack } };
        return [serialized, []];
      }
      return original.serialize(wrapped);
    },
    deserialize(serialized: unknown): unknown {
      if (isSerializedNudgeError(serialized)) throw reviveNudgeError(serialized.value);
      return original.deserialize(serialized);
    },
  };
  Comlink.transferHandlers.set('throw', handler);
}

/**
 * Calls made after the client was closed, or pending when its worker
 * stopped, reject with this error.
 */
export class NudgeWorkerError extends Error {
  override name = 'NudgeWorkerError';
  readonly code: 'closed' | 'crashed';

  constructor(code: 'closed' | 'crashed', message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
