import * as fs from "node:fs";
import { UserError } from "../model/errors";

/** Writes a report to `--output FILE` (creating nothing else) or to stdout. */
export function writeOutput(text: string, output: string | undefined): void {
  const body = text.endsWith("\n") ? text : `${text}\n`;
  if (!output) {
    process.stdout.write(body);
    return;
  }
  try {
    fs.writeFileSync(output, body);
  } catch (error) {
    throw UserError.at(output, undefined, `cannot write the report: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}
