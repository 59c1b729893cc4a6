import { redactUserInfo } from "./redact";

/**
 * An error in what the user handed us (a file, a flag, a config value), as opposed to a bug. Its message
 * is one line, `<file>: <path inside it>: <what was expected>`, and never carries a secret value.
 * Front ends print it without a stack trace and exit 2.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly file?: string,
    readonly path?: string,
  ) {
    // The last line of defence for the one secret a message can quote by accident, a proxy URL's user
    // info: a broken file can turn it into a key or a parser's quote of the source (see config/load.ts).
    super(redactUserInfo(message));
    this.name = "UserError";
  }

  static at(file: string | undefined, path: string | undefined, problem: string): UserError {
    const where = [file, path].filter((part): part is string => Boolean(part)).join(": ");
    return new UserError(where ? `${where}: ${problem}` : problem, file, path);
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}
