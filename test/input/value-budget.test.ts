/**
 * The first pass of the value budget (src/input/value-budget.ts): `countAll` counts every `{`, `[` and `,`
 * byte, whatever the buffer's alignment and length, as a plain byte loop does.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countAll } from "../../src/input/value-budget";

const naive = (bytes: Uint8Array) => bytes.reduce((n, b) => n + (b === 0x2c || b === 0x7b || b === 0x5b ? 1 : 0), 0);
// Mostly JSON's own bytes, so that matches are dense; any byte may come.
const jsonish = fc.oneof(fc.constantFrom(0x2c, 0x7b, 0x5b, 0x7d, 0x5d, 0x22, 0x3a, 0x20, 0x61), fc.integer({ min: 0, max: 255 }));

describe("countAll", () => {
  it("counts as a byte loop does, at every offset and length (unaligned heads and tails included)", () => {
    fc.assert(
      fc.property(fc.array(jsonish, { maxLength: 200 }), fc.nat(7), fc.nat(7), (values, head, tail) => {
        const buffer = new Uint8Array(values);
        const view = buffer.subarray(Math.min(head, buffer.length), Math.max(Math.min(head, buffer.length), buffer.length - tail));
        expect(countAll(view)).toBe(naive(view));
      }),
      { numRuns: 3000 },
    );
  });

  it("counts a large buffer of every byte value", () => {
    const bytes = new Uint8Array(1 << 20).map((_, i) => (i * 2654435761) >>> 24);
    expect(countAll(bytes)).toBe(naive(bytes));
  });
});
