import { STDIN as DASH } from "../input/json";
import { writeFileAtomic } from "./write-file";

/**
 * Writes one command's output to `--output FILE` (atomically: the file is whole or untouched) or, without
 * it or with `--output -`, to stdout. `what` names it in a write error (`the report`, `the policy pack
 * configuration`).
 */
export function writeOutput(text: string, output: string | undefined, what = "the report"): void {
  const body = text.endsWith("\n") ? text : `${text}\n`;
  if (output === undefined || output === DASH) {
    process.stdout.write(body);
    return;
  }
  writeFileAtomic(output, body, what);
}
