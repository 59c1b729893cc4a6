/**
 * No output may name an input: `--output s.json` when `s.json` is the stack export being audited would
 * replace the export with its own report. Files are compared by what they are, not by how they are
 * written: the device and inode number (`stat`, following symbolic links), so `./s.json`, `dir/../s.json`,
 * a symbolic link to it and a hard link to it are all the same file. A path that does not exist yet is
 * compared by its real directory and name, so that two outputs cannot name one new file either.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { UserError } from "../model/errors";
import { STDIN } from "../input/json";

/** A file the command reads, with the role that names it in a message (`audited`, `--config`). */
export interface NamedInput {
  file: string;
  role: string;
}

/** A file the command writes, with the option that names it (`--output`, `--format sarif:FILE`). */
export interface NamedOutput {
  file: string;
  flag: string;
}

/** `dev:ino` of what `file` is (symbolic links followed), or undefined when it does not exist. */
export function fileIdentity(file: string): string | undefined {
  try {
    const stat = file === STDIN ? fs.fstatSync(0, { bigint: true }) : fs.statSync(file, { bigint: true });
    // Standard input is an input file only when it was redirected from one (`< s.json`).
    if (file === STDIN && !stat.isFile()) return undefined;
    return `${stat.dev}:${stat.ino}`;
  } catch {
    return undefined;
  }
}

/** What `file` is, or, for a file not yet written, where it will be: its real directory and its name. */
function outputKey(file: string): string {
  const identity = fileIdentity(file);
  if (identity) return identity;
  const dir = path.dirname(path.resolve(file));
  try {
    return `new:${path.join(fs.realpathSync(dir), path.basename(file))}`;
  } catch {
    return `new:${path.resolve(file)}`;
  }
}

/**
 * Throws a usage error (exit 2) when an output is one of the inputs, or when two outputs are one file.
 * Called before anything is read or written.
 */
export function checkOutputsAreNotInputs(outputs: readonly NamedOutput[], inputs: readonly NamedInput[]): void {
  const inputsByIdentity = new Map<string, NamedInput>();
  for (const input of inputs) {
    const identity = fileIdentity(input.file);
    if (identity && !inputsByIdentity.has(identity)) inputsByIdentity.set(identity, input);
  }
  const seen = new Map<string, NamedOutput>();
  for (const output of outputs) {
    // `-` is standard output here.
    if (output.file === STDIN) continue;
    const identity = fileIdentity(output.file);
    const input = identity ? inputsByIdentity.get(identity) : undefined;
    if (input) {
      const same = input.file === output.file ? "" : ` (the same file as ${input.file})`;
      throw UserError.at(output.file, undefined, `${output.flag} names an input of this run, the ${input.role} file${same}: refusing to overwrite it; write to another file`);
    }
    const key = outputKey(output.file);
    const earlier = seen.get(key);
    if (earlier) throw UserError.at(output.file, undefined, `${output.flag} names the file ${earlier.flag} already writes: give each report its own file`);
    seen.set(key, output);
  }
}
