import { describe, expect, it } from "vitest";
import { normalizeArm, normalizePulumiResource } from "../../src/input/normalize";

const NET = "/subscriptions/7c2a8e2e-3f1d-4b6a-9a7e-2d4c1b9f0a11/resourceGroups/hub/providers/Microsoft.Network";

describe("attachments: subnets, virtual networks and network interfaces", () => {
  it("reads a virtual network's inline subnets from ARM JSON (nested properties)", () => {
    const set = normalizeArm(
      {
        id: `${NET}/virtualNetworks/hub-vnet`,
        name: "hub-vnet",
        type: "Microsoft.Network/virtualNetworks",
        properties: {
          addressSpace: { addressPrefixes: ["10.0.0.0/16"] },
          subnets: [
            {
              id: `${NET}/virtualNetworks/hub-vnet/subnets/vip`,
              name: "vip",
              properties: { addressPrefix: "10.0.1.0/24", networkSecurityGroup: { id: `${NET}/networkSecurityGroups/vip-nsg` }, routeTable: { id: `${NET}/routeTables/vip-rt` } },
            },
            { name: "workload", properties: { addressPrefixes: ["10.0.2.0/24", "10.0.3.0/24"] } },
          ],
        },
      },
      "vnet.json",
    );
    expect(set.resources[0]).toMatchObject({
      kind: "virtualNetwork",
      subnets: [
        { name: "vip", armId: `${NET}/virtualNetworks/hub-vnet/subnets/vip`, addressPrefixes: ["10.0.1.0/24"], networkSecurityGroupId: `${NET}/networkSecurityGroups/vip-nsg`, routeTableId: `${NET}/routeTables/vip-rt` },
        { name: "workload", addressPrefixes: ["10.0.2.0/24", "10.0.3.0/24"] },
      ],
    });
  });

  it("reads a planned Subnet (flattened Pulumi inputs) with its virtual network's name", () => {
    const subnet = normalizePulumiResource(
      {
        type: "azure-native:network:Subnet",
        urn: "urn:pulumi:dev::p::azure-native:network:Subnet::vip",
        name: "vip",
        props: { subnetName: "vip", virtualNetworkName: "hub-vnet", resourceGroupName: "hub", addressPrefix: "203.0.113.0/27", networkSecurityGroup: { id: `${NET}/networkSecurityGroups/vip-nsg` } },
      },
      "policy pack",
    );
    expect(subnet).toMatchObject({ kind: "subnet", virtualNetworkName: "hub-vnet", subnet: { name: "vip", addressPrefixes: ["203.0.113.0/27"], networkSecurityGroupId: `${NET}/networkSecurityGroups/vip-nsg` } });
  });

  it("reads a network interface's NSG and IP configurations", () => {
    const set = normalizeArm(
      [
        {
          id: `${NET}/networkInterfaces/vm-nic`,
          name: "vm-nic",
          type: "Microsoft.Network/networkInterfaces",
          properties: {
            networkSecurityGroup: { id: `${NET}/networkSecurityGroups/vm-nsg` },
            ipConfigurations: [{ name: "ipconfig1", properties: { privateIPAddress: "10.0.2.4", subnet: { id: `${NET}/virtualNetworks/hub-vnet/subnets/workload` } } }],
          },
        },
      ],
      "nics.json",
    );
    expect(set.resources[0]).toMatchObject({
      kind: "networkInterface",
      networkSecurityGroupId: `${NET}/networkSecurityGroups/vm-nsg`,
      ipConfigurations: [{ privateIpAddress: "10.0.2.4", subnetId: `${NET}/virtualNetworks/hub-vnet/subnets/workload` }],
    });
  });

  it("names the file and path of a malformed attachment", () => {
    expect(() =>
      normalizeArm({ id: `${NET}/virtualNetworks/v/subnets/s`, name: "s", type: "Microsoft.Network/virtualNetworks/subnets", properties: { networkSecurityGroup: "vip-nsg" } }, "subnet.json"),
    ).toThrow(/subnet\.json.*properties\.networkSecurityGroup.*expected an object/);
  });
});
