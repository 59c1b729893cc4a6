import { expect } from "vitest";
import { isUserError } from "../../src/model/errors";

/** The message of the UserError `fn` throws; fails when it throws nothing or something else. */
export function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(isUserError(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error("expected a UserError");
}
