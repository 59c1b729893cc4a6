import { UserError } from "../model/errors";

/**
 * Errors in an input file (a stack export, an ARM JSON file) or in a resource handed in by a front end.
 *
 * The message is one line, `<file>: <path inside the file>: <what was expected>`, in the same words the
 * configuration loader uses, so the CLI prints every bad-input error alike and exits 2. Values are never
 * part of a message: a path and the kind of value found say enough, and nothing secret or large leaks.
 */
export class InputError extends UserError {
  /** The file (or `policy pack`, `program`) the input came from. */
  declare readonly file: string;
  /** What was expected, or what is wrong. */
  readonly expected?: string;
  /** The URN or ARM id of the resource the problem is in, when there is one. */
  readonly resource?: string;
  /** 1-based position, for syntax errors. */
  readonly line?: number;
  readonly column?: number;

  constructor(options: {
    file: string;
    path?: string;
    expected: string;
    resource?: string;
    line?: number;
    column?: number;
  }) {
    super(formatMessage(options), options.file, options.path);
    this.name = "InputError";
    this.expected = options.expected;
    if (options.resource !== undefined) this.resource = options.resource;
    if (options.line !== undefined) this.line = options.line;
    if (options.column !== undefined) this.column = options.column;
  }
}

function formatMessage(o: { file: string; path?: string; expected: string; resource?: string; line?: number; column?: number }): string {
  const where = o.line !== undefined ? `${o.file}:${o.line}:${o.column ?? 1}` : o.file;
  const parts = [where];
  if (o.path !== undefined) parts.push(o.path);
  const resource = o.resource !== undefined ? ` (resource ${bounded(oneLine(o.resource))})` : "";
  return `${parts.join(": ")}: ${oneLine(o.expected)}${resource}`;
}

/** A URN or id from the file, cut to a length a message can carry (a hostile one may be megabytes). */
function bounded(text: string): string {
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

/** Messages stay on one line whatever a file name or URN contains. */
function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, " ");
}

/** `a.b[3].c`: the one path style of every input message (the configuration loader's too). */
export function joinPath(base: string, key: string | number): string {
  if (typeof key === "number") return `${base}[${key}]`;
  if (!IDENTIFIER.test(key)) return `${base}[${JSON.stringify(key)}]`;
  return base ? `${base}.${key}` : key;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** The path of the whole document. */
export const TOP_LEVEL = "(top level)";

/** Describes the kind of a JSON value for "expected X, got Y" without showing the value. */
export function describeKind(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return value.length === 0 ? "an empty array" : "an array";
  switch (typeof value) {
    case "string":
      return "a string";
    case "number":
      return "a number";
    case "boolean":
      return "a boolean";
    case "object":
      return "an object";
    default:
      return typeof value;
  }
}

/** Converts an ajv instance path (JSON pointer) to the readable style above. */
export function pointerToPath(pointer: string): string {
  let out = "";
  for (const raw of pointer.split("/").slice(1)) {
    const seg = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    out = joinPath(out, /^\d+$/.test(seg) ? Number(seg) : seg);
  }
  return out;
}
