/**
 * The live-network probe: targets from the catalog, one module per stage (dns, tcp, proxy, tls, http,
 * time), a run with bounded concurrency and deadlines, and observations that the probe rules
 * (`src/rules/probe/`) turn into findings through the engine, like every other front end.
 */
export { runProbe, hasExternalInterface, type ProbeRunOptions } from "./run";
export { planTargets, parseHostFor, wildcardCovers, type PlannedTarget, type HostFor, type TargetPlan } from "./targets";
export { parseConnectTo, applyConnectTo, type ConnectTo } from "./connect-to";
export { classifyFailure, classifySkew, renderClassificationTable, FAILURES, LOGIN_FAILURE, CLOCK_SKEW, TIME_SERVER_SILENT, NOT_TESTED, EXPLICIT_PROXY } from "../rules/probe/classify";
export { parseDuration, withDeadline, StageTimeoutError, RunAbortedError } from "./deadline";
export { formatDuration } from "../model/observations";
export { ProxyEndpoint, proxyFromEnvironment } from "./proxy";
export { redactUrl, redactText } from "./redact";
export { publicRoots, type TrustAnchors } from "./tls";
export { parseTimeServer, type TimeServer } from "./time";
export type * from "../model/observations";
