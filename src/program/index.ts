/**
 * The verification program's entry (`main` in Pulumi.yaml, compiled to dist/program/index.js): Pulumi
 * calls the exported async function and exports what it resolves to as stack outputs (`findings`,
 * `summary`, `allowList`); a rejection fails the update. See run.ts and docs/program.md.
 */
import { requirePeers } from "../peer";

// @pulumi/pulumi and @pulumi/azure-native are optional peers of the package: say so before ./run needs them.
requirePeers("the verification program", ["@pulumi/pulumi", "@pulumi/azure-native"]);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { program } = require("./run") as typeof import("./run");

export = program;
