/**
 * What a failed azure-native invoke says, in one safe line. The engine reports a provider error as
 * `invocation of <token> returned an error: request failed <id>: GET https://...` followed by Azure's
 * `RESPONSE 404: 404 Not Found`, `ERROR CODE: ResourceNotFound` and the JSON error body (older providers:
 * `Status=404 Code="ResourceNotFound" Message="..."`). Only the status, code and Azure's message are kept;
 * anything shaped like a credential is redacted.
 */

export interface InvokeErrorSummary {
  /** The resource (or its resource group) does not exist: for the registration, that is a finding. */
  notFound: boolean;
  status?: number;
  code?: string;
  /** One line: `<code>: <Azure's message>` (or the first line of the error), redacted and bounded. */
  reason: string;
}

/** Azure error codes that mean "there is no such resource" (as opposed to "you may not see it"). */
const NOT_FOUND_CODES = new Set(["resourcenotfound", "resourcegroupnotfound", "notfound", "parentresourcenotfound"]);

const MAX_REASON = 400;

/** Bearer tokens, JWTs, SAS signatures and secret-looking query or form parameters. */
export function redact(text: string): string {
  return text
    .replace(/\bBearer\s+[A-Za-z0-9\-._~+/]+=*/gi, "Bearer [redacted]")
    .replace(/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, "[redacted token]")
    .replace(/\b(sig|signature|client_secret|access_token|refresh_token|assertion|password|code)=([^&\s"']+)/gi, "$1=[redacted]");
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function bounded(text: string): string {
  return text.length > MAX_REASON ? `${text.slice(0, MAX_REASON - 1)}…` : text;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === "string") return error;
  return String(error);
}

/** Reads status, code and message out of an invoke error; never throws. */
export function summarizeInvokeError(error: unknown): InvokeErrorSummary {
  const text = messageOf(error);
  const status = Number(/RESPONSE (\d{3})\b/.exec(text)?.[1] ?? /\bStatus(?:Code)?[=:]\s*"?(\d{3})\b/i.exec(text)?.[1] ?? Number.NaN);
  const code =
    /ERROR CODE:\s*([A-Za-z][\w.]*)/.exec(text)?.[1] ??
    /\bCode="([A-Za-z][\w.]*)"/.exec(text)?.[1] ??
    /"code"\s*:\s*"([A-Za-z][\w.]*)"/.exec(text)?.[1];
  const azureMessage = /"message"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(text)?.[1] ?? /\bMessage="((?:[^"\\]|\\.)*)"/.exec(text)?.[1];
  const notFound = code !== undefined ? NOT_FOUND_CODES.has(code.toLowerCase()) : status === 404 || /\b404\b|\bnot found\b/i.test(text);

  let reason: string;
  if (code !== undefined || azureMessage !== undefined) {
    const detail = azureMessage !== undefined ? azureMessage.replace(/\\"/g, '"').replace(/\\\\/g, "\\") : undefined;
    reason = [code, detail].filter((part): part is string => Boolean(part)).join(": ");
    if (!Number.isNaN(status) && code === undefined) reason = `HTTP ${status}: ${reason}`;
  } else {
    // No Azure error structure: the first line, without the engine's "invocation of ... returned an error:" prefix.
    const first = text.split("\n").find((line) => line.trim() !== "") ?? "unknown error";
    reason = first.replace(/^.*?returned an error:\s*/, "");
  }
  const summary: InvokeErrorSummary = { notFound, reason: bounded(oneLine(redact(reason))) };
  if (!Number.isNaN(status)) summary.status = status;
  if (code !== undefined) summary.code = code;
  return summary;
}
