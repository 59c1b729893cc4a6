/**
 * Where a command's reports go: `--format FORMAT[:FILE]`, repeatable, and `--output FILE`.
 *
 *   --format text                                  text to stdout (the default)
 *   --format sarif --output bridgeguard.sarif      SARIF to a file
 *   --format text --format sarif:bridgeguard.sarif --format junit:junit.xml
 *                                                  text to stdout, SARIF and JUnit to files, one run
 *
 * A format without a file goes to `--output` if given, else to stdout; `-` as a file is stdout. At most one
 * report goes to stdout, and no two to one file. Files are written atomically (`write-file.ts`), each one
 * whole or not at all; the caller checks that none names an input (`file-identity.ts`).
 */
import { InvalidArgumentError, Option } from "commander";
import { UserError } from "../model/errors";
import { STDIN as DASH } from "../input/json";
import { writeFileAtomic } from "./write-file";

/** One report to write: a format and its file, or undefined for stdout. */
export interface ReportTarget<F extends string = string> {
  format: F;
  file?: string;
  /** The option that named the file, for messages: `--output`, `--format sarif:FILE`. */
  flag: string;
}

/** What `--format` collected: formats in order, each with the file written after its colon, if any. */
export interface FormatSpec<F extends string = string> {
  format: F;
  file?: string;
}

/**
 * `-f, --format <format[:file]>`, repeatable. The first colon separates the format from the file, so a
 * Windows path (`sarif:C:\out\a.sarif`) keeps its own.
 */
export function formatTargetsOption<F extends string>(formats: readonly F[], fallback: F = formats[0]!): Option {
  return new Option("-f, --format <format[:file]>", `output format (${formats.join(", ")}), optionally with its own file; repeat for several reports (default: ${fallback})`).argParser(
    (value: string, previous: FormatSpec<F>[] | undefined): FormatSpec<F>[] => {
      const colon = value.indexOf(":");
      const format = (colon < 0 ? value : value.slice(0, colon)) as F;
      const file = colon < 0 ? undefined : value.slice(colon + 1);
      if (!formats.includes(format)) throw new InvalidArgumentError(`expected one of ${formats.join(", ")}, optionally followed by :FILE`);
      if (file === "") throw new InvalidArgumentError(`expected a file after "${format}:" (or - for stdout)`);
      return [...(previous ?? []), file === undefined ? { format } : { format, file }];
    },
  );
}

/**
 * The reports to write, from `--format` (none given: `fallback`) and `--output`. Throws a usage error when
 * two reports would go to stdout, or when `--output` is given but every format names its own file.
 */
export function reportTargets<F extends string>(specs: readonly FormatSpec<F>[] | undefined, output: string | undefined, fallback: F): ReportTarget<F>[] {
  const given = specs && specs.length > 0 ? specs : [{ format: fallback }];
  const targets = given.map((spec): ReportTarget<F> => {
    if (spec.file !== undefined) return { format: spec.format, flag: `--format ${spec.format}:FILE`, ...(spec.file === DASH ? {} : { file: spec.file }) };
    return { format: spec.format, flag: "--output", ...(output === undefined || output === DASH ? {} : { file: output }) };
  });
  if (output !== undefined && given.every((spec) => spec.file !== undefined)) {
    throw UserError.at(undefined, undefined, `--output ${output}: every --format names its own file, so --output would write nothing: leave it out, or drop a format's :FILE`);
  }
  const toStdout = targets.filter((t) => t.file === undefined);
  if (toStdout.length > 1) {
    throw UserError.at(undefined, undefined, `--format ${toStdout.map((t) => t.format).join(", --format ")}: only one report can go to stdout: give the others a file (--format ${toStdout[1]!.format}:FILE)`);
  }
  return targets;
}

/**
 * Renders and writes each report: files atomically, stdout last (so a report on stdout is never followed
 * by a write error about a file). `render(format, toStdout)` lets the stdout report be coloured.
 */
export function writeReports<F extends string>(targets: readonly ReportTarget<F>[], render: (format: F, toStdout: boolean) => string): void {
  for (const target of targets) {
    if (target.file !== undefined) writeFileAtomic(target.file, withNewline(render(target.format, false)), "the report");
  }
  for (const target of targets) {
    if (target.file === undefined) process.stdout.write(withNewline(render(target.format, true)));
  }
}

function withNewline(text: string): string {
  return text.endsWith("\n") ? text : `${text}\n`;
}
