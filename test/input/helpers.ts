import { isUserError } from "../../src/model/errors";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "vitest";
import { InputError } from "../../src/input";
import type { Resource, ResourceKind } from "../../src/model/resource";

export const FIXTURES = path.join(__dirname, "..", "fixtures");
export const fixture = (name: string) => path.join(FIXTURES, name);

export function readFixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(fs.readFileSync(fixture(name), "utf8")) as T;
}

/** A fresh temporary directory for one test file. */
export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "bridgeguard-input-"));
}

export function writeTemp(dir: string, name: string, content: string | Buffer | object): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof content === "string" || Buffer.isBuffer(content) ? content : JSON.stringify(content, null, 2));
  return file;
}

/** Runs `fn`, expects an InputError, checks the message is one line, and returns the error. */
export function inputError(fn: () => unknown): InputError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught, "expected an InputError to be thrown").toBeInstanceOf(InputError);
  const error = caught as InputError;
  expect(error.message).not.toMatch(/[\r\n]/);
  expect(isUserError(error), "front ends print it as bad input (exit 2)").toBe(true);
  return error;
}

export function only<K extends ResourceKind>(resources: Resource[], kind: K): Extract<Resource, { kind: K }> {
  const found = resources.filter((r): r is Extract<Resource, { kind: K }> => r.kind === kind);
  expect(found, `exactly one ${kind}`).toHaveLength(1);
  return found[0] as Extract<Resource, { kind: K }>;
}

/** A stack export's resource by its Pulumi resource name (the URN's last part). */
export function exportResource(exp: { deployment: { resources: Record<string, unknown>[] } }, name: string, live = true) {
  const r = exp.deployment.resources.find((x) => typeof x.urn === "string" && x.urn.endsWith(`::${name}`) && (!live || x.delete !== true));
  if (!r) throw new Error(`no resource ${name} in the export`);
  return r as { urn: string; type: string; id?: string; inputs: Record<string, unknown>; outputs: Record<string, unknown>; [k: string]: unknown };
}

export const clone = <T>(v: T): T => structuredClone(v);
