/**
 * The optional peer dependencies: `@pulumi/pulumi` and `@pulumi/azure-native` serve only the
 * `BridgeEgressRules` component and the verification program, `@pulumi/policy` only the policy pack, so a
 * CLI install does without them (package.json `peerDependenciesMeta`). What needs one says so in one line.
 */

/** Throws one line naming what is missing and the install command when a peer dependency cannot be found. */
export function requirePeers(what: string, names: readonly string[]): void {
  const missing = names.filter((name) => {
    try {
      require.resolve(name);
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length === 0) return;
  throw new Error(`bridgeguard: ${what} needs ${missing.join(" and ")}, which a bridgeguard install does not bring: npm install ${missing.join(" ")}`);
}
