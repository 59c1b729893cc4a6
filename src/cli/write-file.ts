/**
 * Writing a file so that a reader never sees half of it: the report, the baseline, `policy-config`.
 *
 * The text goes to a temporary file beside the target (same directory, so the same file system), is
 * flushed to the disk (`fsync`), and is then renamed over the target. `rename(2)` replaces a file in one
 * step (POSIX: "If the link named by the new argument exists, it shall be removed and old renamed to new"
 * atomically), so a failed write (a full disk, `ulimit -f`: EFBIG), a kill in the middle, or two runs
 * writing the same file leave either the previous file or a whole new one, never an empty or mixed one.
 * A temporary file a kill left behind is named `.<target>.<pid>.<random>.tmp`.
 *
 * A target that is a symbolic link is written through it: the link's target is replaced, the link stays.
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { UserError } from "../model/errors";
import { describeIoError } from "../model/io-error";

/** Where a write to `file` lands: the file a symbolic link points to, or `file` itself. */
function writeTarget(file: string): string {
  try {
    if (fs.lstatSync(file).isSymbolicLink()) return fs.realpathSync(file);
  } catch {
    // Missing (or a dangling link): write at the path given.
  }
  return file;
}

function writeAll(fd: number, data: Buffer): void {
  let offset = 0;
  while (offset < data.length) offset += fs.writeSync(fd, data, offset, data.length - offset);
}

/**
 * Writes `text` to `file` atomically (see the module comment). `what` names the file's role in the error
 * (`the report`): `<file>: cannot write the report: <cause in words>`; a UserError (exit 2).
 */
export function writeFileAtomic(file: string, text: string, what: string): void {
  const target = writeTarget(file);
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  let fd: number | undefined;
  try {
    let mode = 0o666;
    try {
      const existing = fs.statSync(target);
      if (existing.isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
      // Keep the permissions of the file being replaced (a report readable by a group stays so).
      mode = existing.mode & 0o7777;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    fd = fs.openSync(temporary, "wx", mode);
    if (mode !== 0o666) fs.fchmodSync(fd, mode);
    writeAll(fd, Buffer.from(text, "utf8"));
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(temporary, target);
  } catch (error) {
    if (fd !== undefined) {
      try {
        fs.closeSync(fd);
      } catch {
        // Already failing: the first cause is the one to report.
      }
    }
    try {
      fs.unlinkSync(temporary);
    } catch {
      // Never created, or already renamed.
    }
    throw UserError.at(file, undefined, `cannot write ${what}: ${describeIoError(error)}`);
  }
  syncDirectory(path.dirname(target));
}

/** Makes the rename itself durable; not every system can open a directory for this, so it is best effort. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, "r");
    fs.fsyncSync(fd);
  } catch {
    // The file is written and renamed; only its survival of a power cut is less certain.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
