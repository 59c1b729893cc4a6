import { ERROR_CODE_INFO } from "../catalog/codes";
import type { RuleMeta } from "../rules/types";

/** The docs page of one rule, generated from its metadata (a test fails when docs/ drifts from it). */
export function renderRulePage(meta: RuleMeta): string {
  const code = ERROR_CODE_INFO[meta.code];
  return [
    `# ${meta.id} ${meta.slug}`,
    "",
    `**${meta.title}**`,
    "",
    "| | |",
    "|---|---|",
    `| Error code | \`${meta.code}\`${(meta.otherCodes ?? []).map((o) => `; \`${o.code}\` when ${o.when}`).join("")} |`,
    `| Default severity | ${meta.severity} |`,
    meta.scope === "probe"
      ? "| Reported by | `bridgeguard probe` (live network) |"
      : meta.scope === "plan"
        ? "| Reported by | `bridgeguard audit` of `pulumi preview --json` (a policy pack sees no planned operations) |"
        : `| Policy pack | ${meta.scope === "resource" ? "resource policy" : "stack policy"} \`${meta.id}\` |`,
    `| Reads | ${meta.scope === "probe" ? "probe observations" : meta.scope === "plan" ? `planned operations on: ${meta.appliesTo.join(", ")}` : meta.appliesTo.join(", ")} |`,
    "",
    "## Why it matters",
    "",
    meta.why,
    "",
    "## How to fix it",
    "",
    meta.remediation,
    "",
    ...(meta.grouping ? ["## One finding per cause", "", meta.grouping, ""] : []),
    `## What \`${meta.code}\` means`,
    "",
    `${code.issue} Documented remediation: ${code.remediation}`,
    "",
    ...(meta.otherCodes ?? []).flatMap((o) => [
      `## What \`${o.code}\` means`,
      "",
      `The code follows what the broken flow serves: \`${o.code}\` when ${o.when}. ${ERROR_CODE_INFO[o.code].issue} Documented remediation: ${ERROR_CODE_INFO[o.code].remediation}`,
      "",
    ]),
    "## Configure",
    "",
    "```yaml",
    "rules:",
    `  ${meta.slug}:        # or ${meta.id}`,
    "    enabled: true",
    `    severity: ${meta.severity}`,
    "```",
    "",
    "_Generated from the rule's metadata by `npm run docs`; do not edit by hand._",
    "",
  ].join("\n");
}

export function renderRuleIndex(metas: readonly RuleMeta[]): string {
  return [
    "# Rules",
    "",
    "| id | slug | code | severity | checks |",
    "|---|---|---|---|---|",
    ...metas.map((m) => `| [${m.id}](${m.id}.md) | \`${m.slug}\` | ${[m.code, ...(m.otherCodes ?? []).map((o) => o.code)].map((c) => `\`${c}\``).join(", ")} | ${m.severity} | ${m.title} |`),
    "",
    "_Generated from the rules' metadata by `npm run docs`; do not edit by hand._",
    "",
  ].join("\n");
}

/** Every generated docs file, relative to the repository root, with its content. */
export function generatedDocs(metas: readonly RuleMeta[]): Map<string, string> {
  const files = new Map<string, string>();
  files.set("docs/rules/README.md", renderRuleIndex(metas));
  for (const meta of metas) files.set(`docs/rules/${meta.id}.md`, renderRulePage(meta));
  return files;
}
