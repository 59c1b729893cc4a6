/**
 * The adapter's parts in process: properties as the SDK hands them over, secret masking, the violation
 * message, the policies' own metadata options.
 */
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { describe, expect, it } from "vitest";
import { SECRET_SIG, SIG_KEY, UNKNOWN_SENTINEL } from "../../src/input";
import type { Finding } from "../../src/model/finding";
import { violationMessage, parseViolationMessage } from "../../src/pack/message";
import { bridgeguardPolicies } from "../../src/pack/policies";
import { maskSecrets, outputsOverInputs, plainProps, SECRET_PLACEHOLDER } from "../../src/pack/props";
import { installSecretMasking } from "../../src/pack/secrets";

// The SDK's proxy (what a policy's `args.props` is): it throws on any read of an unknown value.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { unknownCheckingProxy } = require("@pulumi/policy/proxy") as { unknownCheckingProxy: (v: object) => Record<string, unknown> };

const SECRET = { [SIG_KEY]: SECRET_SIG };

describe("plainProps", () => {
  it("copies through the SDK's unknown-checking proxy, every typed unknown becoming the engine's", () => {
    const props = unknownCheckingProxy({
      priority: "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
      ruleCollections: "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
      firewallPolicy: { id: UNKNOWN_SENTINEL },
      tags: { a: "b" },
      routes: [{ name: "r", nextHopType: "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7" }],
      location: "westeurope",
    });
    expect(() => props.priority).toThrow(/can't be known during preview/);
    expect(plainProps(props)).toEqual({
      priority: UNKNOWN_SENTINEL,
      ruleCollections: UNKNOWN_SENTINEL,
      firewallPolicy: { id: UNKNOWN_SENTINEL },
      tags: { a: "b" },
      routes: [{ name: "r", nextHopType: UNKNOWN_SENTINEL }],
      location: "westeurope",
    });
  });

  it("turns the secret placeholder, and additionalSecretOutputs, into opaque secrets", () => {
    expect(plainProps({ objectId: SECRET_PLACEHOLDER, list: ["a", SECRET_PLACEHOLDER], cloudId: "x" }, ["cloudId", "absent"])).toEqual({
      objectId: SECRET,
      list: ["a", SECRET],
      cloudId: SECRET,
    });
  });

  it("leaves no value in a masked secret, at any depth", () => {
    const masked = maskSecrets({ a: { [SIG_KEY]: SECRET_SIG, value: "CANARY" }, b: [{ c: { [SIG_KEY]: SECRET_SIG, plaintext: '"CANARY"' } }] });
    expect(JSON.stringify(masked)).not.toContain("CANARY");
  });
});

describe("outputsOverInputs", () => {
  it("reads outputs first and inputs for what the outputs lack or do not know yet", () => {
    expect(
      outputsOverInputs(
        { location: "global", cloudId: UNKNOWN_SENTINEL, objectId: SECRET, routes: null },
        { location: "westeurope", cloudId: "c", objectId: "o", routes: [1], resourceGroup: "rg" },
      ),
    ).toEqual({ location: "global", cloudId: "c", objectId: SECRET, routes: [1], resourceGroup: "rg" });
  });
});

describe("secret masking in @pulumi/policy", () => {
  it("hands policies the placeholder instead of a secret's value", () => {
    expect(installSecretMasking()).toBe("installed");
    expect(installSecretMasking()).toBe("installed");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { deserializeProperties } = require("@pulumi/policy/deserialize") as { deserializeProperties: (s: Struct, proxy: boolean) => Record<string, unknown> };
    const struct = Struct.fromJavaScript({ objectId: { [SIG_KEY]: SECRET_SIG, value: "CANARY" }, location: "global" });
    const props = deserializeProperties(struct, false);
    expect(props).toEqual({ objectId: SECRET_PLACEHOLDER, location: "global" });
    expect(plainProps(props)).toEqual({ objectId: SECRET, location: "global" });
  });
});

const finding: Finding = {
  code: "NetworkError",
  rule: { id: "BG201", slug: "usage-endpoint-blocked" },
  severity: "error",
  resource: { urn: "urn:pulumi:prod::p::azure-native:network:AzureFirewall::fw", type: "azure-native:network:AzureFirewall", name: "fw" },
  endpoints: [{ host: "*.trafficmanager.net", port: 443, protocol: "https", purpose: "usage" }],
  message: "denies it\u001b[31m",
  evidence: ["collection \"c\" (priority 100, Deny)", "second line"],
  remediation: "Allow it. Documented remediation for NetworkError: check the firewall.",
  docs: "docs/rules/BG201.md",
};

describe("violationMessage", () => {
  it("is the CLI's block: headline, then resource, endpoint, evidence, fix, docs; terminal escapes shown, not sent", () => {
    expect(violationMessage(finding)).toBe(
      [
        "NetworkError BG201 usage-endpoint-blocked: denies it\\x1b[31m",
        "  resource: urn:pulumi:prod::p::azure-native:network:AzureFirewall::fw",
        "  endpoint: *.trafficmanager.net 443/https (usage)",
        '  evidence: collection "c" (priority 100, Deny)',
        "            second line",
        "  fix:      Allow it. Documented remediation for NetworkError: check the firewall.",
        "  docs:     docs/rules/BG201.md",
      ].join("\n"),
    );
  });

  it("links the docs where they are published, and names a suppression", () => {
    const text = violationMessage({ ...finding, suppression: { justification: "Accepted (CHG-1)", expires: "2030-01-01" } }, "https://example.org/bg/");
    expect(text).toContain("  docs:     https://example.org/bg/docs/rules/BG201.md");
    expect(text).toContain("  suppressed: Accepted (CHG-1) (until 2030-01-01)");
  });

  it("parses back, after the description line the SDK puts first", () => {
    expect(parseViolationMessage(`The usage endpoint is allowed\n${violationMessage(finding)}`)).toEqual({
      code: "NetworkError",
      ruleId: "BG201",
      slug: "usage-endpoint-blocked",
      message: "denies it\\x1b[31m",
      resource: finding.resource.urn,
      endpoints: ["*.trafficmanager.net 443/https (usage)"],
    });
  });
});

describe("bridgeguardPolicies", () => {
  it("links each policy to its docs page where they are published", () => {
    const policies = bridgeguardPolicies({ docsBaseUrl: "https://example.org/bridgeguard/blob/v1/" });
    expect(policies.find((p) => p.name === "BG204")!.url).toBe("https://example.org/bridgeguard/blob/v1/docs/rules/BG204.md");
    expect(bridgeguardPolicies().find((p) => p.name === "BG204")!.url).toBe("docs/rules/BG204.md");
  });

  it("never names a policy `all` nor puts enforcementLevel in a config schema", () => {
    for (const p of bridgeguardPolicies()) {
      expect(p.name).not.toBe("all");
      expect(p.configSchema?.properties).not.toHaveProperty("enforcementLevel");
    }
  });
});
