/**
 * The first pass of the value budget (src/input/value-budget.ts): `countAll` (WebAssembly SIMD) and
 * `countAllScalar` (its fallback) count every `{`, `[` and `,` byte, whatever the buffer's alignment and
 * length, as a plain byte loop does; and the committed module is the one its .wat source compiles to.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countAll, countAllScalar, countsWithSimd } from "../../src/input/value-budget";

const naive = (bytes: Uint8Array) => bytes.reduce((n, b) => n + (b === 0x2c || b === 0x7b || b === 0x5b ? 1 : 0), 0);
// Mostly JSON's own bytes, so that matches are dense; any byte may come.
const jsonish = fc.oneof(fc.constantFrom(0x2c, 0x7b, 0x5b, 0x7d, 0x5d, 0x22, 0x3a, 0x20, 0x61), fc.integer({ min: 0, max: 255 }));

describe.each([
  ["countAll", countAll],
  ["countAllScalar", countAllScalar],
])("%s", (_, count) => {
  it("counts as a byte loop does, at every offset and length (unaligned heads and tails included)", () => {
    fc.assert(
      fc.property(fc.array(jsonish, { maxLength: 200 }), fc.nat(7), fc.nat(7), (values, head, tail) => {
        const buffer = new Uint8Array(values);
        const view = buffer.subarray(Math.min(head, buffer.length), Math.max(Math.min(head, buffer.length), buffer.length - tail));
        expect(count(view)).toBe(naive(view));
      }),
      { numRuns: 3000 },
    );
  });

  it("counts a large buffer of every byte value", () => {
    const bytes = new Uint8Array(1 << 20).map((_, i) => (i * 2654435761) >>> 24);
    expect(count(bytes)).toBe(naive(bytes));
  });

  it("counts buffers of nothing but matches across the SIMD pass's boundaries (255-block runs, 64 KiB chunks)", () => {
    // Every byte a match: each byte lane of a run reaches 255, the most it may hold before it is widened.
    const all = Buffer.alloc(3 * 65_536 + 37, "{[,");
    for (const length of [0, 15, 16, 17, 4079, 4080, 4081, 65_535, 65_536, 65_537, 2 * 65_536 + 4080, all.length]) {
      for (const offset of [0, 1, 3]) {
        const view = all.subarray(offset, Math.min(all.length, offset + length));
        expect(count(view)).toBe(view.length);
      }
    }
  });
});

describe("the SIMD module", () => {
  it("runs on this Node (else countAll would quietly be countAllScalar, and the tests above test it twice)", () => {
    expect(countsWithSimd()).toBe(true);
  });

  it("is what scripts/build-wasm.js compiles wasm/count-values.wat to (run it after editing the .wat)", async () => {
    const root = path.join(__dirname, "..", "..");
    const { generated } = (await import(path.join(root, "scripts", "build-wasm.js"))) as { generated: (file: string) => Promise<string> };
    const wat = path.join(root, "src", "input", "wasm", "count-values.wat");
    expect(await generated(wat)).toBe(fs.readFileSync(wat.replace(/\.wat$/, ".wasm.ts"), "utf8"));
  });
});
