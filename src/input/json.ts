import * as fs from "node:fs";
import { constants as bufferConstants, isAscii } from "node:buffer";
import { describeIoError } from "../model/io-error";
import { InputError } from "./errors";
import { excessValues, heapLimitMb, mainThreadJsonLimit, MIN_BYTES_PER_VALUE } from "./value-budget";

/**
 * The default largest input file (`--max-input-size`): 256 MiB. Auditing takes about 4.6 times the file's
 * size in memory (docs/hostile-input.md), so this keeps one file near 1.2 GB; larger files are refused
 * before a byte is read, with a message naming the limit and the flag that raises it.
 */
export const DEFAULT_MAX_INPUT_BYTES = 256 * 1024 * 1024;

/**
 * The largest JSON text this Node.js can parse: JSON.parse takes one string, and V8 strings hold at most
 * `buffer.constants.MAX_STRING_LENGTH` characters (just under 512 MiB on 64-bit). No limit goes above it.
 */
export const MAX_JSON_BYTES = bufferConstants.MAX_STRING_LENGTH;

export interface ReadOptions {
  /** Files larger than this are refused unread; default `DEFAULT_MAX_INPUT_BYTES`, never above `MAX_JSON_BYTES`. */
  maxBytes?: number;
}

/** `1.0 GiB`, `256 MiB`, `12.3 KiB`, `17 bytes`: sizes in messages. */
export function formatBytes(bytes: number): string {
  const units = ["KiB", "MiB", "GiB", "TiB"];
  if (bytes < 1024) return `${bytes} byte${bytes === 1 ? "" : "s"}`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown = Number.isInteger(value) ? String(value) : value.toFixed(1);
  return `${shown} ${units[unit]}`;
}

/** The effective limit: the one asked for, capped at what JSON.parse can take. */
export function effectiveMaxBytes(options: ReadOptions = {}): number {
  const asked = options.maxBytes ?? DEFAULT_MAX_INPUT_BYTES;
  return Math.min(asked > 0 ? asked : DEFAULT_MAX_INPUT_BYTES, MAX_JSON_BYTES);
}

function tooLarge(file: string, size: number | undefined, limit: number): InputError {
  const raise = limit < MAX_JSON_BYTES ? " (raise it with --max-input-size)" : " (the most a JSON text can be in Node.js)";
  const what = size === undefined ? "is larger than" : `is ${formatBytes(size)}, over`;
  return new InputError({ file, expected: `${what} the ${formatBytes(limit)} limit${raise}` });
}

/** `-` as an input file: standard input (`audit -`, `pulumi stack export | bridgeguard audit -`). */
export const STDIN = "-";

/** How an input file is named in messages and reports: standard input is `(stdin)`. */
export function inputName(file: string): string {
  return file === STDIN ? "(stdin)" : file;
}

/**
 * Reads ask for whole multiples of this, and the buffer always has room for one more chunk past the limit:
 * some files take only aligned reads (`/proc/self/pagemap` answers EINVAL to a length that is not a multiple
 * of 8), so a read of `limit + 1 - total` bytes would end in an error instead of "larger than the limit".
 */
const CHUNK = 64 * 1024;
const ALIGN = 4096;

/** Waits `ms` without spinning (a non-blocking standard input with nothing to read yet). */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Reads a file (or standard input, `-`) of at most `limit` bytes. The limit holds on the bytes actually
 * read, not on the size the file reports: a regular file larger than the limit is refused before anything
 * is read, but the size is only a hint for the buffer, since files in procfs, sysfs or FUSE say 0 bytes
 * (`/proc/self/pagemap` reads on for gigabytes) and an export still being written grows. Reading stops
 * at most one chunk past the limit, whatever the file is: a regular file, a pipe (`<(pulumi stack export)`),
 * a device (`/dev/zero`) or a procfs file that takes only aligned reads.
 */
export function readBounded(file: string, limit: number, onError: (error: unknown) => Error, onTooLarge: (size: number | undefined) => Error): Buffer {
  const own = file !== STDIN;
  let fd: number;
  try {
    fd = own ? fs.openSync(file, "r") : 0;
  } catch (error) {
    throw onError(error);
  }
  try {
    let stat: fs.Stats;
    try {
      stat = fs.fstatSync(fd);
    } catch (error) {
      throw onError(error);
    }
    if (stat.isDirectory()) throw onError(Object.assign(new Error("directory"), { code: "EISDIR" }));
    if (stat.isFile() && stat.size > limit) throw onTooLarge(stat.size);
    // A regular file of the size it says fits its buffer with a chunk to spare (to see the end in one read).
    let buffer = Buffer.allocUnsafe(Math.min(limit, stat.isFile() ? stat.size : 0) + CHUNK);
    let total = 0;
    for (;;) {
      if (buffer.length - total < CHUNK) {
        // total <= limit here (else it threw), so this leaves at least a chunk free.
        const grown = Buffer.allocUnsafe(Math.min(limit + CHUNK, buffer.length * 2));
        buffer.copy(grown, 0, 0, total);
        buffer = grown;
      }
      const room = buffer.length - total;
      let read: number;
      try {
        read = fs.readSync(fd, buffer, total, room - (room % ALIGN), null);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "EAGAIN") {
          pause(10);
          continue;
        }
        throw onError(error);
      }
      if (read === 0) break;
      total += read;
      if (total > limit) throw onTooLarge(undefined);
    }
    return buffer.subarray(0, total);
  } finally {
    if (own) fs.closeSync(fd);
  }
}

/**
 * Reads and parses one JSON file read on the main thread beside the audit (a baseline, a shard report):
 * `readJsonDocument`, refusing, in one line, a file larger than the heap left can surely hold
 * (`mainThreadJsonLimit`).
 */
export function readJsonFile(file: string, options: ReadOptions = {}): unknown {
  // Read beside the audit, on the main thread, with no worker to fall back on (a baseline, a shard report):
  // a text whose worst case the heap cannot hold is refused here, in one line, rather than parsed into
  // V8's fatal out-of-memory abort.
  const limit = mainThreadJsonLimit();
  const doc = readJsonDocumentWithin(file, options, limit);
  if (doc) return doc.json;
  throw new InputError({
    file: inputName(file),
    expected:
      `expected at most ${formatBytes(limit)} here: a JSON file this large could take more than half of what is left of the ${heapLimitMb()} MB heap limit ` +
      "(raise it with NODE_OPTIONS=--max-old-space-size=<MB>; docs/hostile-input.md gives the memory JSON input needs)",
  });
}

/** A parsed JSON file with its text (for the line of a resource in it: `lines.ts`). */
export interface JsonDocument {
  json: unknown;
  text: string;
}

/**
 * Reads and parses one JSON file, keeping its text: one read and one `JSON.parse`, the baseline the
 * benchmark measures us against. Everything else (BOM, empty file, syntax error position) is looked at only
 * when it is needed, so a good file costs nothing extra. A file over the size limit (`options.maxBytes`) is
 * refused before it is read.
 */
export function readJsonDocument(file: string, options: ReadOptions = {}): JsonDocument {
  return parseJsonBytes(inputName(file), readBytesWithin(file, options, Infinity)!);
}

/**
 * `readJsonDocument` for a file that may hold at most `budget` bytes (the most the caller can afford to
 * parse here): undefined, with nothing kept, when it holds more (a regular file is not read at all then;
 * one that reports no size is read no further than the budget). Standard input cannot be read twice: it
 * is always undefined unless the budget is unbounded.
 */
export function readJsonDocumentWithin(file: string, options: ReadOptions, budget: number): JsonDocument | undefined {
  const buffer = readBytesWithin(file, options, budget);
  return buffer && parseJsonBytes(inputName(file), buffer);
}

/**
 * The bytes of a file that holds at most `budget` bytes (and at most the size limit, else `InputError`):
 * undefined when it holds more (see `readJsonDocumentWithin`).
 */
export function readBytesWithin(file: string, options: ReadOptions, budget: number): Buffer | undefined {
  const limit = effectiveMaxBytes(options);
  const shown = inputName(file);
  if (budget >= limit) return readBounded(file, limit, (error) => fileError(shown, error), (size) => tooLarge(shown, size, limit));
  if (file === STDIN) return undefined;
  const overBudget = new Error("over budget");
  try {
    return readBounded(file, budget, (error) => fileError(file, error), () => overBudget);
  } catch (error) {
    if (error === overBudget) return undefined;
    throw error;
  }
}

/** JSON bytes without the UTF-8 byte order mark (EF BB BF) Windows editors and PowerShell's Out-File put first. */
export function withoutBom(buffer: Buffer): Buffer {
  return buffer.length >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? buffer.subarray(3) : buffer;
}

/**
 * Parses JSON bytes already in memory (a blob, an HTTP body, a gunzipped file) with the same messages as a
 * file: a BOM is skipped, UTF-16 and syntax errors are named with their line and column.
 */
export function parseJsonBytes(file: string, buffer: Buffer, counted?: number): JsonDocument {
  // JSON.parse rejects a byte order mark.
  const body = withoutBom(buffer);
  if (body.length === 0) throw new InputError({ file, expected: "the file is empty, expected JSON" });
  return parseJsonBody(file, body, counted);
}

/** `counted`: `countAll` of `body`, when the caller has it. */
function parseJsonBody(file: string, body: Buffer, counted: number | undefined): JsonDocument {
  const values = excessValues(body, counted);
  if (values !== undefined) {
    throw new InputError({
      file,
      expected:
        `expected at most one JSON value per ${MIN_BYTES_PER_VALUE} bytes on average, as real exports have (this file has ${values.toLocaleString("en-US")} in ${formatBytes(body.length)}, ` +
        `one per ${(body.length / values).toFixed(1)} bytes): parsed, it would take many times its size in memory`,
    });
  }
  const text = decodeUtf8(body);
  try {
    return { json: JSON.parse(text), text };
  } catch (error) {
    const encoding = wideEncoding(body);
    if (encoding) {
      // UTF-16 is what Windows PowerShell 5's `>` and Out-File write by default; UTF-32, `Out-File -Encoding utf32`.
      throw new InputError({ file, expected: `the file is ${encoding}, expected UTF-8 JSON (in PowerShell, write it with \`Out-File -Encoding utf8\` or \`Set-Content -Encoding utf8\`)` });
    }
    throw syntaxError(file, text, error);
  }
}

/**
 * `UTF-32` or `UTF-16` when the bytes are JSON in one of them: by the byte order mark, or, without one, by
 * the zero bytes around the first character (JSON starts with an ASCII character: RFC 8259 section 8.1's
 * old detection rule). UTF-32's little-endian mark (FF FE 00 00) begins with UTF-16's (FF FE): UTF-32 first.
 */
export function wideEncoding(b: Uint8Array): "UTF-32" | "UTF-16" | undefined {
  if (b.length >= 4 && ((b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0) || (b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff))) return "UTF-32";
  if (b.length >= 2 && ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff))) return "UTF-16";
  if (b.length >= 4 && b[0] !== 0 && b[1] === 0 && b[2] === 0 && b[3] === 0) return "UTF-32";
  if (b.length >= 4 && b[0] === 0 && b[1] === 0 && b[2] === 0 && b[3] !== 0) return "UTF-32";
  if (b.length >= 2 && ((b[0] !== 0 && b[1] === 0) || (b[0] === 0 && b[1] !== 0))) return "UTF-16";
  return undefined;
}

/**
 * UTF-8 text from `start` on. Stack exports are nearly always pure ASCII, for which UTF-8 and Latin-1 read
 * the same characters; checking that (one vectorized pass) and copying bytes is about twice as fast as
 * decoding UTF-8, which is about a fifth of decoding and parsing a large export.
 */
function decodeUtf8(body: Buffer): string {
  return isAscii(body) ? body.toString("latin1") : body.toString("utf8");
}

function fileError(file: string, error: unknown): InputError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case "ENOENT":
      return new InputError({ file, expected: "file not found" });
    case "EISDIR":
      return new InputError({ file, expected: "is a directory, expected a JSON file" });
    case "EACCES":
    case "EPERM":
      return new InputError({ file, expected: "permission denied" });
    default:
      return new InputError({ file, expected: `cannot be read: ${describeIoError(error)}` });
  }
}

/**
 * Turns a JSON.parse failure into `file:line:col: invalid JSON: <what>`. V8's own message is not used: some
 * versions quote a slice of the input ("... is not valid JSON"), which could be a secret.
 */
function syntaxError(file: string, text: string, error: unknown): InputError {
  if (/^\s*$/.test(text)) return new InputError({ file, expected: "the file is empty (only whitespace), expected JSON" });
  const found = findSyntaxError(text);
  let offset = found?.offset;
  let what = found?.what;
  if (offset === undefined) {
    const m = /at position (\d+)/.exec(error instanceof Error ? error.message : "");
    if (m) offset = Number(m[1]);
    what = "not valid JSON";
  }
  if (offset === undefined) return new InputError({ file, expected: "invalid JSON" });
  const { line, column } = lineAndColumn(text, offset);
  return new InputError({ file, line, column, expected: `invalid JSON: ${what ?? "not valid JSON"}` });
}

/** 1-based line and column (in UTF-16 code units, as editors count them for the BMP) of an offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      lineStart = i + 1;
    } else if (c === 13) {
      if (text.charCodeAt(i + 1) !== 10) {
        line++;
        lineStart = i + 1;
      }
    }
  }
  return { line, column: end - lineStart + 1 };
}

/**
 * A strict JSON scanner (RFC 8259, as JSON.parse reads it) that only finds the first error: where, and in
 * words that never quote the input. Runs only after JSON.parse has failed.
 */
export function findSyntaxError(text: string): { offset: number; what: string } | undefined {
  let i = 0;
  const n = text.length;
  const fail = (what: string, at = i): never => {
    throw new ScanError(at, what);
  };
  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };
  const describeHere = (): string => {
    if (i >= n) return "unexpected end of input";
    const ch = text[i] as string;
    return "{}[]:,\"".includes(ch) ? `unexpected '${ch}'` : "unexpected character";
  };
  const str = () => {
    i++; // opening quote
    for (;;) {
      if (i >= n) fail("unterminated string");
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return;
      }
      if (c < 0x20) fail("control character in a string (escape it)");
      if (c === 92) {
        const e = text[i + 1];
        if (e === undefined) fail("unterminated string");
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail("invalid \\u escape in a string");
          i += 6;
        } else if ('"\\/bfnrt'.includes(e as string)) i += 2;
        else fail("invalid escape in a string");
      } else i++;
    }
  };
  const num = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0].length === 0) fail("invalid number");
    i += (m as RegExpExecArray)[0].length;
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail(describeHere());
  };
  // A loop over an explicit stack of containers: a deeply nested file cannot overflow the call stack.
  const stack: ("{" | "[")[] = [];
  const value = (): void => {
    for (;;) {
      ws();
      if (i >= n) fail("unexpected end of input");
      const c = text[i];
      if (c === "{") {
        i++;
        ws();
        if (text[i] === "}") {
          i++;
          return;
        }
        stack.push("{");
        key();
        continue;
      }
      if (c === "[") {
        i++;
        ws();
        if (text[i] === "]") {
          i++;
          return;
        }
        stack.push("[");
        continue;
      }
      if (c === '"') return str();
      if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return num();
      if (c === "t") return literal("true");
      if (c === "f") return literal("false");
      if (c === "n") return literal("null");
      fail(describeHere());
    }
  };
  const key = () => {
    ws();
    if (text[i] !== '"') fail(i >= n ? "unexpected end of input" : "expected a double-quoted property name");
    str();
    ws();
    if (text[i] !== ":") fail(i >= n ? "unexpected end of input" : "expected ':' after a property name");
    i++;
  };
  try {
    value();
    for (;;) {
      ws();
      const top = stack[stack.length - 1];
      if (top === undefined) break;
      const close = top === "{" ? "}" : "]";
      if (text[i] === ",") {
        i++;
        if (top === "{") key();
        value();
        continue;
      }
      if (text[i] === close) {
        i++;
        stack.pop();
        continue;
      }
      fail(i >= n ? "unexpected end of input" : top === "{" ? "expected ',' or '}' after a property value" : "expected ',' or ']' after an array element");
    }
    ws();
    if (i < n) fail("unexpected content after the JSON value");
    return undefined;
  } catch (error) {
    if (error instanceof ScanError) return { offset: error.offset, what: error.what };
    throw error;
  }
}

class ScanError {
  constructor(
    readonly offset: number,
    readonly what: string,
  ) {}
}
