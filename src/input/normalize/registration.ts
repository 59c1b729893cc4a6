import type { Registration } from "../../model/resource";
import { readString } from "../values";
import { nameAfter } from "./armId";
import { baseOf, withBase, type SourceResource } from "./common";

/**
 * `azure-native:azurestack:Registration` / `Microsoft.AzureStack/registrations`.
 *
 * The registration's name is read from its ARM id: the REST GET body's `name` is not reliable (the API's
 * own example answers `"name": "azurestack"` for `/registrations/testregistration`). Without an id (a
 * planned resource) it is the `registrationName` input. The write-only `registrationToken` (a secret in
 * state) is never read.
 */
export function normalizeRegistration(src: SourceResource): Registration {
  const { ctx, node } = src;
  const r = withBase<Registration>(baseOf(src), { kind: "registration" });
  const fromId = src.armId ? nameAfter(src.armId, "registrations") : undefined;
  const registrationName = fromId ?? readString(ctx, node, "registrationName");
  if (registrationName !== undefined) r.registrationName = registrationName;
  const location = readString(ctx, node, "location");
  if (location !== undefined) r.location = location;
  // GET and LIST bodies may omit cloudId: absent stays absent (the rules treat that as a doubt).
  const cloudId = readString(ctx, node, "cloudId");
  if (cloudId !== undefined) r.cloudId = cloudId;
  const objectId = readString(ctx, node, "objectId");
  if (objectId !== undefined) r.objectId = objectId;
  const billingModel = readString(ctx, node, "billingModel");
  if (billingModel !== undefined) r.billingModel = billingModel;
  return r;
}
