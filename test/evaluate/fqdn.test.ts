import { describe, expect, it } from "vitest";
import { fqdnPatternCovers, matchFqdnPattern } from "../../src/evaluate/fqdn";

interface FqdnCase {
  pattern: string;
  host: string;
  expected: "yes" | "no" | "maybe";
  /** Part of the `maybe` why, or of a `no`'s note. */
  says?: string;
}

// Azure Firewall application-rule FQDN semantics, resources.md "FQDN wildcards".
const cases: FqdnCase[] = [
  { pattern: "*.x.com", host: "a.x.com", expected: "yes" },
  { pattern: "*.x.com", host: "a.b.x.com", expected: "yes" },
  { pattern: "*.x.com", host: "x.com", expected: "no" },
  { pattern: "*.x.com", host: "evilx.com", expected: "no" },
  { pattern: "*x.com", host: "evilx.com", expected: "yes" },
  { pattern: "*x.com", host: "x.com", expected: "yes" },
  { pattern: "*x.com", host: "a.x.com", expected: "yes" },
  { pattern: "*x.com", host: "x.co", expected: "no" },
  { pattern: "*", host: "login.microsoftonline.com", expected: "yes" },
  { pattern: "*", host: "*.trafficmanager.net", expected: "yes" },
  { pattern: "a*.com", host: "ab.com", expected: "no", says: 'FQDN pattern "a*.com" is invalid' },
  { pattern: "foo.*.com", host: "foo.bar.com", expected: "no", says: "only at the far left" },
  { pattern: "*.*.com", host: "a.b.com", expected: "no", says: "invalid" },
  { pattern: "MANAGEMENT.Azure.COM", host: "management.azure.com", expected: "yes" },
  { pattern: "management.azure.com", host: "Management.Azure.Com", expected: "yes" },
  { pattern: "management.azure.com", host: "management.azure.com.evil.io", expected: "no" },
  { pattern: "*.TrafficManager.NET", host: "*.trafficmanager.net", expected: "yes" },
  // A wildcard endpoint is allowed only by a pattern that allows every host under it.
  { pattern: "*.trafficmanager.net", host: "*.trafficmanager.net", expected: "yes" },
  { pattern: "*trafficmanager.net", host: "*.trafficmanager.net", expected: "yes" },
  { pattern: "*manager.net", host: "*.trafficmanager.net", expected: "yes" },
  { pattern: "*.net", host: "*.trafficmanager.net", expected: "yes" },
  { pattern: "foo.trafficmanager.net", host: "*.trafficmanager.net", expected: "maybe", says: "rule allows only foo.trafficmanager.net of *.trafficmanager.net" },
  { pattern: "*.eu.trafficmanager.net", host: "*.trafficmanager.net", expected: "maybe", says: "only *.eu.trafficmanager.net of *.trafficmanager.net" },
  { pattern: "*foo.trafficmanager.net", host: "*.trafficmanager.net", expected: "maybe" },
  { pattern: "trafficmanager.net", host: "*.trafficmanager.net", expected: "no" },
  { pattern: "*.trafficmanager.com", host: "*.trafficmanager.net", expected: "no" },
  { pattern: "*.com", host: "*.trafficmanager.net", expected: "no" },
];

describe("matchFqdnPattern", () => {
  it.each(cases)("$pattern vs $host: $expected", ({ pattern, host, expected, says }) => {
    const match = matchFqdnPattern(pattern, host);
    expect(match.result).toBe(expected);
    if (says) {
      const text = match.result === "maybe" ? match.why : (match.notes ?? []).join(" ");
      expect(text).toContain(says);
    }
  });
});

describe("fqdnPatternCovers (threat-intel allow list)", () => {
  it.each([
    { pattern: "*.trafficmanager.net", host: "*.trafficmanager.net", covers: true },
    { pattern: "foo.trafficmanager.net", host: "*.trafficmanager.net", covers: false },
    { pattern: "login.microsoftonline.com", host: "login.microsoftonline.com", covers: true },
  ])("$pattern covers $host: $covers", ({ pattern, host, covers }) => {
    expect(fqdnPatternCovers(pattern, host)).toBe(covers);
  });
});
