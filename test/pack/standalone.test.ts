/**
 * The pack starts wherever it is copied or installed: nothing in it refers outside its directory.
 *
 * The copy is the whole built `policies/` directory but its `node_modules` (what docs/policy-pack.md says
 * to copy; `pulumi policy publish` uploads less: what `npm pack` packs), in a temporary directory outside
 * the repository, so that Node cannot find the
 * repository's `node_modules` by walking up. Its `node_modules` holds a link to each of the pack's own
 * `dependencies` (the packages `npm install --omit=dev` would put there, at the repository's versions): a
 * package the compiled pack requires but does not declare is missing, as it would be for a user. Pulumi's
 * runner then starts it and the engine's requests go over gRPC (./harness.ts).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { policyPackConfig } from "../../src/pack/config";
import { exampleConfig, healthyWith, ofRule, setProp } from "./fixtures";
import { PACK_DIR, PackHarness } from "./harness";
import { linkDependencies, packedFiles } from "./links";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bg-pack-copy-"));
const copy = path.join(tmp, "policies");
let pack: PackHarness;

beforeAll(async () => {
  fs.cpSync(PACK_DIR, copy, { recursive: true, filter: (source) => path.basename(source) !== "node_modules" });
  const manifest = JSON.parse(fs.readFileSync(path.join(copy, "package.json"), "utf8")) as { dependencies: Record<string, string> };
  linkDependencies(copy, Object.keys(manifest.dependencies));
  pack = await PackHarness.start(copy);
}, 60_000);

afterAll(async () => {
  await pack?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("the pack copied out of the repository", () => {
  it("holds no tsconfig.json (Pulumi's runner would load it) and no file from outside its directory", () => {
    const files = packedFiles(PACK_DIR);
    expect(files).toContain("bin/policies/index.js");
    expect(files).toContain("PulumiPolicy.yaml");
    expect(files.filter((f) => /(^|\/)tsconfig[^/]*\.json$/.test(f))).toEqual([]);
    expect(fs.existsSync(path.join(PACK_DIR, "tsconfig.json"))).toBe(false);
  });

  it("starts from the copy and checks resources over gRPC, as the engine drives it", async () => {
    expect(pack.info.name).toBe("bridgeguard");
    expect(pack.info.policies.length).toBeGreaterThan(0);
    await pack.configure(policyPackConfig(exampleConfig()));
    const stack = healthyWith((r) => setProp(r("registration"), "location", "westeurope"));
    const [location] = ofRule(await pack.analyzeAll(stack), "BG104");
    expect(location!.level).toBe("mandatory");
    // Nothing on stderr: the secret masking and the configure guard found the SDK they expect.
    expect(pack.stderr()).toBe("");
  });
});
