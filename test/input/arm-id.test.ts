/**
 * ARM id parsing (src/input/normalize/armId.ts) against the regular expressions it replaced, as the oracle:
 * the same subscription and resource group, and the same "is an ARM id", for ids built from the pieces real
 * and malformed ids are made of (any case, empty segments, missing parts, non-ASCII look-alikes).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isArmId, parseArmId } from "../../src/input/normalize/armId";

const SCOPE = /^\/subscriptions\/([^/]+)(?:\/resourceGroups\/([^/]+))?/i;
function oracle(id: string): { subscriptionId?: string; resourceGroup?: string } {
  const m = SCOPE.exec(id);
  const out: { subscriptionId?: string; resourceGroup?: string } = {};
  if (m?.[1]) out.subscriptionId = m[1];
  if (m?.[2]) out.resourceGroup = m[2];
  return out;
}
const oracleIsArmId = (id: string) => /^\/subscriptions\/[^/]+\//i.test(id);

/** `word` in random case, letter by letter. */
const anyCase = (word: string) =>
  fc.array(fc.boolean(), { minLength: word.length, maxLength: word.length }).map((upper) => [...word].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(""));
const piece = fc.oneof(
  anyCase("subscriptions"),
  anyCase("resourcegroups"),
  anyCase("providers"),
  fc.constantFrom("", "/", "//", "8f3c2a51-6d0e", "rg-hub", "Microsoft.Network", "ſubscriptions", "resourceGroupſ", "K", "@", "[", "{"),
  fc.string({ maxLength: 4 }),
);
// Mostly `/` between pieces, sometimes a character one bit away from it (`\u000f` = `/` without 0x20) or none.
const separator = fc.constantFrom("/", "/", "/", "/", "\u000f", "\\", "");
const id = fc.array(fc.tuple(separator, piece), { maxLength: 8 }).map((parts) => parts.map(([sep, p]) => sep + p).join(""));

describe("ARM id scope", () => {
  it("reads the subscription and resource group as the case-insensitive regular expression did", () => {
    fc.assert(
      fc.property(fc.oneof(id, fc.string()), (text) => {
        expect(parseArmId(text)).toEqual(oracle(text));
        expect(isArmId(text)).toBe(oracleIsArmId(text));
      }),
      { numRuns: 5000 },
    );
  });

  it("real ids, in the cases ARM writes them", () => {
    const id = "/subscriptions/8f3c2a51/resourcegroups/Hub-RG/providers/Microsoft.Network/azureFirewalls/fw";
    expect(parseArmId(id)).toEqual({ subscriptionId: "8f3c2a51", resourceGroup: "Hub-RG" });
    expect(parseArmId("/SUBSCRIPTIONS/abc")).toEqual({ subscriptionId: "abc" });
    expect(isArmId("/SUBSCRIPTIONS/abc")).toBe(false);
    expect(isArmId("/subscriptions/abc/")).toBe(true);
    expect(parseArmId("/subscriptions//resourceGroups/rg")).toEqual({});
  });
});
