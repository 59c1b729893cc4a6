import type { NetworkInterface, NicIpConfiguration, Subnet, SubnetLinks, VirtualNetwork } from "../../model/resource";
import { mergeSingularPlural, readObject, readObjectArray, readString, readStringArray, type Node, type ReadContext } from "../values";
import { nameAfter } from "./armId";
import { baseOf, withBase, type SourceResource } from "./common";

/*
 * Attachments: which subnets and NICs an NSG or a route table is attached to, so that the path module
 * (src/evaluate/path.ts) can leave out the gates the bridge's flows never cross. Azure keeps the
 * attachment on the subnet (`networkSecurityGroup.id`, `routeTable.id`) and on the NIC
 * (`networkSecurityGroup.id`); the NSG's own `subnets`/`networkInterfaces` are read-only copies.
 */

function idOf(ctx: ReadContext, node: Node, key: string): string | undefined {
  const ref = readObject(ctx, node, key);
  return ref ? readString(ctx, ref, "id") : undefined;
}

/** One subnet's prefixes and attachments (`SubnetResponse`), standalone or inline. */
export function subnetLinks(ctx: ReadContext, node: Node, fallbackName: string, armId?: string): SubnetLinks {
  const links: SubnetLinks = {
    name: readString(ctx, node, "name") ?? fallbackName,
    addressPrefixes: mergeSingularPlural(readString(ctx, node, "addressPrefix"), readStringArray(ctx, node, "addressPrefixes")),
  };
  const id = armId ?? readString(ctx, node, "id");
  if (id !== undefined && id !== "") links.armId = id;
  const nsg = idOf(ctx, node, "networkSecurityGroup");
  if (nsg !== undefined) links.networkSecurityGroupId = nsg;
  const table = idOf(ctx, node, "routeTable");
  if (table !== undefined) links.routeTableId = table;
  return links;
}

/** `azure-native:network:Subnet` / `Microsoft.Network/virtualNetworks/subnets`. */
export function normalizeSubnet(src: SourceResource): Subnet {
  const { ctx, node } = src;
  const fallback = readString(ctx, node, "subnetName") ?? src.ref.name;
  const subnet = withBase<Subnet>(baseOf(src), { kind: "subnet", subnet: subnetLinks(ctx, node, fallback, src.armId) });
  const network = (src.armId ? nameAfter(src.armId, "virtualNetworks") : undefined) ?? readString(ctx, node, "virtualNetworkName");
  if (network !== undefined) subnet.virtualNetworkName = network;
  return subnet;
}

/** `azure-native:network:VirtualNetwork` / `Microsoft.Network/virtualNetworks`: its inline subnets. */
export function normalizeVirtualNetwork(src: SourceResource): VirtualNetwork {
  const { ctx, node } = src;
  return withBase<VirtualNetwork>(baseOf(src), { kind: "virtualNetwork", subnets: (readObjectArray(ctx, node, "subnets") ?? []).map((s) => subnetLinks(ctx, s, "")) });
}

/** `azure-native:network:NetworkInterface` / `Microsoft.Network/networkInterfaces`. */
export function normalizeNetworkInterface(src: SourceResource): NetworkInterface {
  const { ctx, node } = src;
  const ipConfigurations = (readObjectArray(ctx, node, "ipConfigurations") ?? []).map((ipc): NicIpConfiguration => {
    const c: NicIpConfiguration = {};
    const ip = readString(ctx, ipc, "privateIPAddress");
    if (ip !== undefined) c.privateIpAddress = ip;
    const subnetId = idOf(ctx, ipc, "subnet");
    if (subnetId !== undefined) c.subnetId = subnetId;
    return c;
  });
  const nic = withBase<NetworkInterface>(baseOf(src), { kind: "networkInterface", ipConfigurations });
  const nsg = idOf(ctx, node, "networkSecurityGroup");
  if (nsg !== undefined) nic.networkSecurityGroupId = nsg;
  return nic;
}
