/**
 * `bridgeguard audit ... | head -1`: the reader closes the pipe early. A Unix tool ends quietly (SIGPIPE);
 * bridgeguard must too, never "internal error: write EPIPE". A real pipe, through a real `head`.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { exampleConfig, misconfigured, ROOT } from "./run-cli";

describe("stdout closed early by its reader", () => {
  it("audit ... | head -1 prints the first line, nothing on stderr, and ends with 141 (128 + SIGPIPE)", () => {
    // SARIF of the misconfigured example is larger than a pipe's buffer (64 KiB): the writer is still
    // writing when head exits, so it meets the closed pipe.
    const bin = path.join(ROOT, "bin", "bridgeguard.js");
    const command = `"${process.execPath}" "${bin}" audit "${misconfigured}" --config "${exampleConfig}" --format sarif 2>stderr.txt | head -1; echo "status=\${PIPESTATUS[0]}"; cat stderr.txt; rm -f stderr.txt`;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bridgeguard-pipe-"));
    const result = spawnSync("bash", ["-c", command], { cwd: dir, encoding: "utf8" });
    fs.rmSync(dir, { recursive: true, force: true });
    const lines = result.stdout.split("\n");
    expect(lines[0]).toBe("{");
    expect(lines[1]).toBe("status=141");
    // Nothing on stderr: no "internal error", no stack.
    expect(lines.slice(2).join("\n").trim()).toBe("");
  });
});
