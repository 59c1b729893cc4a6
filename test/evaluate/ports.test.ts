import { describe, expect, it } from "vitest";
import { matchPorts } from "../../src/evaluate/ports";

describe("matchPorts", () => {
  it.each([
    { ranges: ["443"], port: 443, expected: "yes" },
    { ranges: ["80"], port: 443, expected: "no" },
    { ranges: ["443-444"], port: 444, expected: "yes" },
    { ranges: ["1000-2000"], port: 443, expected: "no" },
    { ranges: ["*"], port: 123, expected: "yes" },
    { ranges: ["80", "400-500"], port: 443, expected: "yes" },
    { ranges: ["44x"], port: 443, expected: "no", note: 'port "44x" is not a port' },
    { ranges: ["500-400"], port: 443, expected: "no", note: "is not a port" },
    { ranges: ["70000"], port: 443, expected: "no", note: "is not a port" },
    { ranges: [], port: 443, expected: "no" },
  ])("$ranges vs $port: $expected", ({ ranges, port, expected, note }) => {
    const match = matchPorts(ranges, port);
    expect(match.result).toBe(expected);
    if (note) expect((match.notes ?? []).join(" ")).toContain(note);
  });
});
