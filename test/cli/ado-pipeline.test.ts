import { describe, expect, it } from "vitest";
import { adoPipeline } from "../../src/cli/ado-pipeline";

/** An Azure DevOps agent's predefined variables (values invented). */
const AGENT: NodeJS.ProcessEnv = {
  TF_BUILD: "True",
  SYSTEM_COLLECTIONURI: "https://dev.azure.com/contoso/",
  SYSTEM_TEAMPROJECTID: "0E7B6A4C-2F2B-4C55-9C57-1F4D3B7A9E10",
  BUILD_DEFINITIONID: "42",
  BUILD_DEFINITIONNAME: "stamp egress",
  BUILD_BUILDID: "1234",
  SYSTEM_PHASEID: "6f1d2c3b-4a5e-4f60-8b7c-9d0e1f2a3b4c",
  SYSTEM_PHASENAME: "audit",
  BUILD_SOURCEBRANCH: "refs/heads/main",
};

describe("adoPipeline", () => {
  it("stamps the pipeline's identity the way Advanced Security for Azure DevOps reads it", () => {
    expect(adoPipeline(AGENT)).toEqual({
      kind: "pipeline",
      automationDetails: {
        id: "azuredevops/pipeline/build/contoso/0e7b6a4c-2f2b-4c55-9c57-1f4d3b7a9e10/42/6f1d2c3b-4a5e-4f60-8b7c-9d0e1f2a3b4c/refs/heads/main/1234",
        properties: {
          "azuredevops/pipeline/build/buildDefinitionId": "42",
          "azuredevops/pipeline/build/buildDefinitionName": "stamp egress",
          "azuredevops/pipeline/build/phaseId": "6f1d2c3b-4a5e-4f60-8b7c-9d0e1f2a3b4c",
          "azuredevops/pipeline/build/phaseName": "audit",
        },
      },
    });
  });

  it("reads the organization from either host, and the job variables when the phase ones are missing", () => {
    const legacy = { ...AGENT, SYSTEM_COLLECTIONURI: "https://contoso.visualstudio.com/", SYSTEM_PHASEID: "", SYSTEM_JOBID: "11111111-2222-4333-8444-555555555555", SYSTEM_PHASENAME: undefined, SYSTEM_JOBNAME: "job" };
    const result = adoPipeline(legacy);
    expect(result.kind === "pipeline" && result.automationDetails.id).toBe(
      "azuredevops/pipeline/build/contoso/0e7b6a4c-2f2b-4c55-9c57-1f4d3b7a9e10/42/11111111-2222-4333-8444-555555555555/refs/heads/main/1234",
    );
    expect(result.kind === "pipeline" && result.automationDetails.properties["azuredevops/pipeline/build/phaseName"]).toBe("job");
    // A run with no saved definition has the id -1.
    expect(adoPipeline({ ...AGENT, BUILD_DEFINITIONID: "-1" }).kind).toBe("pipeline");
  });

  it("is nothing outside a pipeline, and says what is missing or malformed in a partial one", () => {
    expect(adoPipeline({})).toEqual({ kind: "none" });
    expect(adoPipeline({ ...AGENT, TF_BUILD: undefined })).toEqual({ kind: "none" });
    expect(adoPipeline({ TF_BUILD: "True" })).toEqual({ kind: "none" });
    expect(adoPipeline({ ...AGENT, BUILD_BUILDID: undefined, SYSTEM_TEAMPROJECTID: "project" })).toEqual({
      kind: "partial",
      problem: "BUILD_BUILDID is not set; SYSTEM_TEAMPROJECTID is not a GUID",
    });
    expect(adoPipeline({ ...AGENT, SYSTEM_COLLECTIONURI: "https://git.example.org/contoso" })).toMatchObject({ kind: "partial", problem: expect.stringContaining("SYSTEM_COLLECTIONURI") });
    expect(adoPipeline({ ...AGENT, BUILD_DEFINITIONID: "0" })).toMatchObject({ kind: "partial" });
  });
});
