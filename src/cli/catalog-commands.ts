import type { Command } from "commander";
import { ERROR_CODE_INFO, isErrorCode } from "../catalog/codes";
import type { CloudName } from "../catalog/clouds";
import { CATALOG_SOURCE, CATALOG_VERSION, catalogEndpoints, CONFIGURED_ENDPOINTS } from "../catalog/endpoints";
import { loadConfig } from "../engine/config";
import { docsPath } from "../engine/run";
import { UserError } from "../model/errors";
import { allRuleMetas, findRuleMeta } from "../rules";
import { writeOutput } from "./io";
import { cloudOption, formatOption } from "./options";
import { renderTable, toCsv } from "./table";

interface EndpointRow {
  purpose: string;
  host: string;
  path: string;
  ports: string;
  code: string;
  severity: string;
  required: boolean;
  note: string;
}

function endpointRows(cloud: CloudName, all: boolean, timeServer: string | undefined, dnsServers: string[]): EndpointRow[] {
  const rows: EndpointRow[] = catalogEndpoints(cloud, { all }).map((e) => ({
    purpose: e.purpose,
    host: e.host,
    path: e.path ?? "",
    ports: e.ports.map((p) => `${p.protocol.toUpperCase()} ${p.port}`).join(", "),
    code: e.code,
    severity: e.severity,
    required: e.required,
    note: e.note ?? "",
  }));
  for (const configured of CONFIGURED_ENDPOINTS) {
    const servers = configured.configKey === "timeServer" ? (timeServer ? [timeServer] : []) : dnsServers;
    const hosts = servers.length ? servers : [`<${configured.configKey}>`];
    for (const host of hosts) {
      rows.push({
        purpose: configured.purpose,
        host,
        path: "",
        ports: configured.ports.map((p) => `${p.protocol.toUpperCase()} ${p.port}`).join(", "),
        code: configured.code,
        severity: configured.severity,
        required: true,
        note: servers.length ? configured.note : `${configured.note}; set ${configured.configKey} in bridgeguard.yaml`,
      });
    }
  }
  return rows;
}

export function registerCatalogCommands(program: Command): void {
  program
    .command("endpoints")
    .description("print the endpoint allow-list the bridge needs (for a firewall admin)")
    .option("-c, --config <file>", "bridgeguard.yaml (cloud, time and DNS servers)")
    .addOption(cloudOption())
    .option("--all", "also list the endpoints usage reporting does not need (marketplace, patch, Defender, ...)")
    .addOption(formatOption(["table", "csv", "json"]))
    .option("-o, --output <file>", "write to a file instead of stdout")
    .action((options: { config?: string; cloud?: CloudName; all?: boolean; format: string; output?: string }) => {
      const config = loadConfig(options.config);
      const cloud = options.cloud ?? config.cloud;
      const rows = endpointRows(cloud, Boolean(options.all), config.timeServer, config.dnsServers);
      const columns = ["purpose", "host", "path", "ports", "code", "severity", "required", "note"] as const;
      let text: string;
      if (options.format === "json") {
        text = JSON.stringify({ catalog: { version: CATALOG_VERSION, source: CATALOG_SOURCE }, cloud, endpoints: rows }, null, 2);
      } else if (options.format === "csv") {
        text = toCsv(columns, rows.map((r) => columns.map((c) => String(r[c]))));
      } else {
        text = `${renderTable(columns, rows.map((r) => columns.map((c) => String(r[c]))))}\ncatalog ${CATALOG_VERSION} (${cloud}); filter by FQDN: Microsoft publishes no addresses for these names.`;
      }
      writeOutput(text, options.output);
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
      writeOutput(renderTable(columns, metas.map((m) => columns.map((c) => String(m[c])))), undefined);
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
    const rules = allRuleMetas().filter((m) => m.code === code);
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
      ...rules.map((m) => `  ${m.id} ${m.slug} (${m.severity}): ${m.title}`),
      "",
      "Also check the registration: find its subscription, resource group and name in the administrator portal (Region management > Properties) and make sure the resource exists there (it is a hidden type in the Azure portal); if not, re-register.",
    ].join("\n");
  }
  const m = findRuleMeta(key);
  if (!m) throw UserError.at(undefined, undefined, `unknown error code or rule "${key}" (codes: ${Object.keys(ERROR_CODE_INFO).join(", ")}; rules: bridgeguard rules)`);
  return [
    `${m.id} ${m.slug}: ${m.title}`,
    `code: ${m.code}, default severity: ${m.severity}, ${m.scope} rule`,
    "",
    `Why: ${m.why}`,
    "",
    `Fix: ${m.remediation}`,
    `Documented remediation for ${m.code}: ${ERROR_CODE_INFO[m.code].remediation}`,
    "",
    `Docs: ${docsPath(m)}`,
  ].join("\n");
}
