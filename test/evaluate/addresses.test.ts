import { describe, expect, it } from "vitest";
import { matchDestinations, matchIpGroups, matchSources } from "../../src/evaluate/addresses";
import type { FlowDestination } from "../../src/evaluate/types";

const VIP = ["203.0.113.0/27"];

function whyOf(match: ReturnType<typeof matchSources>): string {
  return match.result === "maybe" ? match.why : (match.notes ?? []).join(" ");
}

describe("matchSources: the rule must cover ALL of the flow's source ranges", () => {
  it.each([
    { name: "*", rule: ["*"], flow: VIP, expected: "yes" },
    { name: "Any", rule: ["Any"], flow: VIP, expected: "yes" },
    { name: "0.0.0.0/0", rule: ["0.0.0.0/0"], flow: VIP, expected: "yes" },
    { name: "same CIDR", rule: ["203.0.113.0/27"], flow: VIP, expected: "yes" },
    { name: "larger CIDR", rule: ["203.0.113.0/24"], flow: VIP, expected: "yes" },
    { name: "two halves together", rule: ["203.0.113.0/28", "203.0.113.16/28"], flow: VIP, expected: "yes" },
    { name: "range a-b covering all", rule: ["203.0.113.0-203.0.113.31"], flow: VIP, expected: "yes" },
    { name: "half", rule: ["203.0.113.0/28"], flow: VIP, expected: "maybe", why: "rule sources cover only 203.0.113.0/28 of 203.0.113.0/27" },
    { name: "range straddling", rule: ["203.0.113.20-203.0.113.40"], flow: VIP, expected: "maybe", why: "cover only 203.0.113.20-203.0.113.31 of" },
    { name: "single address", rule: ["203.0.113.5"], flow: VIP, expected: "maybe", why: "cover only 203.0.113.5 of" },
    { name: "disjoint", rule: ["10.0.0.0/8"], flow: VIP, expected: "no" },
    { name: "not configured, CIDR rule", rule: ["203.0.113.0/27"], flow: undefined, expected: "maybe", why: "egress.sourceAddresses not configured" },
    { name: "not configured, *", rule: ["*"], flow: undefined, expected: "yes" },
    { name: "invalid entry noted", rule: ["203.0.113.0/33", "203.0.113.0/27"], flow: VIP, expected: "yes", why: 'source "203.0.113.0/33" is not an address' },
    { name: "tag", rule: ["AzureCloud"], flow: VIP, expected: "maybe", why: "source tag AzureCloud" },
  ])("$name", ({ rule, flow, expected, why }) => {
    const match = matchSources(rule, flow);
    expect(match.result).toBe(expected);
    if (why) expect(whyOf(match)).toContain(why);
  });
});

const usage: FlowDestination = { kind: "fqdn", host: "*.trafficmanager.net", serviceTags: [] };
const login: FlowDestination = { kind: "fqdn", host: "login.microsoftonline.com", serviceTags: ["AzureActiveDirectory"] };
const arm: FlowDestination = { kind: "fqdn", host: "management.azure.com", serviceTags: ["AzureResourceManager"] };
const publicNtp: FlowDestination = { kind: "address", address: "20.101.57.9" };
const privateDns: FlowDestination = { kind: "address", address: "10.50.0.53" };
const namedNtp: FlowDestination = { kind: "address", address: "time.windows.com" };

describe("matchDestinations", () => {
  it.each([
    { name: "* vs FQDN", rule: ["*"], dest: usage, expected: "yes" },
    { name: "Internet vs FQDN", rule: ["Internet"], dest: usage, expected: "yes" },
    { name: "AzureCloud vs FQDN", rule: ["AzureCloud"], dest: usage, expected: "yes" },
    { name: "listed tag", rule: ["AzureActiveDirectory"], dest: login, expected: "yes" },
    { name: "another catalog service's tag", rule: ["AzureActiveDirectory"], dest: { kind: "fqdn" as const, host: "*.trafficmanager.net", serviceTags: [] }, expected: "no" },
    { name: "ARM tag does not hold login", rule: ["AzureResourceManager"], dest: login, expected: "no" },
    { name: "listed tag, case-insensitive", rule: ["azureresourcemanager"], dest: arm, expected: "yes" },
    { name: "AzureTrafficManager does not cover *.trafficmanager.net", rule: ["AzureTrafficManager"], dest: usage, expected: "no" },
    { name: "regional AzureCloud", rule: ["AzureCloud.westeurope"], dest: usage, expected: "maybe", why: "regional service tag" },
    { name: "unknown tag", rule: ["Storage"], dest: arm, expected: "maybe", why: "service tag Storage" },
    { name: "public CIDR vs FQDN", rule: ["20.0.0.0/8"], dest: arm, expected: "maybe", why: "IP rule cannot be matched to an FQDN statically" },
    { name: "private CIDR vs FQDN", rule: ["10.0.0.0/8"], dest: arm, expected: "no" },
    { name: "link-local vs FQDN", rule: ["169.254.0.0/16"], dest: arm, expected: "no" },
    { name: "CIDR contains address", rule: ["20.101.0.0/16"], dest: publicNtp, expected: "yes" },
    { name: "CIDR misses address", rule: ["20.102.0.0/16"], dest: publicNtp, expected: "no" },
    { name: "range contains address", rule: ["10.50.0.1-10.50.0.100"], dest: privateDns, expected: "yes" },
    { name: "Internet vs public address", rule: ["Internet"], dest: publicNtp, expected: "yes" },
    { name: "Internet vs private address", rule: ["Internet"], dest: privateDns, expected: "no" },
    { name: "VirtualNetwork vs private address", rule: ["VirtualNetwork"], dest: privateDns, expected: "maybe" },
    { name: "VirtualNetwork vs public address", rule: ["VirtualNetwork"], dest: publicNtp, expected: "no" },
    { name: "other tag vs public address", rule: ["AzureCloud"], dest: publicNtp, expected: "maybe" },
    { name: "other tag vs private address", rule: ["AzureCloud"], dest: privateDns, expected: "no" },
    // A configured host name may resolve to a private address (an on-premises server): only "*" is sure to hold it.
    { name: "host-name time server vs Internet: its address may be private", rule: ["Internet"], dest: namedNtp, expected: "maybe", why: "is a host name" },
    { name: "host-name time server vs a private CIDR: may hold it", rule: ["10.0.0.0/8"], dest: namedNtp, expected: "maybe", why: "is a host name" },
    { name: "host-name time server vs *", rule: ["*"], dest: namedNtp, expected: "yes" },
    { name: "host-name time server vs CIDR", rule: ["20.0.0.0/8"], dest: namedNtp, expected: "maybe" },
    { name: "invalid destination noted", rule: ["20.0.0.0/99"], dest: publicNtp, expected: "no", why: "is not an address" },
  ])("$name", ({ rule, dest, expected, why }) => {
    const match = matchDestinations(rule, dest);
    expect(match.result).toBe(expected);
    if (why) expect(whyOf(match)).toContain(why);
  });
});

describe("matchIpGroups", () => {
  it("cannot see inside an IP group", () => {
    const match = matchIpGroups(["/subscriptions/s/resourceGroups/hub/providers/Microsoft.Network/ipGroups/stamp"]);
    expect(match).toEqual({ result: "maybe", why: "IP group contents are not in the stack (stamp)" });
  });
});
