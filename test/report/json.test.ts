import Ajv from "ajv";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { ERROR_CODES } from "../../src/catalog/codes";
import type { EndpointProtocol, EndpointPurpose } from "../../src/catalog/endpoints";
import { renderJson } from "../../src/report/json";
import schema from "../../src/schemas/report.schema.json";
import { cleanReport, sampleReport } from "./sample";

const ajv = new Ajv({ allErrors: true, strict: true });
addFormats(ajv);
const validate = ajv.compile(schema);

/** Exhaustive by type: adding a purpose to EndpointPurpose fails to compile until it is listed here. */
const PURPOSES: Record<EndpointPurpose, true> = {
  usage: true,
  "usage-legacy": true,
  "microsoft-crl": true,
  "remote-support": true,
  telemetry: true,
  registration: true,
  identity: true,
  time: true,
  dns: true,
  marketplace: true,
  patch: true,
  defender: true,
  diagnostics: true,
};
const PROTOCOLS: Record<EndpointProtocol, true> = { https: true, http: true, udp: true, tcp: true };

function parsed(): Record<string, unknown> & { findings: Record<string, unknown>[] } {
  return JSON.parse(renderJson(sampleReport()));
}

describe("json report", () => {
  it("is the report contract, pretty-printed with two spaces, findings in stable order", () => {
    const text = renderJson(sampleReport());
    expect(text.endsWith("}\n")).toBe(true);
    expect(text).toContain('\n  "schemaVersion": 2,\n');
    const report = parsed();
    expect(Object.keys(report)).toEqual(["$schema", "schemaVersion", "tool", "catalog", "findings", "summary"]);
    // The schema shipped in the package of the version that wrote the report.
    expect(report.$schema).toBe(`https://unpkg.com/bridgeguard@${(report.tool as { version: string }).version}/src/schemas/report.schema.json`);
    expect(report.summary).toEqual({ errors: 4, warnings: 2, resources: 14, endpoints: 17 });
    expect(report.findings.map((f) => (f.rule as { id: string }).id)).toEqual(["BG101", "BG201", "BG203", "BG201", "BG501", "BG301"]);
    expect(report.findings[0].endpoints).toEqual([]);
  });

  it("carries no property beyond the contract", () => {
    const report = sampleReport();
    Object.assign(report.findings[0], { secret: "hunter2" });
    Object.assign(report.findings[0].resource, { inputs: { password: "hunter2" } });
    expect(renderJson(report)).not.toContain("hunter2");
  });

  it("validates against schemas/report.schema.json", () => {
    for (const report of [parsed(), JSON.parse(renderJson(cleanReport()))]) {
      expect(validate(report), ajv.errorsText(validate.errors)).toBe(true);
    }
  });

  it("rejects a report with an undocumented code, severity, purpose or version", () => {
    const cases: [string, (r: ReturnType<typeof parsed>) => void][] = [
      ["wrong code", (r) => (r.findings[1].code = "NetworkFailure")],
      ["wrong severity", (r) => (r.findings[1].severity = "info")],
      ["wrong purpose", (r) => ((r.findings[1].endpoints as Record<string, unknown>[])[0]!.purpose = "billing")],
      ["wrong protocol", (r) => ((r.findings[1].endpoints as Record<string, unknown>[])[0]!.protocol = "ftp")],
      ["schemaVersion 1", (r) => (r.schemaVersion = 1)],
      ["missing remediation", (r) => delete r.findings[1].remediation],
      ["endpoints absent instead of empty", (r) => delete r.findings[0].endpoints],
      ["a version 1 endpoint", (r) => (r.findings[0].endpoint = null)],
      ["unknown key", (r) => (r.findings[1].extra = true)],
    ];
    for (const [name, mutate] of cases) {
      const report = parsed();
      mutate(report);
      expect(validate(report), name).toBe(false);
    }
    const wrongCode = parsed();
    wrongCode.findings[1].code = "NetworkFailure";
    validate(wrongCode);
    expect(validate.errors?.some((e) => e.instancePath === "/findings/1/code" && e.keyword === "enum")).toBe(true);
  });

  it("keeps its enums in step with the TypeScript types", () => {
    const defs = (schema as { definitions: Record<string, { properties: Record<string, { enum?: string[] }> }> }).definitions;
    expect(defs.finding.properties.code.enum).toEqual([...ERROR_CODES]);
    expect(defs.finding.properties.severity.enum).toEqual(["error", "warning"]);
    expect([...(defs.endpoint.properties.purpose.enum ?? [])].sort()).toEqual(Object.keys(PURPOSES).sort());
    expect([...(defs.endpoint.properties.protocol.enum ?? [])].sort()).toEqual(Object.keys(PROTOCOLS).sort());
  });
});
