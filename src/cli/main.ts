import * as fs from "node:fs";
import * as path from "node:path";
import { Command, CommanderError } from "commander";
import { generatedDocs } from "../docs/rule-page";
import { isUserError } from "../model/errors";
import { allRuleMetas } from "../rules";
import { TOOL_VERSION } from "../version";
import { registerAudit } from "./audit";
import { registerCatalogCommands } from "./catalog-commands";
import { registerPolicyConfig } from "./policy-config";
import { registerProbe } from "./probe";

/** Exit codes: 0 no error findings, 1 error findings, 2 bad usage or bad input, 3 the probe could not run. */
export const EXIT = { ok: 0, findings: 1, usage: 2, probe: 3 } as const;

function buildProgram(setExitCode: (code: number) => void): Command {
  const program = new Command("bridgeguard")
    .description("Find what would break Azure Stack Hub usage reporting (NetworkError, RequestTimedOut, LoginError, CertificateValidationError, Unauthorized) before it does.")
    .version(TOOL_VERSION, "-V, --version")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  registerAudit(program, setExitCode);
  registerProbe(program, setExitCode);
  registerCatalogCommands(program);
  registerPolicyConfig(program);
  program
    .command("docs", { hidden: true })
    .description("write (or --check) docs/rules/*.md from the rules' metadata")
    .option("--check", "exit 1 when the docs differ from the metadata")
    .option("--root <dir>", "repository root", process.cwd())
    .action((options: { check?: boolean; root: string }) => {
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
  for (const command of program.commands) command.exitOverride();
  return program;
}

/** Runs the CLI; resolves to the exit code. Never throws for bad input: that is a one-line message and 2. */
export async function main(argv: readonly string[]): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram((code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with exit code 0; usage errors were already printed by commander.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (isUserError(error)) {
      // One line whatever the message carries (loaders keep it so; this is the last guarantee).
      process.stderr.write(`bridgeguard: ${(error as Error).message.replace(/\s*[\r\n]+\s*/g, " ")}\n`);
      return EXIT.usage;
    }
    throw error;
  }
}
