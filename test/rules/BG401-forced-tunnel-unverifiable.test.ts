import { describe, it } from "vitest";
import { ref, standaloneRoute } from "../evaluate/fixtures";
import { assertHasFinding, assertNoFindings, assertRuleMeta, audit } from "./assert";
import { FIREWALL_IP, healthyStack, ROUTE_TABLE, withDefaultRoute, withResource, withRoute } from "./fixtures";

describe("BG401 forced-tunnel-unverifiable", () => {
  it("metadata", () => assertRuleMeta("BG401", { slug: "forced-tunnel-unverifiable", code: "RequestTimedOut", severity: "warning", scope: "stack" }));

  it("compliant: 0.0.0.0/0 goes to a firewall in the stack", () => {
    assertNoFindings(audit(healthyStack()), "BG401");
  });

  it("compliant: 0.0.0.0/0 to Internet", () => {
    assertNoFindings(audit(withDefaultRoute({ nextHopType: "Internet", nextHopIpAddress: undefined })), "BG401");
  });

  describe("non-compliant", () => {
    it("1. forced tunnelling into a virtual network gateway: warning on the route table, with the route", () => {
      assertHasFinding(audit(withDefaultRoute({ nextHopType: "VirtualNetworkGateway", nextHopIpAddress: undefined })), {
        rule: "BG401",
        severity: "warning",
        resourceName: ROUTE_TABLE,
        message: ["forced into a virtual network gateway", "*.trafficmanager.net"],
        evidence: ['route "default-to-firewall" (0.0.0.0/0 -> VirtualNetworkGateway) applies to *.trafficmanager.net'],
      });
    });

    it("2. an appliance that is not a firewall in the stack: warning, undetermined, listing the firewalls' IPs", () => {
      assertHasFinding(audit(withDefaultRoute({ nextHopIpAddress: "10.9.9.9" })), {
        rule: "BG401",
        severity: "warning",
        resourceName: ROUTE_TABLE,
        message: "appliance 10.9.9.9, which is not a firewall in the stack (undetermined)",
        evidence: ['route "default-to-firewall" (0.0.0.0/0 -> VirtualAppliance 10.9.9.9)', `firewall private IPs in the stack: ${FIREWALL_IP}`],
      });
    });

    it("3. the firewall's private IP no longer the next hop: warning", () => {
      assertHasFinding(audit(healthyStack({ firewall: { privateIpAddresses: ["10.0.1.5"] } })), {
        rule: "BG401",
        severity: "warning",
        resourceName: ROUTE_TABLE,
        message: `appliance ${FIREWALL_IP}`,
        evidence: ["firewall private IPs in the stack: 10.0.1.5"],
      });
    });

    it("4. the firewall not in the stack: warning, no firewall to check", () => {
      assertHasFinding(audit(healthyStack({ firewall: null })), {
        rule: "BG401",
        severity: "warning",
        resourceName: ROUTE_TABLE,
        evidence: ["firewall private IPs in the stack: none"],
      });
    });

    it("5. a standalone Route resource (AzureCloud tag to a gateway) joined to the table: warning on the table", () => {
      const tunnel = standaloneRoute({
        ref: ref("Route", "azure-via-er"),
        routeTableName: ROUTE_TABLE,
        route: { name: "azure-via-er", addressPrefix: "AzureCloud", nextHopType: "VirtualNetworkGateway" },
      });
      assertHasFinding(audit(withResource(tunnel)), {
        rule: "BG401",
        severity: "warning",
        resourceName: ROUTE_TABLE,
        evidence: ['route "azure-via-er" (AzureCloud -> VirtualNetworkGateway)'],
      });
    });

    // A more specific PUBLIC prefix may carry part of an endpoint's unpublished addresses: undetermined.
    it("6. a more specific public prefix into a virtual network gateway: warning", () => {
      assertHasFinding(audit(withRoute({ name: "er-20", addressPrefix: "20.0.0.0/8", nextHopType: "VirtualNetworkGateway" })), {
        rule: "BG401",
        severity: "warning",
        resourceName: ROUTE_TABLE,
        evidence: ['route "er-20"'],
      });
    });
  });

  describe("not applicable", () => {
    it("no route table in the stack", () => {
      assertNoFindings(audit(healthyStack({ routeTable: null })), "BG401");
    });

    it("a route with next hop None is default-route-black-hole's finding", () => {
      assertNoFindings(audit(withDefaultRoute({ nextHopType: "None", nextHopIpAddress: undefined })), "BG401");
    });
  });
});
