/**
 * Imported first by the program's entry: the verification program needs the optional peers
 * `@pulumi/pulumi` and `@pulumi/azure-native`, which a CLI-only install of bridgeguard does not bring.
 * Checking them before `./run` loads them turns a missing peer into one line naming the install
 * command, instead of a module-resolution stack trace from deep inside the program.
 */
import { requirePeers } from "../peer";

requirePeers("the verification program", ["@pulumi/pulumi", "@pulumi/azure-native"]);
