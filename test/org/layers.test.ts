/**
 * The layers of `src/` point one way. Every import of every module under `src/` is read with the
 * TypeScript compiler's own import scanner (`ts.preProcessFile`: static imports, `export ... from`,
 * `import type`, dynamic `import()` and `require()`, never text inside comments or strings), resolved to
 * the directory it lands in, and checked against the order below: a module may import its own directory
 * and any directory of a lower layer, nothing else. A directory missing from the order fails too, so a
 * new one is placed on purpose.
 *
 *   model <- catalog <- input <- config <- evaluate <- analysis <- allowlist <- fixes <- rules <- engine <- report
 *         <- front ends (probe's network I/O, docs, the component; then pack and program; then the CLI)
 *
 * Type-only imports count: a layer that names an upper layer's types depends on it as surely as one that
 * calls it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const SRC = path.resolve(__dirname, "../../src");

/**
 * From the bottom up. A unit is a directory under `src/` or a file directly in it. Units of one layer may
 * not import each other.
 */
const LAYERS: readonly (readonly string[])[] = [
  // The package's own manifest: its version, and where it is published (both read from package.json).
  ["version.ts"],
  // What things are: resources, findings, observations, paths, errors; the docs paths.
  ["model", "schemas", "project.ts", "peer.ts"],
  // Facts: the endpoint catalog, the clouds, the five error codes (data in model's shapes).
  ["catalog"],
  // Reading files into model (stack exports, ARM JSON, previews); bounded reads.
  ["input"],
  // The configuration: schema, validation, loading.
  ["config"],
  // Pure decisions: firewall, NSG, routes, the bridge's path.
  ["evaluate"],
  // What the rules read: the required flows, the egress analysis over the path.
  ["analysis"],
  // The allow-list generator (fixes add its rules).
  ["allowlist"],
  // The fix planner: one fix per cause, from what the verdicts and gates carry.
  ["fixes"],
  // One file per rule, and the probe rules' classification.
  ["rules"],
  // The pipeline: rules on a subject, suppressions, baseline, summary, the fail verdict.
  ["engine"],
  // Renderers of the report model.
  ["report"],
  // Front ends: the live probe's network I/O, the docs generator, the Pulumi component.
  ["probe", "docs", "component"],
  // Front ends: the policy pack, the verification program.
  ["pack", "program"],
  // The CLI (it also maps configuration onto the pack and drives the probe), and the library's entry.
  ["cli", "index.ts"],
];

const RANK = new Map<string, number>(LAYERS.flatMap((units, rank) => units.map((unit) => [unit, rank] as const)));

/** `model` for src/model/finding.ts, `index.ts` for src/index.ts. */
function unitOf(file: string): string {
  const relative = path.relative(SRC, file).split(path.sep);
  return relative[0]!;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

interface Edge {
  from: string;
  to: string;
  file: string;
  specifier: string;
}

/** Every import of `src/` that lands in another unit of `src/`. */
function crossUnitImports(): Edge[] {
  const edges: Edge[] = [];
  for (const file of sourceFiles(SRC)) {
    const info = ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true);
    for (const imported of info.importedFiles) {
      const specifier = imported.fileName;
      if (!specifier.startsWith(".")) continue;
      const target = path.resolve(path.dirname(file), specifier);
      if (!target.startsWith(SRC + path.sep)) continue;
      // `../version` is the file src/version.ts; `../model/finding` lands in the directory model.
      const relative = path.relative(SRC, target).split(path.sep);
      const to = relative.length === 1 && !fs.existsSync(target) ? `${relative[0]}.ts` : relative[0]!;
      const from = unitOf(file);
      if (from !== to) edges.push({ from, to, file: path.relative(SRC, file), specifier });
    }
  }
  return edges;
}

/** The strongly connected components of more than one unit (Tarjan): each is a cycle between directories. */
function cycles(edges: readonly Edge[]): string[][] {
  const graph = new Map<string, Set<string>>();
  for (const e of edges) {
    if (!graph.has(e.from)) graph.set(e.from, new Set());
    if (!graph.has(e.to)) graph.set(e.to, new Set());
    graph.get(e.from)!.add(e.to);
  }
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node)!) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return components;
}

describe("the required flows are expanded from the catalog in one place (src/analysis/flows.ts)", () => {
  const files = sourceFiles(SRC).map((file) => ({ file: path.relative(SRC, file), text: fs.readFileSync(file, "utf8") }));
  const outside = (file: string) => !file.startsWith(`catalog${path.sep}`) && file !== path.join("analysis", "flows.ts");

  it("nothing else reads the catalog's required endpoints (catalogEndpoints without all), or splits a server's port", () => {
    const readers = files.filter(({ file, text }) => outside(file) && /catalogEndpoints\([^)]*\)/.test(text.replace(/catalogEndpoints\([^)]*all: true[^)]*\)/g, "")));
    expect(readers.map((r) => r.file)).toEqual([]);
    expect(files.filter(({ file, text }) => outside(file) && /splitHostPort\(/.test(text)).map((r) => r.file)).toEqual([]);
  });

  it("the pattern finds a reader when there is one (the check can fail)", () => {
    expect(/catalogEndpoints\([^)]*\)/.test("for (const e of catalogEndpoints(cloud)) {}")).toBe(true);
    expect(files.some(({ file, text }) => !outside(file) && /catalogEndpoints\(/.test(text))).toBe(true);
  });
});

describe("layers of src/", () => {
  const edges = crossUnitImports();

  it("reads the imports it checks (the scanner finds the engine's imports of the rules)", () => {
    // A scanner that found nothing would pass every check below.
    expect(edges.length).toBeGreaterThan(100);
    expect(edges.some((e) => e.from === "engine" && e.to === "rules")).toBe(true);
    expect(edges.some((e) => e.from === "rules" && e.to === "analysis")).toBe(true);
  });

  it("places every directory and top-level file of src/ in a layer", () => {
    const units = fs.readdirSync(SRC).filter((name) => name.endsWith(".ts") || fs.statSync(path.join(SRC, name)).isDirectory());
    expect(units.filter((unit) => !RANK.has(unit))).toEqual([]);
  });

  it("has no import from a layer to a higher one, or between units of one layer", () => {
    const upward = edges
      .filter((e) => RANK.get(e.to)! >= RANK.get(e.from)!)
      .map((e) => `${e.file} imports ${e.specifier} (${e.from} -> ${e.to})`);
    expect(upward).toEqual([]);
  });

  it("keeps what the rules read below them: nothing in analysis, the fix planner or a lower layer imports the rules", () => {
    const below = (unit: string) => RANK.get(unit)! < RANK.get("rules")!;
    expect(["evaluate", "analysis", "fixes"].every(below)).toBe(true);
    expect(edges.some((e) => e.from === "rules" && e.to === "fixes")).toBe(true);
    expect(edges.filter((e) => below(e.from) && e.to === "rules").map((e) => `${e.file} imports ${e.specifier}`)).toEqual([]);
  });

  it("the fix planner reads what the verdicts carry: it never looks resources up in the resource set", () => {
    // A planner that joined resources again (ofKind, a ResourceSet) could name another resource than the verdict did.
    const planner = sourceFiles(path.join(SRC, "fixes")).map((file) => ({ file: path.relative(SRC, file), text: fs.readFileSync(file, "utf8") }));
    expect(planner.length).toBeGreaterThan(0);
    expect(planner.filter(({ text }) => /\bofKind\b|\bResourceSet\b|analyzeEgress\(/.test(text)).map((p) => p.file)).toEqual([]);
  });

  it("has no cycle between directories", () => {
    expect(cycles(edges)).toEqual([]);
  });

  it("finds a cycle and an upward import when there is one (the checks can fail)", () => {
    const planted: Edge[] = [...edges, { from: "rules", to: "engine", file: "rules/x.ts", specifier: "../engine/run" }];
    expect(cycles(planted)).toContainEqual(["engine", "rules"]);
    expect(planted.filter((e) => RANK.get(e.to)! >= RANK.get(e.from)!)).toHaveLength(1);
  });
});
