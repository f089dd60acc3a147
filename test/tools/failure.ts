import { expect } from 'vitest';
import { ToolError } from '../../src/errors.js';

/** Resolves with the ToolError a call rejects with (and fails the test if it resolves or throws something else). */
export async function failure(promise: Promise<unknown>): Promise<ToolError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ToolError);
  return error as ToolError;
}
