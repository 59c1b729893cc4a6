/** What a failed invoke says, in one safe line: not-found or not, Azure's code and message, no credentials. */
import { describe, expect, it } from "vitest";
import { redact, summarizeInvokeError } from "../../src/program/errors";
import { IDS, invokeError } from "./arm";

describe("summarizeInvokeError", () => {
  it("reads azcore's RESPONSE/ERROR CODE format (azure-native 2.x and 3.x)", () => {
    const error = invokeError("azure-native:azurestack:getRegistration", IDS.registration, 404, "ResourceNotFound", "The Resource 'Microsoft.AzureStack/registrations/x' under resource group 'azurestack' was not found.");
    expect(summarizeInvokeError(error)).toEqual({
      notFound: true,
      status: 404,
      code: "ResourceNotFound",
      reason: "ResourceNotFound: The Resource 'Microsoft.AzureStack/registrations/x' under resource group 'azurestack' was not found.",
    });
  });

  it("reads autorest's Status=/Code=/Message= format (older providers)", () => {
    const error = new Error(
      'invocation of azure-native:network:getRouteTable returned an error: request failed /subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/routeTables/rt: autorest/azure: Service returned an error. Status=404 Code="ResourceGroupNotFound" Message="Resource group \'rg\' could not be found."',
    );
    expect(summarizeInvokeError(error)).toMatchObject({ notFound: true, status: 404, code: "ResourceGroupNotFound", reason: "ResourceGroupNotFound: Resource group 'rg' could not be found." });
  });

  it("does not take a missing subscription or a refusal for a missing resource", () => {
    expect(summarizeInvokeError(invokeError("t", IDS.registration, 404, "SubscriptionNotFound", "The subscription 'x' could not be found.")).notFound).toBe(false);
    expect(summarizeInvokeError(invokeError("t", IDS.nsg, 403, "AuthorizationFailed", "The client 'x' does not have authorization")).notFound).toBe(false);
    expect(summarizeInvokeError(invokeError("t", IDS.nsg, 429, "TooManyRequests", "Try again later")).notFound).toBe(false);
  });

  it("falls back to the first line, without the engine's prefix, for an error with no Azure structure", () => {
    expect(summarizeInvokeError(new Error("invocation of azure-native:network:getAzureFirewall returned an error: dial tcp: lookup management.azure.com: no such host\nmore"))).toEqual({
      notFound: false,
      reason: "dial tcp: lookup management.azure.com: no such host",
    });
    expect(summarizeInvokeError("plain string").reason).toBe("plain string");
  });

  it("bounds the reason to one line of at most 400 characters", () => {
    const long = invokeError("t", IDS.nsg, 400, "BadRequest", `line one\nline two ${"x".repeat(1000)}`);
    const { reason } = summarizeInvokeError(long);
    expect(reason).not.toContain("\n");
    expect(reason.length).toBeLessThanOrEqual(400);
  });
});

describe("redact", () => {
  it("removes bearer tokens, JWTs and secret parameters", () => {
    const jwt = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJhcm0ifQ.c2lnbmF0dXJl";
    const text = `Authorization: Bearer abc.def-ghi token=${jwt} https://x.blob.core.windows.net/c?sv=2022&sig=AbC%2Bdef client_secret=s3cr3t`;
    const out = redact(text);
    expect(out).not.toContain("abc.def-ghi");
    expect(out).not.toContain(jwt);
    expect(out).not.toContain("AbC%2Bdef");
    expect(out).not.toContain("s3cr3t");
    expect(out).toContain("Bearer [redacted]");
    expect(out).toContain("sig=[redacted]");
  });
});
