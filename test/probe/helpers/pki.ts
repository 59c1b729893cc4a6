/**
 * A test PKI made with the real `openssl` (ECDSA P-256): a CA, and leaf certificates it issues for
 * server names. (@peculiar/x509 would need a Reflect metadata polyfill, which is not installed.)
 */
import { execFile } from "node:child_process";
import { X509Certificate } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const OPENSSL = fs.existsSync("/usr/bin/openssl") ? "/usr/bin/openssl" : "openssl";

export interface TestCa {
  /** `CN=..., O=...`, as the probe's evidence prints it. */
  name: string;
  certPem: string;
  certFile: string;
  keyFile: string;
}

export interface TestLeaf {
  certPem: string;
  keyPem: string;
  /** Colon-separated upper-case SHA-256 of the DER, as Node's `fingerprint256`. */
  sha256: string;
}

let dir: string | undefined;
let counter = 0;

function workDir(): string {
  dir ??= fs.mkdtempSync(path.join(os.tmpdir(), "bridgeguard-pki-"));
  return dir;
}

function file(stem: string): string {
  return path.join(workDir(), `${stem}-${process.pid}-${++counter}`);
}

const EC = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];

export async function createCa(commonName: string, organization = "bridgeguard tests"): Promise<TestCa> {
  const keyFile = `${file("ca")}.key`;
  const certFile = `${file("ca")}.pem`;
  await run(OPENSSL, [
    "req", "-x509", ...EC, "-keyout", keyFile, "-out", certFile, "-days", "30",
    "-subj", `/CN=${commonName}/O=${organization}`,
    "-addext", "basicConstraints=critical,CA:TRUE",
    "-addext", "keyUsage=critical,keyCertSign,cRLSign",
  ]);
  return { name: `CN=${commonName}, O=${organization}`, certPem: fs.readFileSync(certFile, "utf8"), certFile, keyFile };
}

export async function issueLeaf(ca: TestCa, dnsNames: string[]): Promise<TestLeaf> {
  const keyFile = `${file("leaf")}.key`;
  const certFile = `${file("leaf")}.pem`;
  if (dnsNames.join(",").length > 60_000) return issueLargeLeaf(ca, dnsNames, keyFile, certFile);
  await run(OPENSSL, [
    "req", "-x509", ...EC, "-keyout", keyFile, "-out", certFile, "-days", "30",
    "-CA", ca.certFile, "-CAkey", ca.keyFile,
    "-subj", `/CN=${dnsNames[0]}`,
    "-addext", `subjectAltName=${dnsNames.map((n) => `DNS:${n}`).join(",")}`,
    "-addext", "basicConstraints=critical,CA:FALSE",
    "-addext", "keyUsage=critical,digitalSignature",
    "-addext", "extendedKeyUsage=serverAuth",
  ]);
  const certPem = fs.readFileSync(certFile, "utf8");
  return { certPem, keyPem: fs.readFileSync(keyFile, "utf8"), sha256: new X509Certificate(certPem).fingerprint256 };
}

/** A leaf with thousands of names (a certificate of 100 KB or more): too long for a command line, so a config file. */
async function issueLargeLeaf(ca: TestCa, dnsNames: string[], keyFile: string, certFile: string): Promise<TestLeaf> {
  const config = `${file("leaf")}.cnf`;
  fs.writeFileSync(
    config,
    ["[req]", "distinguished_name=dn", "x509_extensions=v3", "prompt=no", "[dn]", `CN=${dnsNames[0]}`, "[v3]", "subjectAltName=@alt", "basicConstraints=critical,CA:FALSE", "[alt]", ...dnsNames.map((n, i) => `DNS.${i + 1}=${n}`), ""].join("\n"),
  );
  await run(OPENSSL, ["req", "-x509", ...EC, "-keyout", keyFile, "-out", certFile, "-days", "30", "-CA", ca.certFile, "-CAkey", ca.keyFile, "-config", config]);
  const certPem = fs.readFileSync(certFile, "utf8");
  return { certPem, keyPem: fs.readFileSync(keyFile, "utf8"), sha256: new X509Certificate(certPem).fingerprint256 };
}

/** Removes the key and certificate files. */
export function cleanupPki(): void {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = undefined;
}
