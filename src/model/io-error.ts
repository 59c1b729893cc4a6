/** Turns a failed system call into words: a user reads "permission denied", not "EACCES". */

/** The cause of a failed read or write in words, with the system's code (for searching) in parentheses. */
export function describeIoError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const words: Record<string, string> = {
    ENOENT: "no such file or directory (its directory does not exist)",
    EACCES: "permission denied",
    EPERM: "operation not permitted",
    EISDIR: "is a directory",
    ENOTDIR: "a part of the path is not a directory",
    EFBIG: "file too large (the file size limit, ulimit -f, was reached)",
    ENOSPC: "no space left on the device",
    EDQUOT: "disk quota exceeded",
    EROFS: "read-only file system",
    EIO: "input/output error",
    EINVAL: "invalid argument (a special file that cannot be read as a regular one)",
    EMFILE: "too many open files",
    ENAMETOOLONG: "file name too long",
    ELOOP: "too many levels of symbolic links",
    EBUSY: "the file is busy",
    ETXTBSY: "the file is busy",
    EXDEV: "the temporary file and the target are on different file systems",
  };
  if (code && Object.hasOwn(words, code)) return `${words[code]} (${code})`;
  if (code) return code;
  return error instanceof Error ? error.message : String(error);
}
