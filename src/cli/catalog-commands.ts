import { requiredEndpoints } from "../analysis/flows";
import type { Command } from "commander";
import {
  buildAllowRuleSet,
  renderArm,
  renderPulumiSnippet,
  renderTlsBypass,
  tlsBypassHostsFor,
  type AllowRuleSet,
} from "../allowlist";
import { ERROR_CODE_INFO, isErrorCode } from "../catalog/codes";
import type { CloudName } from "../catalog/clouds";
import {
  CATALOG_SOURCE,
  CATALOG_VERSION,
  catalogEndpoints,
  CONFIGURED_ENDPOINTS,
  DEPLOYMENT_ENDPOINTS,
  DEPLOYMENT_HOST_NOTE,
  deploymentEndpointsNote,
} from "../catalog/endpoints";
import type { BridgeguardConfig } from "../config/types";
import { loadConfig } from "../engine/config";
import { docsPath } from "../engine/run";
import { UserError } from "../model/errors";
import { allRuleMetas, findRuleMeta } from "../rules";
import { resolveConfigFile, type ConfigFlag } from "./config-file";
import { checkOutputsAreNotInputs } from "./file-identity";
import { writeOutput } from "./io";
import { cloudOption, formatOption } from "./options";
import { wrap } from "../report/common";
import { renderTable, toCsv } from "./table";
import { terminalWidth } from "./terminal";

interface EndpointRow {
  purpose: string;
  host: string;
  path: string;
  ports: string;
  code: string;
  severity: string;
  required: boolean;
  /** The source's Requirement column for the row, in its own words. */
  requirement: string;
  note: string;
  /** The host is the deployment's own, known only by its description (`<...>`) or from the config. */
  deploymentSpecific: boolean;
}

function portsText(ports: readonly { port: number; protocol: string }[]): string {
  return ports.map((p) => `${p.protocol.toUpperCase()} ${p.port}`).join(", ");
}

function endpointRows(cloud: CloudName, all: boolean, timeServer: string | undefined, dnsServers: string[]): EndpointRow[] {
  // Without --all, what the audit checks and the probe tests: the required endpoints, as analysis expands them.
  const rows: EndpointRow[] = (all ? catalogEndpoints(cloud, { all: true }) : requiredEndpoints(cloud)).map((e) => ({
    purpose: e.purpose,
    host: e.host,
    path: e.path ?? "",
    ports: portsText(e.ports),
    code: e.code,
    severity: e.severity,
    required: e.required,
    requirement: e.requirement.text,
    note: [e.note, e.representatives?.length ? `documented host under it (for probe --host-for): ${e.representatives.map((r) => r.host).join(", ")}` : undefined]
      .filter(Boolean)
      .join("; "),
    deploymentSpecific: false,
  }));
  for (const configured of CONFIGURED_ENDPOINTS) {
    const servers = configured.configKey === "timeServer" ? (timeServer ? [timeServer] : []) : dnsServers;
    const hosts = servers.length ? servers : [`<${configured.configKey}>`];
    for (const host of hosts) {
      rows.push({
        purpose: configured.purpose,
        host,
        path: "",
        ports: portsText(configured.ports),
        code: configured.code,
        severity: configured.severity,
        required: true,
        requirement: configured.requirement.text,
        note: servers.length ? configured.note : `${configured.note}; set ${configured.configKey} in bridgeguard.yaml`,
        deploymentSpecific: true,
      });
    }
  }
  if (all) {
    for (const e of DEPLOYMENT_ENDPOINTS) {
      rows.push({
        purpose: e.purpose,
        host: e.host,
        path: "",
        ports: portsText(e.ports),
        code: "",
        severity: e.severity,
        required: e.required,
        requirement: e.requirement.text,
        note: `${DEPLOYMENT_HOST_NOTE}: ${e.note}`,
        deploymentSpecific: true,
      });
    }
  }
  return rows;
}

/** `endpoints` formats: the catalog as a list (table, csv, json), or as rules and lists to deploy. */
const ENDPOINT_FORMATS = ["table", "csv", "json", "azure-firewall-policy", "pulumi", "tls-bypass"] as const;

interface EndpointsOptions {
  config?: ConfigFlag;
  cloud?: CloudName;
  all?: boolean;
  format: (typeof ENDPOINT_FORMATS)[number];
  output?: string;
  source?: string[];
  timeServer?: string;
  dnsServer?: string[];
  priority?: string;
  policyName?: string;
  resourceGroup?: string;
  groupName?: string;
}

/** `<resourceGroup>/<name>` of the one firewall policy the config names (verification program), if exactly one. */
function configuredPolicy(config: BridgeguardConfig): { resourceGroup: string; name: string } | undefined {
  const policies = config.egress.firewallPolicies ?? [];
  if (policies.length !== 1) return undefined;
  const [resourceGroup, name] = policies[0]!.split("/");
  return resourceGroup && name ? { resourceGroup, name } : undefined;
}

function parsePriority(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw UserError.at(undefined, "--priority", `expected an integer from 100 to 65000, got "${value}"`);
  return Number(value);
}

/** The stamp's egress range from `--source` or the config; without it, rules cannot be written (never `*`). */
function requireSources(options: EndpointsOptions, config: BridgeguardConfig): string[] {
  const sourceAddresses = options.source ?? config.egress.sourceAddresses;
  if (!sourceAddresses || sourceAddresses.length === 0) {
    throw UserError.at(
      undefined,
      undefined,
      `--format ${options.format} needs the stamp's egress range: set egress.sourceAddresses in bridgeguard.yaml or pass --source <cidr> (rules never allow from *)`,
    );
  }
  return sourceAddresses;
}

/** The rule set for the configured cloud and range; flags override the config. Notes go to stderr. */
function ruleSetFor(options: EndpointsOptions, config: BridgeguardConfig, cloud: CloudName): AllowRuleSet {
  const sourceAddresses = requireSources(options, config);
  const set = buildAllowRuleSet({
    cloud,
    sourceAddresses,
    timeServer: options.timeServer ?? config.timeServer,
    dnsServers: options.dnsServer ?? config.dnsServers,
    priority: parsePriority(options.priority),
    all: Boolean(options.all),
    names: options.groupName !== undefined ? { group: options.groupName } : undefined,
  });
  for (const note of set.notes) process.stderr.write(`bridgeguard: note: ${note}\n`);
  if (options.all) process.stderr.write(`bridgeguard: note: ${deploymentEndpointsNote()}\n`);
  return set;
}

function renderEndpoints(options: EndpointsOptions, configFile: string | undefined): string {
  const config = loadConfig(configFile);
  const cloud = options.cloud ?? config.cloud;
  const timeServer = options.timeServer ?? config.timeServer;
  const dnsServers = options.dnsServer ?? config.dnsServers;
  const all = Boolean(options.all);
  switch (options.format) {
    case "azure-firewall-policy": {
      requireSources(options, config);
      const policyName = options.policyName ?? configuredPolicy(config)?.name;
      if (policyName === undefined) {
        throw UserError.at(undefined, undefined, "--format azure-firewall-policy needs the firewall policy the group goes into: pass --policy-name <name>");
      }
      return renderArm(ruleSetFor(options, config, cloud), policyName);
    }
    case "pulumi": {
      const configured = configuredPolicy(config);
      return renderPulumiSnippet(ruleSetFor(options, config, cloud), {
        firewallPolicyName: options.policyName ?? configured?.name,
        resourceGroupName: options.resourceGroup ?? configured?.resourceGroup,
      });
    }
    case "tls-bypass":
      if (all) process.stderr.write(`bridgeguard: note: ${deploymentEndpointsNote()}\n`);
      return renderTlsBypass(tlsBypassHostsFor(cloud, { all }));
    default:
      break;
  }
  const rows = endpointRows(cloud, all, timeServer, dnsServers);
  const width = terminalWidth(process.stdout, process.env);
  const columns = ["purpose", "host", "path", "ports", "code", "severity", "required", "note"] as const;
  if (options.format === "json") {
    return JSON.stringify({ catalog: { version: CATALOG_VERSION, source: CATALOG_SOURCE }, cloud, endpoints: rows }, null, 2);
  }
  if (options.format === "csv") return toCsv(columns, rows.map((r) => columns.map((c) => String(r[c]))));
  // For a person: the host with its path, then what a firewall admin needs first; the rest wraps below
  // each row on a narrow terminal.
  const table = ["endpoint", "ports", "code", "severity", "purpose", "required", "note"];
  const cells = rows.map((r) => [`${r.host}${r.path}`, r.ports, r.code, r.severity, r.purpose, r.required ? "yes" : "no", r.note]);
  const footer = wrap(`catalog ${CATALOG_VERSION} (${cloud}); filter by FQDN: Microsoft publishes no addresses for these names.`, width).join("\n");
  return `${renderTable(table, cells, { width })}\n${footer}`;
}

export function registerCatalogCommands(program: Command): void {
  program
    .command("endpoints")
    .description("print the endpoint allow-list the bridge needs (for a firewall admin), or the firewall rules that allow exactly it")
    .option("-c, --config <file>", "bridgeguard.yaml (cloud, egress range, time and DNS servers; default: bridgeguard.yaml in the working directory or a parent up to the repository root)")
    .option("--no-config", "use no configuration file, not even a bridgeguard.yaml found in the working directory")
    .addOption(cloudOption())
    .option("--all", "also list the endpoints usage reporting does not need (marketplace, patch, Defender, diagnostics, and your own CRL, LDAP and AD FS hosts)")
    .addOption(formatOption(ENDPOINT_FORMATS))
    .option("--source <cidr...>", "the stamp's egress range (public VIP /27); overrides egress.sourceAddresses")
    .option("--time-server <host>", "the deployment's NTP server; overrides timeServer")
    .option("--dns-server <ip...>", "the deployment's DNS servers; override dnsServers")
    .option("--priority <n>", "rule collection group priority, 100-65000 (default 100)")
    .option("--policy-name <name>", "firewall policy the rule collection group goes into (azure-firewall-policy, pulumi)")
    .option("--resource-group <name>", "resource group of the firewall policy (pulumi)")
    .option("--group-name <name>", "rule collection group name (default azs-bridge-egress)")
    .option("-o, --output <file>", "write to a file instead of stdout (written whole or not at all)")
    .action((options: EndpointsOptions) => {
      const configFile = resolveConfigFile(options.config);
      if (options.output !== undefined && configFile !== undefined) {
        checkOutputsAreNotInputs([{ file: options.output, flag: "--output" }], [{ file: configFile, role: "--config" }]);
      }
      writeOutput(renderEndpoints(options, configFile), options.output, "the endpoint list");
    });

  program
    .command("rules")
    .description("list the rules, their codes and default severities")
    .addOption(formatOption(["table", "json"]))
    .action((options: { format: string }) => {
      const metas = allRuleMetas();
      if (options.format === "json") {
        writeOutput(JSON.stringify(metas.map((m) => ({ ...m, docs: docsPath(m) })), null, 2), undefined);
        return;
      }
      const columns = ["id", "slug", "code", "severity", "scope", "title"] as const;
      writeOutput(renderTable(columns, metas.map((m) => columns.map((c) => String(m[c]))), { width: terminalWidth(process.stdout, process.env) }), undefined);
    });

  program
    .command("explain")
    .description("explain an error code (NetworkError, ...) or a rule (BG201 or its slug)")
    .argument("<code-or-rule>")
    .action((key: string) => {
      writeOutput(explain(key), undefined);
    });
}

export function explain(key: string): string {
  const code = Object.keys(ERROR_CODE_INFO).find((c) => c.toLowerCase() === key.toLowerCase());
  if (code && isErrorCode(code)) {
    const info = ERROR_CODE_INFO[code];
    const rules = allRuleMetas().flatMap((m) => {
      if (m.code === code) return [{ m, when: "" }];
      const other = m.otherCodes?.find((o) => o.code === code);
      return other ? [{ m, when: ` (when ${other.when})` }] : [];
    });
    return [
      `${info.code}`,
      "",
      `What it means: ${info.issue}`,
      `Documented remediation: ${info.remediation}`,
      "",
      "Causes bridgeguard detects:",
      ...info.causes.map((c) => `  - ${c}`),
      "",
      "Rules that report it:",
      ...rules.map(({ m, when }) => `  ${m.id} ${m.slug} (${m.severity}): ${m.title}${when}`),
      "",
      "Also check the registration: find its subscription, resource group and name in the administrator portal (Region management > Properties) and make sure the resource exists there (it is a hidden type in the Azure portal); if not, re-register.",
    ].join("\n");
  }
  const m = findRuleMeta(key);
  if (!m) throw UserError.at(undefined, undefined, `unknown error code or rule "${key}" (codes: ${Object.keys(ERROR_CODE_INFO).join(", ")}; rules: bridgeguard rules)`);
  return [
    `${m.id} ${m.slug}: ${m.title}`,
    `code: ${m.code}, default severity: ${m.severity}, ${m.scope} rule`,
    ...(m.otherCodes ?? []).map((o) => `also ${o.code} when ${o.when}: the code follows what the broken flow serves`),
    "",
    `Why: ${m.why}`,
    "",
    `Fix: ${m.remediation}`,
    `Documented remediation for ${m.code}: ${ERROR_CODE_INFO[m.code].remediation}`,
    ...(m.otherCodes ?? []).map((o) => `Documented remediation for ${o.code}: ${ERROR_CODE_INFO[o.code].remediation}`),
    "",
    `Docs: ${docsPath(m)}`,
  ].join("\n");
}
