/**
 * The Azure DevOps pipeline a SARIF report is written in, from the agent's predefined variables.
 *
 * GitHub Advanced Security for Azure DevOps drops a SARIF run at ingestion unless
 * `run.automationDetails.id` reads `azuredevops/pipeline/build/<org>/<projectId>/<definitionId>/<phaseId>/<branch>/<buildId>`
 * and `automationDetails.properties` carries the build definition's id and name and the phase's id and
 * name under `azuredevops/pipeline/build/*`. That is what Microsoft's SARIF multitool validates
 * (rules GHAzDO1019 and GHAzDO1020) and stamps from the same variables (`AdoPipelineContext` in
 * microsoft/sarif-sdk, `src/Sarif.Multitool.Library/Emit/AdoPipelineContext.cs`). Outside a pipeline
 * (`TF_BUILD` not `True`) there is nothing to stamp, and the report keeps its own category.
 */

/** `run.automationDetails` for an Azure DevOps pipeline run. */
export interface AdoAutomationDetails {
  id: string;
  properties: Record<string, string>;
}

export type AdoPipeline = { kind: "none" } | { kind: "pipeline"; automationDetails: AdoAutomationDetails } | { kind: "partial"; problem: string };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMPTY_GUID = "00000000-0000-0000-0000-000000000000";
const PREFIX = "azuredevops/pipeline/build/";

function first(env: NodeJS.ProcessEnv, ...names: string[]): { name: string; value: string | undefined } {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return { name, value };
  }
  return { name: names[0]!, value: undefined };
}

/**
 * The organization from `SYSTEM_COLLECTIONURI`: `https://dev.azure.com/<org>/` (or `vsrm.dev.azure.com`),
 * or `https://<org>.visualstudio.com/` (or `<org>.vsrm.visualstudio.com`).
 */
function organizationOf(collectionUri: string): string | undefined {
  let url: URL;
  try {
    url = new URL(collectionUri);
  } catch {
    return undefined;
  }
  const host = url.hostname.toLowerCase();
  if (host === "dev.azure.com" || host === "vsrm.dev.azure.com") return url.pathname.split("/").find((s) => s !== "") || undefined;
  if (host.endsWith(".visualstudio.com")) return host.slice(0, -".visualstudio.com".length).replace(/\.vsrm$/, "") || undefined;
  return undefined;
}

/** Whether the process runs in an Azure DevOps pipeline, and if so, its `automationDetails`. */
export function adoPipeline(env: NodeJS.ProcessEnv): AdoPipeline {
  const tfBuild = env.TF_BUILD?.trim().toLowerCase();
  if (tfBuild !== "true" && tfBuild !== "1") return { kind: "none" };
  const collection = first(env, "SYSTEM_COLLECTIONURI");
  const project = first(env, "SYSTEM_TEAMPROJECTID");
  const definitionId = first(env, "BUILD_DEFINITIONID", "SYSTEM_DEFINITIONID");
  const definitionName = first(env, "BUILD_DEFINITIONNAME");
  const buildId = first(env, "BUILD_BUILDID");
  const phaseId = first(env, "SYSTEM_PHASEID", "SYSTEM_JOBID");
  const phaseName = first(env, "SYSTEM_PHASENAME", "SYSTEM_JOBNAME");
  const branch = first(env, "BUILD_SOURCEBRANCH");
  const all = [collection, project, definitionId, definitionName, buildId, phaseId, phaseName, branch];
  if (all.every((v) => v.value === undefined)) return { kind: "none" };

  const problems: string[] = [];
  for (const v of all) if (v.value === undefined) problems.push(`${v.name} is not set`);
  const organization = collection.value !== undefined ? organizationOf(collection.value) : undefined;
  if (collection.value !== undefined && organization === undefined) problems.push(`${collection.name} names no dev.azure.com or visualstudio.com organization`);
  for (const guid of [project, phaseId]) {
    if (guid.value !== undefined && (!GUID.test(guid.value) || guid.value === EMPTY_GUID)) problems.push(`${guid.name} is not a GUID`);
  }
  // -1 is what Azure DevOps gives a run with no saved definition; a build id is always positive.
  if (definitionId.value !== undefined && !(/^[1-9]\d*$/.test(definitionId.value) || definitionId.value === "-1")) problems.push(`${definitionId.name} is not a definition id`);
  if (buildId.value !== undefined && !/^[1-9]\d*$/.test(buildId.value)) problems.push(`${buildId.name} is not a build id`);
  if (problems.length > 0) return { kind: "partial", problem: problems.join("; ") };

  const id = `${PREFIX}${organization}/${project.value!.toLowerCase()}/${definitionId.value}/${phaseId.value!.toLowerCase()}/${branch.value}/${buildId.value}`;
  return {
    kind: "pipeline",
    automationDetails: {
      id,
      properties: {
        [`${PREFIX}buildDefinitionId`]: definitionId.value!,
        [`${PREFIX}buildDefinitionName`]: definitionName.value!,
        [`${PREFIX}phaseId`]: phaseId.value!.toLowerCase(),
        [`${PREFIX}phaseName`]: phaseName.value!,
      },
    },
  };
}
