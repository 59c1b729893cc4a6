import { describe, it } from "vitest";
import { ref, standaloneRoute } from "../evaluate/fixtures";
import { assertHasFinding, assertNoFindings, assertRuleMeta, audit } from "./assert";
import { DNS_SERVER, healthyStack, ROUTE_TABLE, withDefaultRoute, withResource, withRoute } from "./fixtures";

describe("BG205 default-route-black-hole", () => {
  it("metadata", () => assertRuleMeta("BG205", { slug: "default-route-black-hole", code: "NetworkError", severity: "error", scope: "resource" }));

  it("compliant: 0.0.0.0/0 goes to the firewall", () => {
    assertNoFindings(audit(healthyStack()), "BG205");
  });

  it("compliant: 0.0.0.0/0 to Internet", () => {
    assertNoFindings(audit(withDefaultRoute({ nextHopType: "Internet", nextHopIpAddress: undefined })), "BG205");
  });

  it("compliant: a None route on a private prefix does not touch the bridge's public endpoints (nor its DNS server)", () => {
    assertNoFindings(audit(withRoute({ name: "drop-rfc1918", addressPrefix: "192.168.0.0/16", nextHopType: "None" })), "BG205");
  });

  it("a None route on the DNS server's own address: error, DNS is dropped", () => {
    assertHasFinding(audit(withRoute({ name: "drop-dns", addressPrefix: `${DNS_SERVER}/32`, nextHopType: "None" })), {
      rule: "BG205",
      severity: "error",
      resourceName: ROUTE_TABLE,
      message: [`route "drop-dns" (${DNS_SERVER}/32) drops traffic to DNS server ${DNS_SERVER}`],
      evidence: [`is the longest prefix containing ${DNS_SERVER}`],
    });
  });

  it("a None route on a private range holding the DNS server: warning, a system route for the virtual network may win", () => {
    assertHasFinding(audit(withRoute({ name: "drop-rfc1918", addressPrefix: "10.0.0.0/8", nextHopType: "None" })), {
      rule: "BG205",
      severity: "warning",
      resourceName: ROUTE_TABLE,
      message: [`route "drop-rfc1918" (10.0.0.0/8) may drop (undetermined) traffic to DNS server ${DNS_SERVER}`],
      evidence: ["a more specific system route (the virtual network's address space"],
    });
  });

  describe("non-compliant", () => {
    it("1. 0.0.0.0/0 with next hop None: error on the route table, naming the route and the endpoints it drops", () => {
      assertHasFinding(audit(withDefaultRoute({ nextHopType: "None", nextHopIpAddress: undefined })), {
        rule: "BG205",
        severity: "error",
        resourceName: ROUTE_TABLE,
        message: ['route "default-to-firewall" (0.0.0.0/0) drops traffic to', "*.trafficmanager.net", "login.microsoftonline.com", "management.azure.com"],
        evidence: ['route "default-to-firewall" (0.0.0.0/0 -> None) applies to *.trafficmanager.net'],
        remediation: 'Change route "default-to-firewall" to next hop VirtualAppliance',
      });
    });

    it("2. the None route as a standalone Route resource: error on that resource", () => {
      const dropped = standaloneRoute({ ref: ref("Route", "drop-all"), routeTableName: ROUTE_TABLE, route: { name: "drop-all", addressPrefix: "0.0.0.0/0", nextHopType: "None" } });
      assertHasFinding(audit(withResource(dropped)), { rule: "BG205", severity: "error", resourceName: "drop-all", resourceUrn: dropped.ref.urn });
    });

    it("3. a next hop type Azure does not accept: warning (treated as dropping, with the doubt)", () => {
      assertHasFinding(audit(withDefaultRoute({ nextHopType: "Firewall" })), {
        rule: "BG205",
        severity: "warning",
        resourceName: ROUTE_TABLE,
        evidence: ['note: next hop type "Firewall" is not one Azure accepts'],
      });
    });

    it("4. a service-tag route (AzureActiveDirectory) to None: error for the login endpoints it holds", () => {
      assertHasFinding(audit(withRoute({ name: "drop-aad", addressPrefix: "AzureActiveDirectory", nextHopType: "None" })), {
        rule: "BG205",
        severity: "error",
        resourceName: ROUTE_TABLE,
        message: ['route "drop-aad" (AzureActiveDirectory) drops traffic to', "login.microsoftonline.com"],
      });
    });

    // A more specific PUBLIC prefix may carry part of an endpoint's unpublished addresses: undetermined.
    it("5. a more specific public prefix to None: warning, may drop part of the endpoints", () => {
      assertHasFinding(audit(withRoute({ name: "drop-20", addressPrefix: "20.0.0.0/8", nextHopType: "None" })), {
        rule: "BG205",
        severity: "warning",
        resourceName: ROUTE_TABLE,
        message: "drop-20",
      });
    });
  });

  describe("not applicable", () => {
    it("no route table in the stack", () => {
      assertNoFindings(audit(healthyStack({ routeTable: null })), "BG205");
    });

    it("a route table without routes (Azure's system routes apply)", () => {
      assertNoFindings(audit(healthyStack({ routeTable: { routes: [] } })), "BG205");
    });
  });
});
