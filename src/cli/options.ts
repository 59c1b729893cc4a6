import { InvalidArgumentError, Option } from "commander";
import { CLOUDS, isCloudName, RETIRED_CLOUDS, type CloudName } from "../catalog/clouds";
import { DEFAULT_MAX_INPUT_BYTES, formatBytes, MAX_JSON_BYTES } from "../input/json";
import { DOCS_URL } from "../project";

/** `--cloud`: one of CLOUDS; a retired cloud (Azure Germany) is refused with the reason and what to do. */
export function cloudOption(): Option {
  return new Option("--cloud <cloud>", `Azure cloud (overrides the config file): ${CLOUDS.join(", ")}`).argParser((value: string): CloudName => {
    const retired = Object.keys(RETIRED_CLOUDS).find((name) => name.toLowerCase() === value.toLowerCase());
    if (retired !== undefined) throw new InvalidArgumentError(RETIRED_CLOUDS[retired]!);
    if (!isCloudName(value)) throw new InvalidArgumentError(`expected ${CLOUDS.join(", ")}`);
    return value;
  });
}

export function formatOption(formats: readonly string[], fallback = formats[0]!): Option {
  return new Option("-f, --format <format>", "output format").choices(formats).default(fallback);
}

const SIZE_UNITS: Record<string, number> = { "": 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3 };

/** `512MiB`, `1g`, `300000000` (bytes): a size as bytes; K, M and G are binary (KiB, MiB, GiB). */
export function parseSize(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const key = match ? match[2]!.toLowerCase() : "";
  const unit = match && Object.hasOwn(SIZE_UNITS, key) ? SIZE_UNITS[key] : undefined;
  if (!match || unit === undefined) return undefined;
  const bytes = Math.floor(Number(match[1]) * unit);
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : undefined;
}

/**
 * `--max-input-size <size>`: input files larger than this are refused before they are read (default
 * 256 MiB; at most what JSON.parse can take, just under 512 MiB).
 */
export function maxInputSizeOption(): Option {
  return new Option("--max-input-size <size>", `refuse input files larger than this, before reading them: 100MiB, 1G, or bytes (default ${formatBytes(DEFAULT_MAX_INPUT_BYTES)}, at most ${formatBytes(MAX_JSON_BYTES)})`).argParser(
    (value: string) => {
      const bytes = parseSize(value);
      if (bytes === undefined) throw new InvalidArgumentError("expected a size such as 100MiB, 1G or a number of bytes");
      if (bytes > MAX_JSON_BYTES) throw new InvalidArgumentError(`at most ${formatBytes(MAX_JSON_BYTES)}: the largest JSON text Node.js can parse`);
      return bytes;
    },
  );
}

/**
 * `--docs-url <url>`: the base that the reports' docs links resolve against (markdown links, SARIF
 * `helpUri`); default the project's docs on its repository (`DOCS_URL`), e.g. a fork or a mirror instead.
 */
export function docsUrlOption(): Option {
  return new Option("--docs-url <url>", `base of the docs links in markdown and SARIF reports (default ${DOCS_URL})`).argParser((value: string) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new InvalidArgumentError("expected an absolute http(s) URL");
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") throw new InvalidArgumentError("expected an absolute http(s) URL");
    // A base without a trailing slash would drop its last segment when `docs/rules/...` resolves against it.
    return url.href.endsWith("/") ? url.href : `${url.href}/`;
  });
}
