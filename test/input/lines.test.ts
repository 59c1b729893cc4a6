/**
 * `locateRefs` (src/input/lines.ts): the line of each resource with a finding, for report locations, found
 * in one forward scan of the text. Checked against the line of the first `"urn"` key counted naively, on
 * exports pretty-printed and compact, with URNs that need escaping in JSON.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { locateRefs } from "../../src/input/lines";
import type { ResourceRef } from "../../src/model/resource";

/** The 1-based line of the first `"urn"` key whose value is `urn`, counted one character at a time. */
function naiveLine(text: string, urn: string): number | undefined {
  const json = JSON.parse(text) as { deployment: { resources: { urn: string }[] } };
  const index = json.deployment.resources.findIndex((r) => r.urn === urn);
  if (index < 0) return undefined;
  // The index-th `"urn"` key of the text is that resource's (each resource has one, in order).
  let at = -1;
  for (let n = 0; n <= index; n++) at = text.indexOf('"urn"', at + 1);
  let line = 1;
  for (let i = 0; i < at; i++) if (text[i] === "\n") line++;
  return line;
}

const name = fc.string({ minLength: 1, maxLength: 12 }).map((s) => s.replace(/::/g, ":"));

describe("locateRefs", () => {
  it("gives each ref the line of its resource's urn, pretty-printed or compact, escaped or not", () => {
    fc.assert(
      fc.property(fc.uniqueArray(name, { minLength: 1, maxLength: 30 }), fc.constantFrom(0, 1, 2, 4), fc.nat(), (names, indent, pick) => {
        const resources = names.map((n) => ({ urn: `urn:pulumi:dev::p::azure-native:network:NetworkSecurityGroup::${n}`, type: "t", outputs: { id: `/x/${n}`, note: "a\nb" } }));
        const text = JSON.stringify({ version: 3, deployment: { resources } }, null, indent);
        const wanted = resources.filter((_, i) => (pick >> i % 30) & 1 || i === resources.length - 1);
        const refs: ResourceRef[] = wanted.map((r) => ({ urn: r.urn, type: r.type, name: "" }));
        locateRefs(text, refs);
        for (const ref of refs) expect(ref.line, ref.urn).toBe(naiveLine(text, ref.urn));
      }),
      { numRuns: 300 },
    );
  });

  it("leaves a ref whose urn is not in the text without a line", () => {
    const ref: ResourceRef = { urn: "urn:pulumi:dev::p::t::missing", type: "t", name: "missing" };
    locateRefs('{\n  "urn": "urn:pulumi:dev::p::t::other"\n}', [ref]);
    expect(ref.line).toBeUndefined();
  });
});
