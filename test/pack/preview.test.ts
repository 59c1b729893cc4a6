/**
 * What a preview hands the pack: values unknown until apply, and secrets. An unknown that matters is
 * reported as undetermined (advisory, never a pass and never a crash); one that does not is ignored;
 * no secret value ever appears in a message.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SECRET_SIG, SIG_KEY } from "../../src/input";
import { policyPackConfig } from "../../src/pack/config";
import { exampleConfig, healthyWith, MISCONFIGURED, ofRule, seen, setProp, UNKNOWN } from "./fixtures";
import { PackHarness, ROOT, type Diagnostic } from "./harness";
import { stackRequestsFromFile } from "./stack-export";
import * as path from "node:path";

let pack: PackHarness;
beforeAll(async () => {
  pack = await PackHarness.start();
  await pack.configure(policyPackConfig(exampleConfig()));
});
afterAll(async () => pack?.close());

const secret = (value: unknown) => ({ [SIG_KEY]: SECRET_SIG, value });
/** Pulumi's sentinel for an unknown array (the engine sends typed sentinels too). */
const UNKNOWN_ARRAY = "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2";

function noSdkPreviewFailure(diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) expect(d.message).not.toMatch(/can't run policy .* during preview/);
}

describe("values unknown until apply", () => {
  it("a firewall whose policy id is not known yet: every verdict through it is undetermined and advisory", async () => {
    const diagnostics = await pack.analyzeAll(
      healthyWith((r) => {
        const fw = r("hub-fw");
        fw.inputs!.firewallPolicy = { id: UNKNOWN };
        fw.outputs!.firewallPolicy = { id: UNKNOWN };
      }),
    );
    noSdkPreviewFailure(diagnostics);
    const found = seen(diagnostics);
    expect(found.length).toBeGreaterThan(0);
    for (const v of found) {
      expect(v.level, v.text).toBe("advisory");
      expect(v.message).toMatch(/undetermined/);
      expect(v.text).toMatch(/unknown until apply: hub-fw\.firewallPolicy/);
      expect(v.resource).toBe("urn:pulumi:prod::azs-border::azure-native:network:AzureFirewall::hub-fw");
    }
    // BG203 (legacy usage allow-list) speaks only of decided verdicts: an unknown policy decides nothing.
    // One cause (the unknown policy) per code: the ARM endpoint and DNS (NetworkError) are BG201's, with usage.
    expect(new Set(found.map((v) => v.ruleId))).toEqual(new Set(["BG108", "BG201", "BG301"]));
  });

  it("rule collections unknown as a whole (typed array sentinel): undetermined, not a crash and not a pass", async () => {
    const diagnostics = await pack.analyzeAll(
      healthyWith((r) => {
        const group = r("azure-stack-bridge");
        group.inputs!.ruleCollections = UNKNOWN_ARRAY;
        group.outputs!.ruleCollections = UNKNOWN_ARRAY;
      }),
    );
    noSdkPreviewFailure(diagnostics);
    const usage = ofRule(diagnostics, "BG201");
    expect(usage.length).toBeGreaterThan(0);
    expect(usage.every((v) => v.level === "advisory" && /undetermined/.test(v.message))).toBe(true);
    expect(seen(diagnostics).filter((v) => v.level === "mandatory")).toEqual([]);
  });

  it("an unknown no rule depends on changes nothing", async () => {
    const diagnostics = await pack.analyzeAll(
      healthyWith((r) => {
        setProp(r("hub-fw"), "location", UNKNOWN);
        setProp(r("stamp-vip-nsg"), "tags", UNKNOWN);
        setProp(r("registration"), "tags", { owner: UNKNOWN });
      }),
    );
    expect(diagnostics).toEqual([]);
  });

  it("a new registration: its identity is undetermined until apply, reported once, from the final state", async () => {
    const stack = healthyWith((r) => {
      const reg = r("registration");
      for (const key of ["cloudId", "objectId", "id"]) reg.outputs![key] = UNKNOWN;
    });
    const analyze: Diagnostic[] = [];
    for (const r of stack.inputs) analyze.push(...(await pack.analyze(r)).diagnostics);
    const stackPhase = (await pack.analyzeStack(stack.outputs)).diagnostics;
    noSdkPreviewFailure([...analyze, ...stackPhase]);
    // The inputs never carry cloudId (an output): nothing to say from them alone.
    expect(ofRule(analyze, "BG103")).toEqual([]);
    const identity = ofRule(stackPhase, "BG103");
    expect(identity.map((v) => v.message).sort()).toEqual([
      "cloudId is not known until apply (undetermined); expected 5b4f0a0e-9e1d-4c8a-8f4e-6a2b7d1c3e59",
      "objectId is not known until apply (undetermined); expected 0d8f6c2b-7a4e-4b19-bc3d-9e1f2a6b8c47",
    ]);
    expect(identity.map((v) => v.level)).toEqual(["advisory", "advisory"]);
    // Placement still decides from the id's parts the inputs give (resource group) and the provider's subscription.
    expect(ofRule(stackPhase, "BG102")).toEqual([]);
  });
});

describe("secrets", () => {
  const CANARY = "CANARY-secret-3f9c";

  it("a secret value is opaque to the rules, like in the audit, and never echoed", async () => {
    const stack = healthyWith((r) => {
      const reg = r("registration");
      reg.outputs!.objectId = "3f9c0000-0000-4000-8000-00000000c4a7";
      reg.outputs!.cloudId = "3f9c0000-0000-4000-8000-00000000c4a8";
      setProp(r("stamp-vip-nsg"), "securityRules", [
        { name: "deny-ntp", priority: 100, direction: "Outbound", access: "Deny", protocol: "Udp", sourceAddressPrefix: "*", destinationAddressPrefix: `10.0.0.10`, destinationPortRange: "123", description: CANARY },
      ]);
    });
    // Mark values secret the way the engine sends them: the registration's identity and a rule's fields.
    const outputs = stack.outputs.map((r) => {
      if (r.type === "azure-native:azurestack:Registration") {
        return { ...r, properties: { ...r.properties, objectId: secret(r.properties.objectId), cloudId: secret(r.properties.cloudId), registrationName: secret(CANARY) } };
      }
      return r;
    });
    const inputs = stack.inputs.map((r) =>
      r.type === "azure-native:azurestack:Registration"
        ? { ...r, properties: { ...r.properties, location: secret(`${CANARY}-westeurope`), registrationName: secret(CANARY) } }
        : r,
    );
    const diagnostics: Diagnostic[] = [];
    for (const r of inputs) diagnostics.push(...(await pack.analyze(r)).diagnostics);
    diagnostics.push(...(await pack.analyzeStack(outputs)).diagnostics);
    for (const d of diagnostics) {
      expect(d.message).not.toContain(CANARY);
      expect(d.message).not.toMatch(/3f9c0000/);
    }
    // Opaque, not trusted: the identity cannot be compared (undetermined), as the audit says of a secret.
    expect(ofRule(diagnostics, "BG103").map((v) => v.message).sort()).toEqual([
      "cloudId is not known until apply (undetermined); expected 5b4f0a0e-9e1d-4c8a-8f4e-6a2b7d1c3e59",
      "objectId is not known until apply (undetermined); expected 0d8f6c2b-7a4e-4b19-bc3d-9e1f2a6b8c47",
    ]);
    // The NSG rule (not secret) still denies NTP.
    expect(ofRule(diagnostics, "BG108").length).toBeGreaterThan(0);
  });

  it("additionalSecretOutputs are opaque even as plain values", async () => {
    const stack = healthyWith((r) => (r("registration").outputs!.objectId = "3f9c0000-0000-4000-8000-00000000c4a7"));
    const outputs = stack.outputs.map((r) => (r.type.includes("Registration") ? { ...r, additionalSecretOutputs: ["objectId"] } : r));
    const diagnostics = (await pack.analyzeStack(outputs)).diagnostics;
    expect(diagnostics.map((d) => d.message).join("\n")).not.toMatch(/3f9c0000/);
    expect(ofRule(diagnostics, "BG103").map((v) => v.level)).toEqual(["advisory"]);
  });

  it("the stack exports' secret canaries (ciphertext, --show-secrets plaintext) never come back", async () => {
    for (const file of [MISCONFIGURED, path.join(ROOT, "test/fixtures/stack-export-v3.json"), path.join(ROOT, "test/fixtures/stack-export-v4.json")]) {
      const text = (await pack.analyzeAll(stackRequestsFromFile(file))).map((d) => d.message).join("\n");
      expect(text).not.toMatch(/CANARY|Q0FOQVJZ|v1:Yq3c9rM2/);
    }
  });
});
