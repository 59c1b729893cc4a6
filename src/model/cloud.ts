/** The Azure clouds an Azure Stack Hub stamp can register with. */
export type CloudName = "AzureCloud" | "AzureUSGovernment" | "AzureChinaCloud";
