import type { ErrorCode } from "../catalog/codes";
import type { BridgeFlow } from "../analysis/flows";
import { isNonPublic, parseAddressEntry } from "../evaluate/addresses";
import { ofKind } from "../model/resource";
import { routesOfTable } from "../evaluate/path";
import { bridgeDestinationRoutes, routesOfKind } from "./shared/routes";
import type { StackRule, Violation } from "./types";

/**
 * The flows forced tunnelling puts at risk: every catalog endpoint, and a time or DNS server only at a
 * literal public address (a private or named server reached through the gateway is the on-premises
 * design, not a risk to flag).
 */
function tunnelled(flow: BridgeFlow): boolean {
  const destination = flow.flow.destination;
  if (destination.kind === "fqdn") return true;
  const entry = parseAddressEntry(destination.address);
  return entry.kind === "interval" && !isNonPublic(entry.interval);
}

/**
 * The code follows what the flow serves (resources.md, "Routes and the five codes"): identity flows that
 * never come back are a LoginError, NTP an Unauthorized; usage and ARM requests time out: RequestTimedOut.
 */
function codeOf(flow: BridgeFlow): ErrorCode {
  if (flow.endpoint.purpose === "identity" || flow.endpoint.purpose === "time") return flow.code;
  return "RequestTimedOut";
}

export const forcedTunnel: StackRule = {
  meta: {
    id: "BG401",
    slug: "forced-tunnel-unverifiable",
    code: "RequestTimedOut",
    severity: "warning",
    title: "The default route leads to a path bridgeguard can verify",
    why: "Forced tunnelling sends the bridge's traffic into an on-premises gateway (ExpressRoute or VPN, which Azure Stack Hub does not support for these endpoints) or into an appliance whose rules are not in the stack. Such paths often drop silently, and the bridge sees RequestTimedOut; for the Azure AD login endpoints it sees LoginError, for NTP to a public time server Unauthorized.",
    remediation: "Send 0.0.0.0/0 from the public VIP network to an Azure Firewall you manage in the same stack (so bridgeguard can evaluate it) or to Internet; if the appliance is elsewhere, check its rules with `bridgeguard probe`.",
    scope: "stack",
    appliesTo: ["routeTable", "route", "azureFirewall"],
    otherCodes: [
      { code: "LoginError", when: "the route diverts the Azure AD login endpoints" },
      { code: "Unauthorized", when: "the route diverts NTP to a time server at a public address" },
    ],
  },
  check(set, { config }) {
    const firewallIps = new Set(ofKind(set, "azureFirewall").flatMap((f) => f.privateIpAddresses));
    const violations: Violation[] = [];
    for (const table of ofKind(set, "routeTable")) {
      const routes = bridgeDestinationRoutes(routesOfTable(set, table), config, tunnelled);
      for (const group of routesOfKind(routes, "gateway", codeOf)) {
        violations.push({
          resource: table.ref,
          code: group.code,
          endpoints: group.endpoints,
          ...(group.route ? { cause: `route "${group.route.name}"` } : {}),
          message: `the bridge's traffic ${group.undetermined ? "may be" : "is"} forced into a virtual network gateway (on-premises, unsupported for ${group.hosts.join(", ")})`,
          evidence: group.evidence,
        });
      }
      for (const group of routesOfKind(routes, "appliance", codeOf)) {
        if (group.applianceIp && firewallIps.has(group.applianceIp)) continue;
        violations.push({
          resource: table.ref,
          code: group.code,
          endpoints: group.endpoints,
          ...(group.route ? { cause: `route "${group.route.name}"` } : {}),
          message: `the bridge's traffic ${group.undetermined ? "may go" : "goes"} to appliance ${group.applianceIp ?? "(no next hop address)"}, which is not a firewall in the stack (undetermined)`,
          evidence: [...group.evidence, `firewall private IPs in the stack: ${firewallIps.size ? [...firewallIps].join(", ") : "none"}`],
        });
      }
    }
    return violations;
  },
};
