import * as fs from "node:fs";

/** A stack export as a state backend stores it: the checkpoint envelope (apitype.VersionedCheckpoint). */
export function checkpointOf(exportFile: string, stack: string): string {
  const exported = JSON.parse(fs.readFileSync(exportFile, "utf8")) as { version: number; deployment: unknown };
  return JSON.stringify({ version: exported.version, checkpoint: { stack, latest: exported.deployment } }, null, 4);
}
