import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { findSyntaxError, lineAndColumn, readJsonFile } from "../../src/input/json";
import { inputError, tempDir, writeTemp } from "./helpers";

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("readJsonFile", () => {
  it("reads a JSON file", () => {
    expect(readJsonFile(writeTemp(dir, "ok.json", '{"a": [1, 2]}'))).toEqual({ a: [1, 2] });
  });

  it("reads any text as JSON.parse of its UTF-8 does, pure ASCII (the fast path) or not", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: "grapheme" }), fc.string({ unit: "binary" })), fc.boolean(), (name, bom) => {
        const text = JSON.stringify({ name, nested: [name, { key: name }] });
        const bytes = Buffer.from(text, "utf8");
        const file = writeTemp(dir, "text.json", bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]) : bytes);
        expect(readJsonFile(file)).toEqual(JSON.parse(text));
      }),
      { numRuns: 300, seed: 0x7e47 },
    );
    expect(readJsonFile(writeTemp(dir, "cafe.json", '{"name": "café ☕ 東京"}'))).toEqual({ name: "café ☕ 東京" });
  });

  it("strips a UTF-8 BOM", () => {
    const file = writeTemp(dir, "bom.json", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"version": 3}')]));
    expect(readJsonFile(file)).toEqual({ version: 3 });
  });

  it("reports a missing file", () => {
    const file = path.join(dir, "nope.json");
    const e = inputError(() => readJsonFile(file));
    expect(e.message).toBe(`${file}: file not found`);
    expect(e.file).toBe(file);
  });

  it("reports a directory", () => {
    const e = inputError(() => readJsonFile(dir));
    expect(e.message).toBe(`${dir}: is a directory, expected a JSON file`);
  });

  it("reports an empty file, and one with only a BOM or whitespace", () => {
    expect(inputError(() => readJsonFile(writeTemp(dir, "empty.json", ""))).message).toMatch(/empty\.json: the file is empty, expected JSON$/);
    expect(inputError(() => readJsonFile(writeTemp(dir, "bom-only.json", Buffer.from([0xef, 0xbb, 0xbf])))).message).toMatch(/the file is empty/);
    expect(inputError(() => readJsonFile(writeTemp(dir, "blank.json", "  \n\t\n"))).message).toMatch(/the file is empty \(only whitespace\)/);
  });

  it.each([
    ['{\n  "version": 3,\n  "deployment": {,}\n}', 3, 18, "expected a double-quoted property name"],
    ['{\n  "a": 1\n  "b": 2\n}', 3, 3, "expected ',' or '}' after a property value"],
    ['[1, 2', 1, 6, "unexpected end of input"],
    ['{"a": "x\n"}', 1, 9, "control character in a string (escape it)"],
    ['{"a": tru}', 1, 7, "unexpected character"],
    ['{"a": 1} x', 1, 10, "unexpected content after the JSON value"],
    ['{"a": 01}', 1, 8, "expected ',' or '}' after a property value"],
    ['\r\n\r\n  {]', 3, 4, "expected a double-quoted property name"],
    ['{"a": "\\q"}', 1, 8, "invalid escape in a string"],
  ])("reports invalid JSON with line and column: %j", (text, line, column, what) => {
    const file = writeTemp(dir, "bad.json", text);
    const e = inputError(() => readJsonFile(file));
    expect(e.message).toBe(`${file}:${line}:${column}: invalid JSON: ${what}`);
    expect([e.line, e.column]).toEqual([line, column]);
  });

  it("counts columns after a BOM from the first character after it", () => {
    const file = writeTemp(dir, "bom-bad.json", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("{x}")]));
    expect(inputError(() => readJsonFile(file)).message).toBe(`${file}:1:2: invalid JSON: expected a double-quoted property name`);
  });

  it("never quotes the input in a syntax error (it may be a secret)", () => {
    const canary = "CANARY-json-syntax-9f8e7d";
    const file = writeTemp(dir, "secret-bad.json", `{"plaintext": "${canary}" ${canary}}`);
    const e = inputError(() => readJsonFile(file));
    expect(e.message).not.toContain(canary);
    expect(e.message).not.toContain("CANARY");
  });
});

describe("findSyntaxError", () => {
  const parses = (s: string) => {
    try {
      JSON.parse(s);
      return true;
    } catch {
      return false;
    }
  };

  it("agrees with JSON.parse on valid JSON and on mutated JSON", () => {
    fc.assert(
      fc.property(fc.json(), fc.nat(), fc.constantFrom("delete", "insert", "replace"), fc.constantFrom(..."{}[]:,\"\\ x0-.eE\n\tu"), (json, at, op, ch) => {
        expect(findSyntaxError(json)).toBeUndefined();
        const i = json.length === 0 ? 0 : at % json.length;
        const mutated = op === "delete" ? json.slice(0, i) + json.slice(i + 1) : op === "insert" ? json.slice(0, i) + ch + json.slice(i) : json.slice(0, i) + ch + json.slice(i + 1);
        const found = findSyntaxError(mutated);
        expect(found === undefined).toBe(parses(mutated));
        if (found) expect(found.offset).toBeLessThanOrEqual(mutated.length);
      }),
      { numRuns: 3000 },
    );
  });

  it("does not overflow the stack on deep nesting", () => {
    const deep = "[".repeat(200_000) + "]".repeat(199_999);
    expect(findSyntaxError(deep)).toEqual({ offset: deep.length, what: "unexpected end of input" });
  });
});

describe("lineAndColumn", () => {
  it("counts LF, CRLF and CR line ends", () => {
    expect(lineAndColumn("ab\ncd", 4)).toEqual({ line: 2, column: 2 });
    expect(lineAndColumn("ab\r\ncd", 5)).toEqual({ line: 2, column: 2 });
    expect(lineAndColumn("ab\rcd", 3)).toEqual({ line: 2, column: 1 });
    expect(lineAndColumn("abc", 0)).toEqual({ line: 1, column: 1 });
  });
});
