/**
 * One test file's PKI, made once for the file: a temporary directory, a test CA written to `ca.pem` there
 * (for `--ca-file`), and a leaf certificate for one server name; all removed after the file's tests.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { cleanupPki, createCa, issueLeaf, type TestCa, type TestLeaf } from "./pki";

export interface FilePki {
  /** The temporary directory: `ca.pem` and whatever else the file writes. */
  dir: string;
  ca: TestCa;
  /** The CA's certificate as a PEM file, for `--ca-file`. */
  caFile: string;
  /** A leaf for the server name given to `useFilePki`. */
  leaf: TestLeaf;
}

/** Registers the file's beforeAll/afterAll; the fields are set once beforeAll has run. */
export function useFilePki(label: string, serverName: string): FilePki {
  const pki = {} as FilePki;
  beforeAll(async () => {
    pki.dir = fs.mkdtempSync(path.join(os.tmpdir(), `bridgeguard-${label.toLowerCase().replace(/\W+/g, "-")}-`));
    pki.ca = await createCa(`bridgeguard ${label} Test CA`);
    pki.caFile = path.join(pki.dir, "ca.pem");
    fs.writeFileSync(pki.caFile, pki.ca.certPem);
    pki.leaf = await issueLeaf(pki.ca, [serverName]);
  });
  afterAll(() => {
    if (pki.dir) fs.rmSync(pki.dir, { recursive: true, force: true });
    cleanupPki();
  });
  return pki;
}
