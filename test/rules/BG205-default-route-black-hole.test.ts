import { describe, expect, it } from "vitest";
import { ERROR_CODE_INFO } from "../../src/catalog/codes";
import { ref, standaloneRoute } from "../evaluate/fixtures";
import { assertHasFinding, assertNoFindings, assertRuleMeta, audit, findingsOf } from "./assert";
import { DNS_SERVER, healthyConfig, healthyStack, ROUTE_TABLE, TIME_SERVER, withDefaultRoute, withResource, withRoute } from "./fixtures";

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
    it("1. 0.0.0.0/0 with next hop None: error on the route table, naming the route and the endpoints it drops, one finding per code", () => {
      const findings = audit(withDefaultRoute({ nextHopType: "None", nextHopIpAddress: undefined }));
      assertHasFinding(findings, {
        rule: "BG205",
        severity: "error",
        code: "NetworkError",
        resourceName: ROUTE_TABLE,
        host: "*.cloudapp.azure.com",
        message: ['route "default-to-firewall" (0.0.0.0/0) drops traffic to', "*.trafficmanager.net", "*.cloudapp.azure.com", "management.azure.com"],
        evidence: ['route "default-to-firewall" (0.0.0.0/0 -> None) applies to *.trafficmanager.net'],
        remediation: 'Change route "default-to-firewall" to next hop VirtualAppliance',
      });
      // resources.md, "Routes and the five codes": a route that drops identity flows is a LoginError.
      const login = assertHasFinding(findings, {
        rule: "BG205",
        severity: "error",
        code: "LoginError",
        resourceName: ROUTE_TABLE,
        host: "login.microsoftonline.com",
        message: ['route "default-to-firewall" (0.0.0.0/0) drops traffic to', "login.microsoftonline.com"],
        remediation: ["Change route", ERROR_CODE_INFO.LoginError.remediation],
      });
      expect(login.message).not.toContain("trafficmanager");
      // The time server 10.0.0.10 is private: the VNet's own system routes may win over 0.0.0.0/0 (a warning).
      assertHasFinding(findings, { rule: "BG205", severity: "warning", code: "Unauthorized", host: TIME_SERVER, message: `may drop (undetermined) traffic to time server ${TIME_SERVER}` });
    });

    it("1b. a None host route on the time server's address: Unauthorized error (NTP dropped, clocks drift)", () => {
      assertHasFinding(audit(withRoute({ name: "drop-ntp", addressPrefix: `${TIME_SERVER}/32`, nextHopType: "None" })), {
        rule: "BG205",
        severity: "error",
        code: "Unauthorized",
        host: TIME_SERVER,
        port: 123,
        message: `route "drop-ntp" (${TIME_SERVER}/32) drops traffic to time server ${TIME_SERVER}`,
        remediation: ERROR_CODE_INFO.Unauthorized.remediation,
      });
    });

    // The stamp: the default route drops, host routes carry the DNS and NTP servers out. A /32 holds
    // one address and cannot carry a load-balanced name's addresses: the bridge endpoints are dropped.
    it("1c. a None default route beside /32 host routes to public DNS and NTP servers: a definite drop of the endpoints", () => {
      const config = healthyConfig({ timeServer: "20.101.57.9", dnsServers: ["8.8.8.8"] });
      const set = withRoute(
        { name: "ntp", addressPrefix: "20.101.57.9/32", nextHopType: "Internet" },
        { routeTable: { routes: [{ name: "drop-all", addressPrefix: "0.0.0.0/0", nextHopType: "None" }, { name: "dns", addressPrefix: "8.8.8.8/32", nextHopType: "Internet" }] } },
      );
      const findings = audit(set, config);
      assertHasFinding(findings, {
        rule: "BG205",
        severity: "error",
        code: "NetworkError",
        host: "*.trafficmanager.net",
        message: 'route "drop-all" (0.0.0.0/0) drops traffic to',
        evidence: ['route "dns" (8.8.8.8/32 -> Internet) holds one address, too few to carry *.trafficmanager.net'],
      });
      assertHasFinding(findings, { rule: "BG205", severity: "error", code: "LoginError", host: "login.microsoftonline.com" });
      expect(findingsOf(findings, "BG205").filter((f) => f.message.includes("may drop"))).toEqual([]);
      // The servers themselves take their host routes out.
      assertNoFindings(findings, "BG205", { host: "8.8.8.8" });
      assertNoFindings(findings, "BG205", { host: "20.101.57.9" });
    });

    it("1d. beside a None default route, a public /24 to the Internet may carry part of the endpoints: undetermined", () => {
      const set = withRoute({ name: "wide", addressPrefix: "20.101.57.0/24", nextHopType: "Internet" }, { routeTable: { routes: [{ name: "drop-all", addressPrefix: "0.0.0.0/0", nextHopType: "None" }] } });
      assertHasFinding(audit(set), { rule: "BG205", severity: "warning", code: "NetworkError", message: 'route "drop-all" (0.0.0.0/0) may drop (undetermined) traffic to' });
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

    it("4. a service-tag route (AzureActiveDirectory) to None: LoginError for the login endpoints it holds", () => {
      assertHasFinding(audit(withRoute({ name: "drop-aad", addressPrefix: "AzureActiveDirectory", nextHopType: "None" })), {
        rule: "BG205",
        severity: "error",
        code: "LoginError",
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
