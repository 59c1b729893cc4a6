/*
 * The command line's program. bin/bridgeguard.js runs it through load-bundle.ts, which answers `--version`
 * alone without loading it and otherwise loads the bundle the build makes of this module.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Command } from "commander";
import { isUserError } from "../model/errors";
import { TOOL_VERSION } from "../version";
import { stderrLine, terminalSafe } from "../model/terminal-safe";

/* eslint-disable @typescript-eslint/no-require-imports -- loaded on demand, see above */
const commander = () => require("commander") as typeof import("commander");

/** Exit codes: 0 no error findings, 1 error findings, 2 bad usage or bad input, 3 the probe could not run. */
export const EXIT = { ok: 0, findings: 1, usage: 2, probe: 3 } as const;

type Register = (program: Command, setExitCode: (code: number) => void) => void;

/** `docs`, hidden: the rule pages in docs/rules/, written or checked from the rules' metadata. */
function registerDocs(program: Command, setExitCode: (code: number) => void): void {
  program
    .command("docs", { hidden: true })
    .description("write (or --check) docs/rules/*.md from the rules' metadata")
    .option("--check", "exit 1 when the docs differ from the metadata")
    .option("--root <dir>", "repository root", process.cwd())
    .action((options: { check?: boolean; root: string }) => {
      const { generatedDocs } = require("../docs/rule-page") as typeof import("../docs/rule-page");
      const { allRuleMetas } = require("../rules") as typeof import("../rules");
      let stale = 0;
      for (const [file, content] of generatedDocs(allRuleMetas())) {
        const target = path.join(options.root, file);
        const current = fs.existsSync(target) ? fs.readFileSync(target, "utf8") : undefined;
        if (current === content) continue;
        stale++;
        if (options.check) process.stderr.write(`${file} is out of date\n`);
        else {
          fs.mkdirSync(path.dirname(target), { recursive: true });
          fs.writeFileSync(target, content);
        }
      }
      if (options.check && stale) setExitCode(EXIT.findings);
    });
}


/**
 * Each command's registration, by the name a run gives first. Each loads its module (and the Node built-ins
 * it needs: the probe's sockets, TLS and DNS, the backends' zlib) only when called.
 */
const COMMANDS: Record<string, Register> = {
  audit: (program, setExitCode) => (require("./audit") as typeof import("./audit")).registerAudit(program, setExitCode),
  merge: (program, setExitCode) => (require("./merge") as typeof import("./merge")).registerMerge(program, setExitCode),
  probe: (program, setExitCode) => (require("./probe") as typeof import("./probe")).registerProbe(program, setExitCode),
  endpoints: (program) => (require("./catalog-commands") as typeof import("./catalog-commands")).registerCatalogCommands(program),
  "policy-config": (program) => (require("./policy-config") as typeof import("./policy-config")).registerPolicyConfig(program),
  docs: registerDocs,
};
// One module registers the three catalog commands.
COMMANDS.rules = COMMANDS.endpoints!;
COMMANDS.explain = COMMANDS.endpoints!;

/**
 * The program with the command `argv` names registered, or with every command when it names none it knows
 * (`--help`, `help`, a mistyped name: the help and commander's suggestions list them all). A run of one
 * command loads only that command's modules: an audit never loads the probe's.
 */
function buildProgram(argv: readonly string[], setExitCode: (code: number) => void): Command {
  const program = new (commander().Command)("bridgeguard")
    .description("Find what would break Azure Stack Hub usage reporting (NetworkError, RequestTimedOut, LoginError, CertificateValidationError, Unauthorized) before it does.")
    .version(TOOL_VERSION, "-V, --version")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    // commander's errors quote the argument they are about (`unknown option '...'`): escaped like ours.
    .configureOutput({ writeErr: (s) => process.stderr.write(terminalSafe(s, { keepNewlines: true })) });
  const named = argv[2];
  const one = named !== undefined && Object.hasOwn(COMMANDS, named) ? COMMANDS[named] : undefined;
  for (const register of one ? [one] : new Set(Object.values(COMMANDS))) register(program, setExitCode);
  for (const command of program.commands) command.exitOverride();
  return program;
}

/** Runs the CLI; resolves to the exit code. Never throws for bad input: that is a one-line message and 2. */
export async function main(argv: readonly string[]): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram(argv, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    if (error instanceof commander().CommanderError) {
      // --help and --version end here with exit code 0; usage errors were already printed by commander.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (isUserError(error)) {
      // One line whatever the message carries (loaders keep it so; this is the last guarantee), and no
      // escape sequence a file name, URN or argument in it could carry to the terminal.
      process.stderr.write(stderrLine((error as Error).message));
      return EXIT.usage;
    }
    throw error;
  }
}
