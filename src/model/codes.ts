/** The five error codes Azure Stack Hub documents for usage-bridge connectivity ("Usage connectivity errors"). */
export type ErrorCode = "NetworkError" | "RequestTimedOut" | "LoginError" | "CertificateValidationError" | "Unauthorized";
