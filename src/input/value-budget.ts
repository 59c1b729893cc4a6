/**
 * Memory per byte of input, bounded before `JSON.parse` builds anything. Parsed JSON costs memory per
 * value, not per byte: an empty object is 3 bytes of text (`{},`) and about 100 bytes of heap once V8 has
 * built and promoted it, so an export full of them took about 35 bytes of memory per byte of input (16 MiB:
 * 592 MB, and 7 s of garbage collection) where a real export takes 4.6. The size limit alone cannot bound
 * that; a limit on values per byte does.
 *
 * A value is counted by the bytes that start or separate one: `{`, `[` and `,`. Real exports have one every
 * 23 to 50 bytes (compact `pulumi stack export`, `az` output, the benchmark's generator; pretty-printed ones
 * far more), so one every `MIN_BYTES_PER_VALUE` bytes on average, plus `FREE_VALUES` for any file, leaves
 * them a wide margin and bounds the worst file to a figure docs/hostile-input.md gives (measured by
 * `npm run bench` on the worst inputs it constructs).
 *
 * The count is first taken over every byte, strings included (one fast pass, an upper bound); only a file
 * over the limit by that count is counted again outside strings, so that braces and commas inside strings
 * never refuse a file.
 */
import * as v8 from "node:v8";
import { COUNT_VALUES_WASM } from "./wasm/count-values.wasm";

/** The fewest bytes per value, on average over the file, that a file may have. */
export const MIN_BYTES_PER_VALUE = 8;

/**
 * Values any file may have, whatever its size (about 26 MB of heap at worst): small files are never refused
 * for density, and a file of 100,000 nested arrays still reaches the loader, which names the path.
 */
export const FREE_VALUES = 262_144;

/** The most values (`{`, `[`, `,`) a JSON text of `bytes` bytes may have. */
export function maxValues(bytes: number): number {
  return FREE_VALUES + Math.floor(bytes / MIN_BYTES_PER_VALUE);
}

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const COMMA = 0x2c;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function isValueByte(b: number | undefined): boolean {
  return b === COMMA || b === OPEN_BRACE || b === OPEN_BRACKET;
}

/**
 * For every 16-bit value, how many of its two bytes are `{`, `[` or `,` (64 KiB, built on first use): a
 * 32-bit word is counted by two lookups, whichever its byte order.
 */
let pairCounts: Uint8Array | undefined;
function pairCountTable(): Uint8Array {
  if (!pairCounts) {
    pairCounts = new Uint8Array(65_536);
    for (let pair = 0; pair < 65_536; pair++) pairCounts[pair] = (isValueByte(pair & 0xff) ? 1 : 0) + (isValueByte(pair >>> 8) ? 1 : 0);
  }
  return pairCounts;
}

/**
 * `{`, `[` and `,` bytes anywhere, strings included: an upper bound on the values. This pass runs on every
 * input: with WebAssembly SIMD (wasm/count-values.wat) sixteen bytes at a time, the input copied into the
 * module's memory a chunk at a time: 146 MB in about 25 ms, against 66 ms for `countAllScalar`, the
 * fallback where WebAssembly is not available (`node --jitless`).
 */
export function countAll(bytes: Uint8Array): number {
  const counter = simdCounter();
  if (!counter) return countAllScalar(bytes);
  let n = 0;
  for (let i = 0; i < bytes.length; i += CHUNK_BYTES) {
    const chunk = bytes.subarray(i, i + CHUNK_BYTES);
    counter.memory.set(chunk);
    n += counter.count(0, chunk.length);
  }
  return n;
}

/** Whether `countAll` runs on WebAssembly SIMD here (it falls back to `countAllScalar` without failing). */
export function countsWithSimd(): boolean {
  return simdCounter() !== null;
}

/** The bytes counted per call into the module: its one page of memory. */
const CHUNK_BYTES = 65_536;

interface SimdCounter {
  memory: Uint8Array;
  count: (ptr: number, len: number) => number;
}

/** The part of the WebAssembly API used here: Node has it as a global, @types/node 20 does not declare it. */
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: { memory: { buffer: ArrayBuffer }; count: SimdCounter["count"] } };
};

/** The module, instantiated on first use; null when this runtime cannot (no WebAssembly, or no SIMD). */
let counter: SimdCounter | null | undefined;
function simdCounter(): SimdCounter | null {
  if (counter === undefined) {
    try {
      const instance = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(COUNT_VALUES_WASM, "base64")));
      const { memory, count } = instance.exports;
      counter = { memory: new Uint8Array(memory.buffer, 0, CHUNK_BYTES), count };
    } catch {
      counter = null;
    }
  }
  return counter;
}

/**
 * `countAll` without WebAssembly. Four bytes at a time, by table lookups on each 16-bit half, two words per
 * step: about 0.5 ns a byte (146 MB in 67 ms: half the time of the SWAR byte tests it replaced).
 */
export function countAllScalar(bytes: Uint8Array): number {
  const table = pairCountTable();
  let n = 0;
  let i = 0;
  // Bytes up to the first 4-byte boundary of the underlying buffer, then whole words, then the tail.
  const head = Math.min(bytes.length, (4 - (bytes.byteOffset & 3)) & 3);
  for (; i < head; i++) if (isValueByte(bytes[i])) n++;
  const wordCount = (bytes.length - i) >>> 2;
  if (wordCount > 0) {
    const words = new Uint32Array(bytes.buffer, bytes.byteOffset + i, wordCount);
    let k = 0;
    for (const pairs = wordCount & ~1; k < pairs; k += 2) {
      const a = words[k]!;
      const b = words[k + 1]!;
      n += table[a & 0xffff]! + table[a >>> 16]! + table[b & 0xffff]! + table[b >>> 16]!;
    }
    if (k < wordCount) n += table[words[k]! & 0xffff]! + table[words[k]! >>> 16]!;
    i += wordCount * 4;
  }
  for (; i < bytes.length; i++) if (isValueByte(bytes[i])) n++;
  return n;
}

/** `{`, `[` and `,` bytes outside strings. */
function countOutsideStrings(bytes: Uint8Array): number {
  let n = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (inString) {
      if (b === BACKSLASH) i++;
      else if (b === QUOTE) inString = false;
    } else if (b === QUOTE) {
      inString = true;
    } else if (isValueByte(b)) {
      n++;
    }
  }
  return n;
}

/**
 * The values of a JSON text when they are more than `maxValues` allows, else undefined. Reads `bytes` once
 * (twice for a file over the limit by the first count), or not at all when `counted` gives `countAll`'s.
 */
export function excessValues(bytes: Uint8Array, counted?: number): number | undefined {
  const limit = maxValues(bytes.length);
  if (bytes.length <= limit) return undefined; // fewer bytes than the limit: it cannot be over it
  if ((counted ?? countAll(bytes)) <= limit) return undefined;
  const values = countOutsideStrings(bytes);
  return values > limit ? values : undefined;
}

/**
 * The most memory an audit takes per byte of input, for the worst input these limits let through: peak RSS
 * over file size of `writeWorstExport` in bench/generate.ts (objects with one distinct key each, at the
 * density limit): 17.6 to 18.3 at 64 MiB, by `npm run bench` with `BENCH_WORST=64` (docs/hostile-input.md,
 * "Memory", gives the command). RSS counts more than the JavaScript heap (the file's bytes, and the process
 * itself: 62 MB, 0.9 per byte at 64 MiB), so against a heap limit this errs on the safe side.
 */
export const WORST_MEMORY_PER_BYTE = 18;

/**
 * The most memory auditing an input of `bytes` bytes can take: `WORST_MEMORY_PER_BYTE` for each byte, and
 * for the `FREE_VALUES` any file may hold beyond its share (each counted as the `MIN_BYTES_PER_VALUE` bytes
 * it would take at the limit), so that a small but dense file is not underestimated.
 */
export function worstAuditMemory(bytes: number): number {
  return WORST_MEMORY_PER_BYTE * (bytes + FREE_VALUES * MIN_BYTES_PER_VALUE);
}

/**
 * The most memory one value of a text can take, at worst: at the density limit the worst input is all
 * values, `MIN_BYTES_PER_VALUE` bytes each at `WORST_MEMORY_PER_BYTE` (144 bytes).
 */
export const WORST_MEMORY_PER_VALUE = WORST_MEMORY_PER_BYTE * MIN_BYTES_PER_VALUE;

/**
 * The most memory one byte of a text can take where values are sparse: its share of the file's bytes, of
 * the decoded text (two bytes a character once one character needs them) and of the strings parsed from
 * it. Peak RSS over file size of `writeWorstExport`'s `text`, `wide` and `mixed` fillers (long strings, few
 * values): 4.5, 4.5 and 5.5 at 64 MiB by `npm run bench` with `BENCH_WORST=64`, rounded up.
 */
export const WORST_MEMORY_PER_TEXT_BYTE = 6;

/**
 * The most memory auditing a text of `bytes` bytes can take once its values are counted (`countAll`, an
 * upper bound): each value and each byte at its worst, added. At the density limit this is above
 * `worstAuditMemory`; a real export, with a value every 23 to 50 bytes, comes to about 11 bytes per byte
 * instead of 18, so that a 146 MB export is audited on the main thread under the default heap.
 */
export function worstCountedMemory(bytes: number, values: number): number {
  return WORST_MEMORY_PER_VALUE * values + WORST_MEMORY_PER_TEXT_BYTE * bytes;
}

/**
 * The share of the free heap the worst case of a text parsed on the main thread may take: half, a wide margin
 * for what the estimate leaves out (the report, the findings kept so far).
 */
const MAIN_THREAD_HEAP_SHARE = 0.5;

/** What the main thread's limits are computed from: V8's heap statistics (given in tests). */
export type HeapState = Pick<v8.HeapInfo, "heap_size_limit" | "used_heap_size">;

/**
 * The memory the main thread may let the worst case of one text take: `MAIN_THREAD_HEAP_SHARE` of the heap
 * still free under its limit (Node's default for this machine, or `--max-old-space-size`).
 */
export function mainThreadMemory(heap: HeapState = v8.getHeapStatistics()): number {
  return (heap.heap_size_limit - heap.used_heap_size) * MAIN_THREAD_HEAP_SHARE;
}

/** The heap limit in MB, as the lines that name it say it. */
export function heapLimitMb(): number {
  return Math.round(v8.getHeapStatistics().heap_size_limit / 2 ** 20);
}

/**
 * The most memory the values of a JSON text of `bytes` bytes can take: `WORST_MEMORY_PER_BYTE` bytes for each
 * of the `MIN_BYTES_PER_VALUE` bytes a value takes at the density limit, for as many values as the text may
 * hold (`maxValues`), and never more than one per two bytes (`{}` and a comma). For large texts this is
 * `worstAuditMemory`; for small ones it is far less, so that a small file is never refused for memory.
 */
export function worstJsonMemory(bytes: number): number {
  return WORST_MEMORY_PER_BYTE * MIN_BYTES_PER_VALUE * Math.min(Math.ceil(bytes / 2), maxValues(bytes));
}

/** The largest JSON text whose `worstJsonMemory` fits in `memory` bytes. */
export function largestJsonWithin(memory: number): number {
  const values = Math.max(0, Math.floor(memory / (WORST_MEMORY_PER_BYTE * MIN_BYTES_PER_VALUE)));
  // Dense: one value per two bytes. Past FREE_VALUES, the density limit allows one per MIN_BYTES_PER_VALUE.
  const beyondFree = values > FREE_VALUES ? MIN_BYTES_PER_VALUE * (values - FREE_VALUES) + MIN_BYTES_PER_VALUE - 1 : 0;
  return Math.max(2 * values, beyondFree);
}

/**
 * The largest JSON text this thread may parse without a worker to fall back on (a baseline, a shard report):
 * one whose worst case fits `mainThreadMemory`. Larger ones are refused with
 * one line, where parsing them could end the process with V8's fatal out-of-memory abort.
 */
export function mainThreadJsonLimit(heap: HeapState = v8.getHeapStatistics()): number {
  return largestJsonWithin(mainThreadMemory(heap));
}
