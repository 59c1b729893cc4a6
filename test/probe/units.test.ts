/** The probe's pure parts: parsing, deadlines, targets, the classification table, the rules and the docs. */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { catalogEndpoints } from "../../src/catalog/endpoints";
import { parseConfig } from "../../src/engine/config";
import type { BridgeguardConfig } from "../../src/config/types";
import { FAILURES, LOGIN_FAILURE, TIME_SERVER_SILENT, EXPLICIT_PROXY, CLOCK_SKEW, NOT_TESTED, classifyFailure, renderClassificationTable } from "../../src/rules/probe/classify";
import { applyConnectTo, parseConnectTo } from "../../src/probe/connect-to";
import { RunAbortedError, StageTimeoutError, parseDuration, withDeadline } from "../../src/probe/deadline";
import { evaluate, runPipeline } from "../../src/engine/pipeline";
import type { EndpointObservation, FailureKind, ProbeObservations } from "../../src/model/observations";
import { progressLine } from "../../src/probe/progress";
import { ProxyEndpoint } from "../../src/probe/proxy";
import { redactText, redactUrl } from "../../src/probe/redact";
import { planTargets } from "../../src/probe/targets";
import { parseTimeServer, readNtpTimestamp, writeNtpTimestamp } from "../../src/probe/time";
import { PROBE_RULES } from "../../src/rules/probe";

const ROOT = path.resolve(__dirname, "..", "..");
const config: BridgeguardConfig = parseConfig({}, "(test)");

describe("parseDuration", () => {
  it.each([
    ["500ms", 500],
    ["20s", 20_000],
    ["2m", 120_000],
    ["1.5s", 1500],
    ["20", 20_000],
  ])("%s -> %d ms", (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(["", "soon", "-1s", "0s", "10h", "1e3"])("rejects %j", (text) => expect(parseDuration(text)).toBeUndefined());
});

describe("progress lines", () => {
  const observation = (detail: string): EndpointObservation => ({
    target: { host: "login.windows.net", port: 443, protocol: "https", path: "/", endpoints: catalogEndpoints("AzureCloud").filter((e) => e.host === "login.windows.net") },
    outcome: { kind: "failed", failure: "connection-refused", stage: "tcp", detail },
    stages: [{ stage: "tcp", status: "failed", ms: 3, note: detail }],
    ms: 3,
  });

  it("colours the label with real escape codes, never printed as text", () => {
    const line = progressLine(observation("refused"), true);
    expect(line).toContain("\u001b[31mFAIL \u001b[0m");
    expect(line).not.toContain("\\x1b");
  });

  it("escapes what came from outside: a server's escape sequences are shown, not obeyed", () => {
    const line = progressLine(observation("evil \u001b]0;owned\u0007 \u001b[2J done\nfake: all checks passed"), true);
    expect(line).toContain("\\x1b]0;owned\\x07 \\x1b[2J done fake: all checks passed");
    expect(line.match(/\u001b/g)).toHaveLength(4); // the label's colour and reset, the timing's dim and reset
  });
});

describe("--connect-to", () => {
  it("parses curl's four fields, with IPv6 in brackets and empty fields as wildcards", () => {
    expect(parseConnectTo("login.microsoftonline.com:443:10.1.2.3:8443")).toMatchObject({ fromHost: "login.microsoftonline.com", fromPort: 443, toHost: "10.1.2.3", toPort: 8443 });
    expect(parseConnectTo("::[::1]:4443")).toMatchObject({ fromHost: undefined, fromPort: undefined, toHost: "::1", toPort: 4443 });
    expect(parseConnectTo("a.example:443::")).toMatchObject({ toHost: undefined, toPort: undefined });
  });

  it("applies the first rule that matches host and port", () => {
    const rules = [parseConnectTo("a.example:80:127.0.0.1:1"), parseConnectTo("a.example::127.0.0.2:"), parseConnectTo("::127.0.0.3:3")];
    expect(applyConnectTo(rules, "A.example", 80)).toMatchObject({ host: "127.0.0.1", port: 1 });
    expect(applyConnectTo(rules, "a.example", 443)).toMatchObject({ host: "127.0.0.2", port: 443 });
    expect(applyConnectTo(rules, "b.example", 443)).toMatchObject({ host: "127.0.0.3", port: 3 });
    expect(applyConnectTo([], "b.example", 443)).toBeUndefined();
  });

  it.each(["a:1:b", "a:1:b:2:3", "a:x:b:2", "a:1:b:70000", "a b:1:c:2"])("rejects %j", (spec) => expect(() => parseConnectTo(spec)).toThrow(/--connect-to/));
});

describe("redaction", () => {
  it("hides the user info of a proxy URL", () => {
    expect(redactUrl("http://user:p%40ss@proxy.example:3128/")).toBe("http://***@proxy.example:3128");
    expect(redactUrl("http://proxy.example:3128")).toBe("http://proxy.example:3128");
    expect(redactUrl("not a url http://u:p@h")).toBe("not a url http://***@h");
  });

  it("scrubs secrets and URL user info from any text", () => {
    expect(redactText("failed via http://u:hunter22@p:1 with hunter22", ["hunter22"])).toBe("failed via http://***@p:1 with ***");
  });

  it("a ProxyEndpoint serializes and prints without its password", () => {
    const proxy = new ProxyEndpoint("http://probe:Very-Secret@proxy.example:3128", "--proxy");
    const shown = `${JSON.stringify(proxy)} ${String(proxy)} ${JSON.stringify({ ...proxy })}`;
    expect(shown).not.toContain("Very-Secret");
    expect(proxy.url).toBe("http://***@proxy.example:3128");
    expect(proxy.authorization()).toBe(`Basic ${Buffer.from("probe:Very-Secret").toString("base64")}`);
  });

  it("takes the user info before the last @, not by the WHATWG rules: Windows accounts, / and # in passwords", () => {
    for (const [url, user, password] of [
      ["http://CONTOSO\\jdoe:S3cret@proxy.example:3128", "CONTOSO\\jdoe", "S3cret"],
      ["http://u:1234/pw@proxy.example:3128", "u", "1234/pw"],
      ["http://u:12#pw@proxy.example:3128/", "u", "12#pw"],
      ["http://u:p@ss?x@proxy.example:3128", "u", "p@ss?x"],
      ["CONTOSO%5Cjdoe:50%25off@proxy.example:3128", "CONTOSO\\jdoe", "50%off"],
    ] as const) {
      const proxy = new ProxyEndpoint(url, "--proxy");
      expect(proxy.host, url).toBe("proxy.example");
      expect(proxy.port).toBe(3128);
      expect(proxy.url).toBe("http://***@proxy.example:3128");
      expect(proxy.authorization()).toBe(`Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`);
      expect(`${JSON.stringify(proxy)} ${String(proxy)}`).not.toContain(password);
    }
  });

  it("a % that is not a %XX escape is a usage error naming the option, without the value", () => {
    expect(() => new ProxyEndpoint("http://u:50%off@host:1", "--proxy")).toThrow(/^--proxy: the password holds a "%" that does not start a %XX escape/);
    expect(() => new ProxyEndpoint("http://u:50%off@host:1", "--proxy")).not.toThrow(/50%off/);
    expect(() => new ProxyEndpoint("http://u:%FF%FE@host:1", "config")).toThrow(/^probe\.proxy: the password holds a %XX escape that is not UTF-8/);
  });

  it("lists every form a proxy could echo a UTF-8 password in", () => {
    const proxy = new ProxyEndpoint("http://jdoe:Pässwörd-ü@proxy.example:3128", "--proxy");
    const forms = proxy.secrets();
    const latin1 = Buffer.from("Pässwörd-ü", "utf8").toString("latin1");
    for (const form of ["Pässwörd-ü", latin1, encodeURIComponent("Pässwörd-ü"), encodeURIComponent("Pässwörd-ü").replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()), Buffer.from("jdoe:Pässwörd-ü").toString("base64")]) {
      expect(forms, form).toContain(form);
      expect(redactText(`said ${form}.`, forms)).toBe("said ***.");
    }
    // JSON and XML escapes of a password with quotes and backslashes.
    const quoted = new ProxyEndpoint('http://u:a"b\\c<d@proxy.example:3128', "--proxy").secrets();
    expect(quoted).toContain('a\\"b\\\\c<d');
    expect(quoted).toContain("a&quot;b\\c&lt;d");
  });

  it("rejects a malformed proxy URL without echoing it", () => {
    expect(() => new ProxyEndpoint("http://u:Leaky-Secret@[x", "--proxy")).toThrow(/^--proxy: expected http:\/\/\[user:password@\]host:port$/);
    expect(() => new ProxyEndpoint("socks5://u:Leaky-Secret@h:1", "environment")).toThrow(/only http:\/\/ proxies/);
  });
});

describe("withDeadline", () => {
  it("rejects at the stage deadline and aborts the stage", async () => {
    let aborted = false;
    const started = Date.now();
    await expect(
      withDeadline(50, undefined, (signal) => {
        signal.addEventListener("abort", () => (aborted = true));
        return new Promise(() => undefined);
      }),
    ).rejects.toBeInstanceOf(StageTimeoutError);
    expect(aborted).toBe(true);
    expect(Date.now() - started).toBeLessThan(500);
  });

  it("rejects at once when the run signal aborts, with its reason", async () => {
    const run = new AbortController();
    const pending = withDeadline(10_000, run.signal, () => new Promise(() => undefined));
    run.abort("interrupted");
    await expect(pending).rejects.toMatchObject({ reason: "interrupted" });
    await expect(withDeadline(10, run.signal, async () => 1)).rejects.toBeInstanceOf(RunAbortedError);
  });

  it("disposes of a value that arrives after the deadline", async () => {
    const disposed: number[] = [];
    await expect(withDeadline(10, undefined, () => new Promise<number>((resolve) => setTimeout(() => resolve(7), 40)), (v) => disposed.push(v))).rejects.toBeInstanceOf(StageTimeoutError);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(disposed).toEqual([7]);
  });
});

describe("SNTP", () => {
  it("NTP timestamps round-trip to the millisecond", () => {
    const buffer = Buffer.alloc(8);
    const now = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
    writeNtpTimestamp(buffer, 0, now);
    expect(Math.abs(readNtpTimestamp(buffer, 0) - now)).toBeLessThan(1);
  });

  it.each([
    ["10.0.0.10", { host: "10.0.0.10", port: 123 }],
    ["ntp.contoso.com:1123", { host: "ntp.contoso.com", port: 1123 }],
    ["[fd00::1]:123", { host: "fd00::1", port: 123 }],
    ["fd00::1", { host: "fd00::1", port: 123 }],
  ])("parses the time server %s", (text, expected) => expect(parseTimeServer(text)).toMatchObject(expected));

  it.each(["", "a b", "host:0", "host:99999"])("rejects the time server %j", (text) => expect(parseTimeServer(text)).toBeUndefined());
});

describe("planTargets", () => {
  const plan = (extra: Partial<Parameters<typeof planTargets>[0]> = {}) =>
    planTargets({ cloud: "AzureCloud", hostFor: [], connectTo: [], proxyFor: () => undefined, ...extra });

  it("probes each concrete host:port once, standing for every catalog endpoint it serves", () => {
    const { targets, untested } = plan();
    const arm = targets.find((t) => t.host === "management.azure.com" && t.port === 443)!;
    expect(arm.endpoints.map((e) => e.purpose).sort()).toEqual(["identity", "registration"]);
    expect(targets.filter((t) => t.host === "login.microsoftonline.com").map((t) => t.port).sort()).toEqual([443, 80]);
    // A wildcard with no host given takes the host Microsoft's table documents under it, marked as such.
    expect(targets.find((t) => t.wildcard === "*.trafficmanager.net")).toMatchObject({ host: "edgesupprd.trafficmanager.net", representative: "Remote support row" });
    // Wildcards with neither are kept as not tested, with the reason.
    expect(untested.map((u) => u.target.host)).toContain("*.msauth.net");
    expect(untested.map((u) => u.target.host)).not.toContain("*.trafficmanager.net");
    for (const u of untested) expect(u.outcome).toMatchObject({ kind: "not-tested", reason: "wildcard-without-host" });
  });

  it("a concrete host replaces the wildcard, and --only keeps what it names", () => {
    const { targets, untested } = plan({
      hostFor: [{ wildcard: "*.trafficmanager.net", host: "x.trafficmanager.net", source: "--host-for" }],
      only: ["*.trafficmanager.net"],
    });
    expect(targets.map((t) => `${t.host}:${t.port}`)).toEqual(["x.trafficmanager.net:443"]);
    expect(targets[0]!.wildcard).toBe("*.trafficmanager.net");
    expect(untested).toEqual([]);
  });

  it("applies --purpose", () => {
    const { targets } = plan({ purposes: ["registration"] });
    expect(targets.map((t) => t.host)).toEqual(["management.azure.com"]);
  });

  it("checks --host-for against the catalog's wildcards", () => {
    expect(() => plan({ hostFor: [{ wildcard: "*.trafficmanager.net", host: "trafficmanager.net", source: "--host-for" }] })).toThrow(/not a host name under/);
    expect(() => plan({ cloud: "AzureUSGovernment", hostFor: [{ wildcard: "*.trafficmanager.net", host: "a.trafficmanager.net", source: "--host-for" }] })).toThrow(
      /not a wildcard endpoint of this cloud \(wildcards: \*\.usgovtrafficmanager\.net/,
    );
  });
});

function failed(host: string, failure: FailureKind, extra: Partial<EndpointObservation> = {}): EndpointObservation {
  const endpoints = catalogEndpoints("AzureCloud").filter((e) => e.host === host);
  return {
    target: { host: host.replace("*", "x"), port: 443, protocol: "https", path: "/", endpoints },
    outcome: { kind: "failed", failure, stage: "tcp", detail: "seen" },
    stages: [{ stage: "tcp", status: "failed", ms: 3, note: "seen" }],
    ms: 3,
    ...extra,
  };
}

function observations(endpoints: EndpointObservation[], extra: Partial<ProbeObservations> = {}): ProbeObservations {
  return { cloud: "AzureCloud", endpoints, trust: "test", startedAt: 0, ms: 1, ...extra };
}

describe("classification: one table", () => {
  const metas = new Map(PROBE_RULES.map((r) => [r.meta.id, r.meta]));

  it("every entry names a probe rule with the same code; rules have unique ids and slugs and scope probe", () => {
    for (const entry of [...Object.values(FAILURES), LOGIN_FAILURE, TIME_SERVER_SILENT, EXPLICIT_PROXY]) {
      expect(metas.get(entry.rule)?.code, entry.rule).toBe(entry.code);
    }
    expect(metas.get(CLOCK_SKEW.rule)?.code).toBe("Unauthorized");
    expect(metas.has(NOT_TESTED.rule)).toBe(true);
    expect(new Set(PROBE_RULES.map((r) => r.meta.id)).size).toBe(PROBE_RULES.length);
    expect(new Set(PROBE_RULES.map((r) => r.meta.slug)).size).toBe(PROBE_RULES.length);
    for (const rule of PROBE_RULES) {
      expect(rule.meta.scope).toBe("probe");
      expect(rule.meta.id).toMatch(/^BG6\d\d$/);
      expect(rule.meta.slug).toMatch(/^probe(-[a-z0-9]+)+$/);
    }
  });

  it("a login endpoint turns every failure but proven interception into LoginError", () => {
    const login = catalogEndpoints("AzureCloud").find((e) => e.host === "login.microsoftonline.com")!;
    for (const kind of Object.keys(FAILURES) as FailureKind[]) {
      const expected = kind === "certificate-not-trusted" || kind === "certificate-name-mismatch" ? "CertificateValidationError" : "LoginError";
      expect(classifyFailure(kind, login).code, kind).toBe(expected);
    }
  });

  it("the legacy usage endpoint (information only, not probed by default) only ever warns", () => {
    expect(catalogEndpoints("AzureCloud").some((e) => e.purpose === "usage-legacy")).toBe(false);
    const legacy = catalogEndpoints("AzureCloud", { all: true }).find((e) => e.purpose === "usage-legacy")!;
    expect(classifyFailure("connection-refused", legacy)).toMatchObject({ code: "NetworkError", severity: "warning" });
  });

  it("the rules are pure functions of observations, through the engine's pipeline", () => {
    const { report } = runPipeline({ kind: "observations", observations: observations([failed("*.trafficmanager.net", "no-answer")]) }, config);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({ code: "RequestTimedOut", rule: { id: "BG604" }, docs: "docs/rules/BG604.md", resource: { urn: "x.trafficmanager.net:443", type: "probe" } });
    expect(report.summary).toMatchObject({ errors: 1, resources: 1, endpoints: 1 });
  });

  it("a rule disabled in the config reports nothing", () => {
    const disabled = { ...config, rules: { "probe-no-answer": { enabled: false } } };
    expect(evaluate({ kind: "observations", observations: observations([failed("*.trafficmanager.net", "no-answer")]) }, disabled).findings).toEqual([]);
  });

  it("not tested stays a warning even when the configuration raises the rule", () => {
    const raised = { ...config, rules: { "probe-not-tested": { severity: "error" as const } } };
    const plan = planTargets({ cloud: "AzureUSGovernment", hostFor: [], connectTo: [], proxyFor: () => undefined, only: ["*.usgovtrafficmanager.net"] });
    const { findings } = evaluate({ kind: "observations", observations: observations(plan.untested) }, raised);
    expect(findings.map((f) => [f.code, f.severity])).toEqual([["NetworkError", "warning"]]);
  });

  it("suppressions and failOn of the configuration apply to probe findings, as to the audit's", () => {
    const seen = observations([failed("*.trafficmanager.net", "no-answer"), failed("*.cloudapp.azure.com", "connection-refused")]);
    const plain = runPipeline({ kind: "observations", observations: seen }, config);
    expect(plain.report.findings.map((f) => f.rule.id).sort()).toEqual(["BG602", "BG604"]);
    expect(plain.fails).toBe(true);

    const suppressing = parseConfig(
      { suppressions: [{ rule: "BG604", resource: "x.trafficmanager.net:443", justification: "Traffic Manager probe blocked on this jump host only (CHG-1)" }] },
      "bridgeguard.yaml",
    );
    const judged = runPipeline({ kind: "observations", observations: seen }, suppressing, { today: "2026-01-01" });
    const bg604 = judged.report.findings.find((f) => f.rule.id === "BG604")!;
    expect(bg604.suppression?.justification).toMatch(/CHG-1/);
    expect(judged.report.summary).toMatchObject({ errors: 1, suppressed: 1 });
    expect(judged.fails).toBe(true);

    // Both suppressed: nothing active is left at the gate.
    const both = parseConfig({ suppressions: [{ rule: "NetworkError", resource: "*", justification: "lab network" }, ...suppressing.suppressions!] }, "bridgeguard.yaml");
    expect(runPipeline({ kind: "observations", observations: seen }, both, { today: "2026-01-01" }).fails).toBe(false);
    // failOn: none passes what would fail; failOn: warning fails on a warning alone.
    expect(runPipeline({ kind: "observations", observations: seen }, { ...config, failOn: "none" }).fails).toBe(false);
    const warningOnly = observations([failed("*.cloudapp.azure.com", "protocol-error")]);
    expect(runPipeline({ kind: "observations", observations: warningOnly }, config).report.summary).toMatchObject({ errors: 0, warnings: 1 });
    expect(runPipeline({ kind: "observations", observations: warningOnly }, config).fails).toBe(false);
    expect(runPipeline({ kind: "observations", observations: warningOnly }, { ...config, failOn: "warning" }).fails).toBe(true);
  });

  it("a suppression of an audit rule is not stale in a probe run, one of a probe rule that matches nothing is", () => {
    const shared = parseConfig(
      {
        suppressions: [
          { rule: "BG203", resource: "*", justification: "legacy host retired (CHG-2)" },
          { rule: "BG601", resource: "nowhere:443", justification: "typo'd host (CHG-3)" },
        ],
      },
      "bridgeguard.yaml",
    );
    const { report } = runPipeline({ kind: "observations", observations: observations([failed("management.azure.com", "connection-refused")]) }, shared, {
      suppressionSource: "bridgeguard.yaml",
    });
    expect(report.notices?.map((n) => [n.kind, n.message.includes("suppressions[1]")])).toEqual([["suppression-stale", true]]);
  });

  it.each(["docs/probe.md", "README.md"])("%s prints the table as the code has it", (file) => {
    const doc = fs.readFileSync(path.join(ROOT, file), "utf8");
    expect(doc).toContain(renderClassificationTable());
  });
});

describe("config: probe block", () => {
  it("accepts hosts, proxy, timeout and concurrency", () => {
    const parsed = parseConfig({ probe: { hosts: { "*.trafficmanager.net": "x.trafficmanager.net" }, proxy: "http://p:3128", timeout: "20s", concurrency: 4 } }, "bridgeguard.yaml");
    expect(parsed.probe).toEqual({ hosts: { "*.trafficmanager.net": "x.trafficmanager.net" }, proxy: "http://p:3128", timeout: "20s", concurrency: 4 });
    expect(parseConfig({}, "x").probe).toBeUndefined();
  });

  it("rejects unknown keys and bad values, naming the path", () => {
    expect(() => parseConfig({ probe: { host: {} } }, "bridgeguard.yaml")).toThrow(/bridgeguard\.yaml: probe\.host: unknown key "host"/);
    expect(() => parseConfig({ probe: { timeout: "soon" } }, "bridgeguard.yaml")).toThrow(/probe\.timeout/);
    expect(() => parseConfig({ probe: { concurrency: 0 } }, "bridgeguard.yaml")).toThrow(/probe\.concurrency/);
  });
});
