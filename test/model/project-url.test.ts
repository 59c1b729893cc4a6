/** The project's published home comes from package.json's `repository` (one place), as npm reads it. */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { DOCS_URL, PROJECT_URL, repositoryUrl } from "../../src/project";

const root = path.resolve(__dirname, "../..");

describe("the project's URL", () => {
  it("is package.json's repository, as a web URL, in the CLI's and the pack's manifests alike", () => {
    for (const file of ["package.json", "policies/package.json"]) {
      const manifest = JSON.parse(fs.readFileSync(path.join(root, file), "utf8")) as { repository?: unknown };
      expect(repositoryUrl(manifest.repository), file).toBe(PROJECT_URL);
    }
    expect(DOCS_URL).toBe(`${PROJECT_URL}/blob/main/`);
  });

  it("reads npm's spellings of the field", () => {
    expect(repositoryUrl({ type: "git", url: "git+https://github.com/o/r.git" })).toBe("https://github.com/o/r");
    expect(repositoryUrl("github:o/r")).toBe("https://github.com/o/r");
    expect(repositoryUrl("o/r")).toBe("https://github.com/o/r");
    expect(repositoryUrl("https://dev.azure.com/org/proj/_git/repo")).toBe("https://dev.azure.com/org/proj/_git/repo");
    expect(repositoryUrl("git@github.com:o/r.git")).toBeUndefined();
    expect(repositoryUrl(undefined)).toBeUndefined();
  });
});
