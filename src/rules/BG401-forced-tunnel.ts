import { ofKind } from "../model/resource";
import { routesOfTable } from "../evaluate/path";
import { bridgeRoutes, routesOfKind } from "./shared/routes";
import type { StackRule, Violation } from "./types";

export const forcedTunnel: StackRule = {
  meta: {
    id: "BG401",
    slug: "forced-tunnel-unverifiable",
    code: "RequestTimedOut",
    severity: "warning",
    title: "The default route leads to a path bridgeguard can verify",
    why: "Forced tunnelling sends the bridge's traffic into an on-premises gateway (ExpressRoute or VPN, which Azure Stack Hub does not support for these endpoints) or into an appliance whose rules are not in the stack. Such paths often drop silently, and the bridge sees RequestTimedOut.",
    remediation: "Send 0.0.0.0/0 from the public VIP network to an Azure Firewall you manage in the same stack (so bridgeguard can evaluate it) or to Internet; if the appliance is elsewhere, check its rules with `bridgeguard probe`.",
    scope: "stack",
    appliesTo: ["routeTable", "route", "azureFirewall"],
  },
  check(set, { config }) {
    const firewallIps = new Set(ofKind(set, "azureFirewall").flatMap((f) => f.privateIpAddresses));
    const violations: Violation[] = [];
    for (const table of ofKind(set, "routeTable")) {
      const routes = bridgeRoutes(routesOfTable(set, table), config.cloud);
      for (const group of routesOfKind(routes, "gateway")) {
        violations.push({
          resource: table.ref,
          ...(group.route ? { cause: `route "${group.route.name}"` } : {}),
          message: `the bridge's traffic ${group.undetermined ? "may be" : "is"} forced into a virtual network gateway (on-premises, unsupported for ${group.hosts.join(", ")})`,
          evidence: group.evidence,
        });
      }
      for (const group of routesOfKind(routes, "appliance")) {
        if (group.applianceIp && firewallIps.has(group.applianceIp)) continue;
        violations.push({
          resource: table.ref,
          ...(group.route ? { cause: `route "${group.route.name}"` } : {}),
          message: `the bridge's traffic ${group.undetermined ? "may go" : "goes"} to appliance ${group.applianceIp ?? "(no next hop address)"}, which is not a firewall in the stack (undetermined)`,
          evidence: [...group.evidence, `firewall private IPs in the stack: ${firewallIps.size ? [...firewallIps].join(", ") : "none"}`],
        });
      }
    }
    return violations;
  },
};
