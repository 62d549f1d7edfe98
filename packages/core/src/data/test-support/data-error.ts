import { expect } from 'vitest';
import { NudgeDataError } from '../data-error.js';

/** The error `work` throws, which must be a NudgeDataError. */
export function dataError(work: () => unknown): NudgeDataError {
  let error: unknown;
  try {
    work();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(NudgeDataError);
  return error as NudgeDataError;
}
