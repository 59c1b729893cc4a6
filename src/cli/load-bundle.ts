/**
 * Start-up of the command line: the CLI as one bundled file, compiled from V8's code cache.
 *
 * Node 20 resolves, reads and compiles every module it loads, from source, on every run. The CLI is about
 * 250 modules (the YAML parser alone is 72), and that was most of a small audit's time: 0.26 s of CPU for
 * the healthy example against 0.08 s for `node -e 0`. The build (scripts/bundle-cli.js) bundles the CLI into
 * one file, `dist/bundle/cli.js`, and stores V8's code cache for it beside it (`cli.js.cache`), taken after
 * auditing the bundled examples, so that it holds the functions an audit compiles. Loading the bundle with
 * that cache (`vm.Script`'s `cachedData`, the API Node 20 has; Node 22's `module.enableCompileCache()` does
 * the same for every module) takes the same audit to 0.13 s.
 *
 * V8 checks the cache against its version, its flags and the source, and ignores a cache that does not
 * match (`cachedDataRejected`): the bundle then compiles from source as any module would, only slower.
 * Without a bundle (a build by `tsc` alone), the modules of dist/cli are loaded as they are.
 */
import * as fs from "node:fs";
import Module from "node:module";
import * as path from "node:path";
import * as vm from "node:vm";

/** The bundled CLI, built by scripts/bundle-cli.js. */
export const CLI_BUNDLE = path.join(__dirname, "..", "bundle", "cli.js");

/** Where the code cache of `bundle` is stored. */
export function codeCacheFile(bundle: string): string {
  return `${bundle}.cache`;
}

/** A bundle compiled and run as a CommonJS module: its exports, and the script (for `createCachedData`). */
export interface LoadedBundle {
  exports: Record<string, unknown>;
  script: vm.Script;
  /** Whether V8 took the stored code cache (false: none stored, or rejected). */
  cached: boolean;
}

/** Compiles `bundle` (with its code cache when one is stored) and runs it as a CommonJS module. */
export function runBundle(bundle: string): LoadedBundle {
  const source = fs.readFileSync(bundle, "utf8");
  let cachedData: Buffer | undefined;
  try {
    cachedData = fs.readFileSync(codeCacheFile(bundle));
  } catch {
    cachedData = undefined; // none stored: compile from source
  }
  const script = new vm.Script(Module.wrap(source), { filename: bundle, ...(cachedData ? { cachedData } : {}) });
  const module = { exports: {} as Record<string, unknown> };
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
  // `require` resolves from the bundle's place: the dependencies left out of it (xmlbuilder2, the Azure SDK)
  // come from the package's node_modules, as they would for dist/cli.
  wrapper.call(module.exports, module.exports, Module.createRequire(bundle), module, bundle, path.dirname(bundle));
  return { exports: module.exports, script, cached: cachedData !== undefined && !script.cachedDataRejected };
}

/**
 * Runs the CLI: `--version` alone straight from the manifest (as commander would answer it: the version and
 * a newline on stdout, exit 0), anything else by the CLI's `main`, from the bundle when the build made one,
 * else from dist/cli. Resolves to the exit code.
 */
export function runCli(argv: readonly string[]): Promise<number> {
  const args = argv.slice(2);
  if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- only this answer needs it
    process.stdout.write(`${(require("../version") as typeof import("../version")).TOOL_VERSION}\n`);
    return Promise.resolve(0);
  }
  const main = fs.existsSync(CLI_BUNDLE)
    ? (runBundle(CLI_BUNDLE).exports.main as (argv: readonly string[]) => Promise<number>)
    : // eslint-disable-next-line @typescript-eslint/no-require-imports -- the unbundled build
      (require("./main") as typeof import("./main")).main;
  return main(argv);
}
