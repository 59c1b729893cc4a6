import type { ValidateFunction } from "ajv";

/** The validators `npm run build` compiles ahead of time (scripts/precompile-validators.js). */
export type PrecompiledSchema = "stack-export" | "config" | "baseline";

/**
 * The validator compiled at build time for `schema`, or undefined: when this is not a build (the
 * TypeScript sources under test have none), or when `schema` is not exactly the schema it was compiled
 * from (the policy pack's per-policy schemas, a stale build). The caller then compiles with ajv, with the
 * same options: both give the same answers and errors.
 */
export function precompiledValidator(name: PrecompiledSchema, schema: object): ValidateFunction | undefined {
  let validate: ValidateFunction & { sourceSchema?: string };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a generated module, optional
    validate = require(`./${name}.validate.js`) as typeof validate;
  } catch (error) {
    // Only the generated module's own absence; a module it needs that fails to load is a broken install.
    const missing = (error as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND" && (error as { requireStack?: string[] }).requireStack?.[0] === __filename;
    if (missing) return undefined;
    throw error;
  }
  return validate.sourceSchema === JSON.stringify(schema) ? validate : undefined;
}
