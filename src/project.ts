/**
 * Where the project is published, in one place: SARIF's `tool.driver.informationUri` and the base that
 * the findings' relative `docs` paths (`docs/rules/BG201.md`) resolve against in reports read away from
 * a checkout (a pull-request comment, a code-scanning alert). `--docs-url` overrides the docs base, e.g.
 * for a fork or an internal mirror.
 */
export const PROJECT_URL = "https://github.com/bridgeguard/bridgeguard";

/** The repository's tree at the default branch: `docs/rules/BG201.md` resolves to that page. */
export const DOCS_URL = `${PROJECT_URL}/blob/main/`;

/** A rule's page in the project's docs, relative to the repository root (`npm run docs` writes it). */
export function docsPath(meta: { id: string }): string {
  return `docs/rules/${meta.id}.md`;
}
