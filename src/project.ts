/**
 * Where the project is published, in one place: the `repository` field of its package.json (npm's
 * standard field, which npm and GitHub read too). It gives SARIF's `tool.driver.informationUri` and the
 * base that the findings' relative `docs` paths (`docs/rules/BG201.md`) resolve against in reports read
 * away from a checkout (a pull-request comment, a code-scanning alert). `--docs-url` overrides the docs
 * base, e.g. for a fork or an internal mirror.
 */
import { findManifest } from "./version";

/** npm's `repository` field (a string or `{ url }`, possibly `git+https://...git`) as a web URL. */
export function repositoryUrl(repository: unknown): string | undefined {
  const raw = typeof repository === "string" ? repository : typeof repository === "object" && repository !== null ? (repository as { url?: unknown }).url : undefined;
  if (typeof raw !== "string") return undefined;
  const github = /^github:([\w.-]+\/[\w.-]+)$/.exec(raw) ?? /^([\w.-]+\/[\w.-]+)$/.exec(raw);
  if (github) return `https://github.com/${github[1]!.replace(/\.git$/, "")}`;
  const url = raw.replace(/^git\+/, "").replace(/\.git$/, "");
  return /^https:\/\//.test(url) ? url : undefined;
}

const manifest = findManifest().manifest;
const published = repositoryUrl(manifest.repository);
if (published === undefined) throw new Error(`package.json of ${manifest.name} has no https repository URL`);

export const PROJECT_URL: string = published;

/** The repository's tree at the default branch: `docs/rules/BG201.md` resolves to that page. */
export const DOCS_URL = `${PROJECT_URL}/blob/main/`;

/** A rule's page in the project's docs, relative to the repository root (`npm run docs` writes it). */
export function docsPath(meta: { id: string }): string {
  return `docs/rules/${meta.id}.md`;
}
