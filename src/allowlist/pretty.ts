/**
 * Pretty printing for the allow-list renderings: objects one key per line, arrays of plain values (FQDN
 * lists, ports, protocols) and small objects of plain values on one line, so that a rule reads at a glance. The JSON form is valid JSON; the
 * TypeScript form leaves identifier keys unquoted.
 */
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function isPlain(value: unknown): boolean {
  return value === null || ["string", "number", "boolean"].includes(typeof value);
}

export function pretty(value: unknown, options: { indent: string; bareKeys?: boolean }, depth = 0): string {
  const pad = options.indent.repeat(depth + 1);
  const end = options.indent.repeat(depth);
  if (isPlain(value)) return JSON.stringify(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    if (value.every(isPlain)) return `[${value.map((v) => JSON.stringify(v)).join(", ")}]`;
    return `[\n${value.map((v) => `${pad}${pretty(v, options, depth + 1)}`).join(",\n")}\n${end}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return "{}";
  const key = (k: string) => (options.bareKeys && IDENTIFIER.test(k) ? k : JSON.stringify(k));
  // Small objects of plain values (`{ "protocolType": "Https", "port": 443 }`, an action) on one line.
  if (entries.length <= 2 && entries.every(([, v]) => isPlain(v))) return `{ ${entries.map(([k, v]) => `${key(k)}: ${JSON.stringify(v)}`).join(", ")} }`;
  return `{\n${entries.map(([k, v]) => `${pad}${key(k)}: ${pretty(v, options, depth + 1)}`).join(",\n")}\n${end}}`;
}
