import ipaddr from "ipaddr.js";

/*
 * The configuration's own string formats. They live apart from the validator so that the validators
 * compiled at build time (scripts/precompile-validators.js, into this directory of the build) can name them by module path: a compiled
 * validator calls `CONFIG_FORMATS["ip-or-cidr"].validate`, the same function the run-time compile uses.
 */

export function isIpOrCidr(value: string): boolean {
  if (ipaddr.isValid(value)) return true;
  try {
    ipaddr.parseCIDR(value);
    return true;
  } catch {
    return false;
  }
}

const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** A host name or address, optionally with `:port` (the probe's SNTP target may use another port). */
export function isHostOrIp(value: string): boolean {
  const match = /^(.*?)(?::(\d{1,5}))?$/.exec(value);
  const host = match?.[1] ?? value;
  const port = match?.[2];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return false;
  return ipaddr.isValid(value) || ipaddr.isValid(host) || HOST_NAME.test(host);
}

/** ajv format definitions (`{type, validate}`) by format name, for `ajv.addFormat`. */
export const CONFIG_FORMATS = {
  "ip-or-cidr": { type: "string", validate: isIpOrCidr },
  ip: { type: "string", validate: (v: string) => ipaddr.isValid(v) },
  "host-or-ip": { type: "string", validate: isHostOrIp },
} as const;
