import type { SourcePosition } from "../model/resource";

/**
 * Pulumi state's `sourcePosition` of a resource: `project:///infra/egress.ts#42,7`. The engine writes it as
 * a URL with scheme `project`, the path relative to the project root (made absolute with a leading `/`,
 * percent-encoded by Go's `url.URL.String`) and the fragment `<line>` or `<line>,<column>`
 * (`parseSourcePosition` in pkg/resource/deploy/source_eval.go of pulumi/pulumi). Anything else (another
 * scheme, no line, a path that climbs above the project root) gives no position rather than a wrong one.
 */
export function parseSourcePosition(value: unknown): SourcePosition | undefined {
  if (typeof value !== "string" || value.length > 4096) return undefined;
  const m = /^project:\/\/([^/#?]*)(\/[^#?]*)#(\d+)(?:,(\d+))?$/.exec(value);
  if (!m || m[1] !== "") return undefined;
  let path: string;
  try {
    path = decodeURIComponent(m[2]!).replace(/^\/+/, "");
  } catch {
    return undefined;
  }
  const segments = path.split("/");
  if (path === "" || segments.some((s) => s === ".." || s === "." || s === "") || /[\u0000-\u001f]/.test(path)) return undefined;
  const line = Number(m[3]);
  if (!Number.isSafeInteger(line) || line < 1) return undefined;
  const position: SourcePosition = { path, line };
  if (m[4] !== undefined) {
    const column = Number(m[4]);
    if (Number.isSafeInteger(column) && column >= 1) position.column = column;
  }
  return position;
}
