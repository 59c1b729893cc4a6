/**
 * `--shard I/N`: this run audits the inputs whose identity hashes to share I of N, so that a CI matrix
 * (GitHub Actions `strategy.matrix`, Azure Pipelines `parallel`) spreads many stacks over machines and the
 * shards together audit each input exactly once. The share depends on the input's identity alone (a file's
 * path relative to the working directory with `/` separators, a backend stack's `project/stack`), never on
 * the order in which a directory or a backend lists them, so every machine agrees on it.
 */
import { createHash } from "node:crypto";
import * as path from "node:path";
import { InvalidArgumentError } from "commander";
import { STDIN } from "../input/json";

/** One share of the inputs: `index` from 1 to `count`. */
export interface Shard {
  index: number;
  count: number;
}

/** The most shards: far beyond any CI matrix (GitHub Actions allows 256 jobs per matrix). */
export const MAX_SHARDS = 10_000;

/** `--shard I/N`, e.g. `2/4`; anything else is a usage error naming what was expected. */
export function parseShard(value: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || count > MAX_SHARDS || index < 1 || index > count) {
    throw new InvalidArgumentError(`expected I/N, this run's share I of N shards, with 1 <= I <= N <= ${MAX_SHARDS} (such as 1/4)`);
  }
  return { index, count };
}

/** A file's identity for sharding: relative to the working directory, `/`-separated (the same on every OS). */
export function fileShardIdentity(file: string, cwd: string = process.cwd()): string {
  if (file === STDIN) return file;
  return path.relative(cwd, path.resolve(cwd, file)).split(path.sep).join("/");
}

/** The share (1..count) an identity falls in: the first 6 bytes of its SHA-256, modulo the count. */
export function shardOf(identity: string, count: number): number {
  return (createHash("sha256").update(identity, "utf8").digest().readUIntBE(0, 6) % count) + 1;
}

/** The items of `items` that fall in `shard` (all of them without one), in their order. */
export function inShard<T>(items: readonly T[], shard: Shard | undefined, identity: (item: T) => string): T[] {
  if (!shard || shard.count === 1) return [...items];
  return items.filter((item) => shardOf(identity(item), shard.count) === shard.index);
}
