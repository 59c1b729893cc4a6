/**
 * The verification program's entry (`main` in Pulumi.yaml, compiled to dist/program/index.js): Pulumi
 * calls the exported async function and exports what it resolves to as stack outputs (`findings`,
 * `summary`, `allowList`); a rejection fails the update. See run.ts and docs/program.md.
 */
// First, so that a missing peer dependency is one line, before ./run loads it (see peers.ts).
import "./peers";
import { program } from "./run";

export = program;
