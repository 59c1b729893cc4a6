/**
 * The SARIF report through Microsoft's SARIF multitool (`@microsoft/sarif-multitool`, which ships the
 * validator as a native binary per platform): `validate --rule-kind "Sarif;Gh;Ado"` runs the SARIF rules
 * and the rules GitHub code scanning and GitHub Advanced Security for Azure DevOps ingestion apply.
 * One run of the binary validates every log of this file (it takes seconds to start).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type * as Sarif from "sarif";
import { beforeAll, describe, expect, it } from "vitest";
import { adoPipeline } from "../../src/cli/ado-pipeline";
import { renderReport } from "../../src/report";
import { exampleConfig, misconfigured, runCli } from "../cli/run-cli";
import { RULES, cleanReport, sampleReport } from "./sample";

/** The binary's path (the package resolves it for this platform), or why there is none. */
function multitool(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("@microsoft/sarif-multitool") as string;
}

/** An Azure DevOps agent's predefined variables (values invented). */
const ADO_ENV: NodeJS.ProcessEnv = {
  TF_BUILD: "True",
  SYSTEM_COLLECTIONURI: "https://dev.azure.com/contoso/",
  SYSTEM_TEAMPROJECTID: "0e7b6a4c-2f2b-4c55-9c57-1f4d3b7a9e10",
  BUILD_DEFINITIONID: "42",
  BUILD_DEFINITIONNAME: "stamp-egress",
  BUILD_BUILDID: "1234",
  SYSTEM_PHASEID: "6f1d2c3b-4a5e-4f60-8b7c-9d0e1f2a3b4c",
  SYSTEM_PHASENAME: "audit",
  BUILD_SOURCEBRANCH: "refs/heads/main",
};

function ado(): NonNullable<Parameters<typeof renderReport>[3]>["automationDetails"] {
  const pipeline = adoPipeline(ADO_ENV);
  if (pipeline.kind !== "pipeline") throw new Error(`not a pipeline: ${JSON.stringify(pipeline)}`);
  return pipeline.automationDetails;
}

interface Problem {
  file: string;
  rule: string;
  level: string;
}

const logs: Record<string, string> = {};
let problems: Problem[] = [];

beforeAll(() => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bridgeguard-sarif-"));
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    logs[name] = file;
  };
  const sarif = (report = sampleReport(), options: Parameters<typeof renderReport>[3] = {}) =>
    renderReport("sarif", report, RULES, { artifactUri: "stacks/prod.json", ...options });
  write("github.sarif", sarif());
  write("github-clean.sarif", sarif(cleanReport()));
  write("ado.sarif", sarif(sampleReport(), { automationDetails: ado() }));
  // What the previous version wrote: no fullName, no automationDetails.
  const old = JSON.parse(sarif()) as Sarif.Log;
  delete old.runs[0]!.automationDetails;
  delete old.runs[0]!.tool.driver.fullName;
  write("previous.sarif", JSON.stringify(old, null, 2));
  // The CLI, in an Azure DevOps pipeline and out of one.
  const cli = (env: NodeJS.ProcessEnv) => runCli(["audit", misconfigured, "--config", exampleConfig, "--format", "sarif"], { env }).stdout;
  write("cli.sarif", cli({ TF_BUILD: "" }));
  write("cli-ado.sarif", cli(ADO_ENV));

  const out = path.join(dir, "validation.sarif");
  const run = spawnSync(
    multitool(),
    ["validate", ...Object.values(logs), "--rule-kind", "Sarif;Gh;Ado", "--level", "Error;Warning", "--config", path.join(__dirname, "sarif-multitool.config.xml"), "--output", out, "--log", "ForceOverwrite"],
    { encoding: "utf8", env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: "1" }, timeout: 120_000 },
  );
  if (!fs.existsSync(out)) throw new Error(`the SARIF multitool wrote no result (exit ${run.status}): ${run.stderr}${run.stdout}`);
  const validation = JSON.parse(fs.readFileSync(out, "utf8")) as Sarif.Log;
  problems = (validation.runs[0]?.results ?? []).map((r) => ({
    file: path.basename(decodeURIComponent(new URL(r.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? "file:///").pathname)),
    rule: r.ruleId ?? "",
    level: r.level ?? "warning",
  }));
  fs.rmSync(dir, { recursive: true, force: true });
}, 180_000);

const of = (file: string) => problems.filter((p) => p.file === file).map((p) => `${p.level} ${p.rule}`);

describe("sarif report, validated by Microsoft's SARIF multitool", () => {
  it("the validator runs and finds what the previous version lacked, so a clean result means something", () => {
    expect(of("previous.sarif")).toEqual(expect.arrayContaining(["error GHAzDO1014", "error GHAzDO1018"]));
  });

  it("passes the SARIF and GitHub rules, and the Azure DevOps ones in a pipeline", () => {
    expect(of("ado.sarif")).toEqual([]);
    expect(of("cli-ado.sarif")).toEqual([]);
  });

  it("outside an Azure DevOps pipeline, lacks only the pipeline's identity that Azure DevOps ingestion requires", () => {
    for (const file of ["github.sarif", "github-clean.sarif", "cli.sarif"]) {
      expect([...new Set(of(file))].sort(), file).toEqual(["error GHAzDO1019", "error GHAzDO1020"]);
    }
  });
});
