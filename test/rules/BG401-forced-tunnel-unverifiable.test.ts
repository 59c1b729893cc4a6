import { describe, expect, it } from "vitest";
import { ref, standaloneRoute } from "../evaluate/fixtures";
import { assertHasFinding, assertNoFindings, assertRuleMeta, audit } from "./assert";
import { DNS_SERVER, FIREWALL_IP, healthyConfig, healthyStack, ROUTE_TABLE, TIME_SERVER, withDefaultRoute, withResource, withRoute } from "./fixtures";

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

    // resources.md, "Routes and the five codes": the code follows what the diverted flow serves.
    it("5b. forced tunnelling diverts identity (LoginError) and a public time server (Unauthorized) too; usage stays RequestTimedOut", () => {
      const findings = audit(withDefaultRoute({ nextHopType: "VirtualNetworkGateway", nextHopIpAddress: undefined }), healthyConfig({ timeServer: "20.101.57.9" }));
      assertHasFinding(findings, { rule: "BG401", severity: "warning", code: "RequestTimedOut", host: "*.cloudapp.azure.com" });
      const login = assertHasFinding(findings, { rule: "BG401", severity: "warning", code: "LoginError", host: "login.microsoftonline.com", message: "login.microsoftonline.com" });
      expect(login.endpoints.map((e) => e.purpose)).toEqual(login.endpoints.map(() => "identity"));
      assertHasFinding(findings, { rule: "BG401", severity: "warning", code: "Unauthorized", host: "20.101.57.9", port: 123, message: "time server 20.101.57.9" });
    });

    it("5c. a private time or DNS server behind the gateway is the on-premises design: not reported", () => {
      const findings = audit(withDefaultRoute({ nextHopType: "VirtualNetworkGateway", nextHopIpAddress: undefined }));
      assertNoFindings(findings, "BG401", { host: TIME_SERVER });
      assertNoFindings(findings, "BG401", { host: DNS_SERVER });
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
