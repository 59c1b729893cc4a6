/**
 * What the probe rules share: the resource and endpoint of a finding, the evidence of one endpoint's
 * observation, and the concrete fix for each kind of failure. Pure functions of observations.
 */
import type { CatalogEndpoint } from "../../catalog/endpoints";
import type { FindingEndpoint } from "../../model/finding";
import type { ResourceRef } from "../../model/resource";
import { classifyFailure, type ProbeRuleId } from "./classify";
import { formatDuration } from "../../model/observations";
import { hostPort, type EndpointObservation, type FailureKind, type ProbeObservations, type Stage } from "../../model/observations";
import type { ProbeViolation } from "../types";

export const PROBE_RESOURCE_TYPE = "probe";

export function probeResource(host: string, port: number): ResourceRef {
  return { urn: hostPort(host, port), type: PROBE_RESOURCE_TYPE, name: host };
}

export function findingEndpoint(endpoint: CatalogEndpoint, port: number, protocol: FindingEndpoint["protocol"]): FindingEndpoint {
  return { host: endpoint.host, port, protocol, purpose: endpoint.purpose };
}

/** `dns skipped (...) · tcp ok 1 ms · tls ok 12 ms · http timeout 500 ms`. */
export function stageLine(observation: EndpointObservation): string {
  return observation.stages
    .map((s) => (s.status === "skipped" ? `${s.stage} skipped (${s.note})` : `${s.stage} ${s.status} ${formatDuration(s.ms)}`))
    .join(" · ");
}

/** The evidence every finding about one endpoint carries: stages, where it was aimed, the proxy, TLS. */
export function observationEvidence(observation: EndpointObservation): string[] {
  const { target } = observation;
  const lines: string[] = [];
  if (observation.stages.length) lines.push(`stages: ${stageLine(observation)}`);
  if (observation.outcome.kind !== "reachable") {
    lines.push(observation.outcome.stage ? `${observation.outcome.stage}: ${observation.outcome.detail}` : observation.outcome.detail);
  }
  if (target.wildcard && target.host !== target.wildcard) {
    lines.push(
      target.representative
        ? `representative host tested for ${target.wildcard}: ${target.host} (Microsoft's outbound table names it, ${target.representative}; not the usage service itself: --host-for '${target.wildcard}=<host>' tests the host your deployment uses)`
        : `concrete host tested for ${target.wildcard}: ${target.host}`,
    );
  }
  if (target.connectTo) {
    lines.push(`aimed by --connect-to at ${hostPort(target.connectTo.host, target.connectTo.port)} (SNI, certificate name and Host stay ${target.host})`);
  }
  if (observation.dns) {
    const { name, addresses, total, resolver } = observation.dns;
    const more = total > addresses.length ? `, ... (${total} addresses, the first ${addresses.length} shown)` : "";
    lines.push(`dns: ${name} -> ${addresses.join(", ")}${more} (${resolver})`);
  }
  if (observation.proxy) {
    const p = observation.proxy;
    const answer = p.status ? `; it answered ${p.status}${p.statusText ? ` ${p.statusText}` : ""}` : "";
    const offers = p.authenticate?.length ? `; it asks for ${p.authenticate.join(", ")} authentication` : "";
    lines.push(`through the explicit proxy ${p.url} (from ${p.source}; credentials ${p.credentialsSent ? "sent" : "not given"})${answer}${offers}`);
  }
  const tls = observation.tls;
  if (tls?.certificate) {
    const c = tls.certificate;
    lines.push(`certificate subject: ${c.subject}`);
    lines.push(`certificate issuer: ${c.issuer}`);
    lines.push(`certificate SHA-256: ${c.sha256}`);
    if (c.subjectAltNames) lines.push(`certificate names: ${c.subjectAltNames}`);
    if (c.chain.length > 1) lines.push(`chain presented: ${c.chain.join(" <- ")}`);
    lines.push(`verified against: ${tls.trust}${tls.chainError ? ` (${tls.chainError})` : ""}`);
  }
  if (observation.http) lines.push(`http: ${observation.http.status} ${observation.http.statusText}`.trimEnd());
  return lines;
}

function stageWords(stage: Stage): string {
  return `the ${stage} stage`;
}

/** One line: what went wrong, plainly. */
export function failureSummary(failure: FailureKind, stage: Stage, observation: EndpointObservation): string {
  switch (failure) {
    case "name-not-resolved":
      return observation.proxy ? "the proxy's name does not resolve" : `${observation.dns?.name ?? observation.target.host} does not resolve`;
    case "connection-refused":
      return `the connection is refused at ${stageWords(stage)}`;
    case "connection-reset":
      return `the connection is reset or closed at ${stageWords(stage)}`;
    case "unreachable":
      return "the host or network is unreachable";
    case "protocol-error":
      return `the answer at ${stageWords(stage)} is not HTTP`;
    case "proxy-auth-required":
      return `the proxy requires authentication (407)${observation.proxy?.credentialsSent ? ": the credentials given were rejected" : ": no credentials were given"}`;
    case "proxy-denied":
      return "the proxy denies the destination (403)";
    case "proxy-failed":
      return `the proxy could not open a tunnel (${observation.proxy?.status ?? "?"})`;
    case "no-answer":
      return stage === "tcp" ? "no answer to the connection attempt (silent drop)" : stage === "http" ? "the request was sent and no HTTP answer came" : `no answer at ${stageWords(stage)}`;
    case "certificate-not-trusted":
      return `the certificate presented is not trusted (TLS interception?): issued by ${observation.tls?.certificate?.issuer ?? "?"}`;
    case "certificate-name-mismatch":
      return `the certificate presented does not name ${observation.target.host}: ${observation.tls?.certificate?.subject ?? "?"}`;
    case "handshake-closed":
      return "the TLS handshake was closed by the network";
    case "handshake-failed":
      return "TLS never started: the handshake failed on what the server sent";
    case "not-tls":
      return "TLS never started: the answer on the TLS port is not TLS";
    case "middlebox":
      return `a middlebox answered on cleartext HTTP (${observation.http?.status ?? "?"}), not the service`;
  }
}

/** The concrete change for one failure. */
export function failureFix(failure: FailureKind, stage: Stage, endpoint: CatalogEndpoint, observation: EndpointObservation): string {
  const name = endpoint.host;
  const port = observation.target.port;
  const proto = observation.target.protocol === "https" ? "HTTPS" : "HTTP";
  const allow = `Allow ${proto} ${port} to ${name} from the public VIP /27 on every firewall and NSG on the path (filter by FQDN: Microsoft publishes no addresses for it).`;
  switch (failure) {
    case "name-not-resolved":
      return observation.proxy
        ? `Fix the proxy's host name (${observation.proxy.url}).`
        : `Make the deployment's DNS servers resolve ${observation.target.host}: forward to public DNS, and allow UDP and TCP 53 from them.`;
    case "connection-refused":
    case "unreachable":
      return allow;
    case "connection-reset":
      return `Find the device that resets or closes connections to ${observation.target.host} (a firewall, IPS or proxy) and let the endpoint through. ${allow}`;
    case "protocol-error":
      return `Something other than the service answered at ${stageWords(stage)}: find the device on the path (a captive portal, a proxy) and let ${name} through.`;
    case "proxy-auth-required":
      return `The bridge cannot authenticate to a proxy (it has no proxy setting): let the stamp reach ${name} without an explicit proxy. For the probe, pass credentials in --proxy or HTTPS_PROXY.`;
    case "proxy-denied":
      return `Allow ${name}:${port} on the proxy's policy, and let the stamp reach it without an explicit proxy: the bridge supports only transparent ones.`;
    case "proxy-failed":
      return `The proxy could not reach ${name}:${port}: check its own egress and DNS.`;
    case "no-answer":
      return stage === "tcp" || stage === "proxy"
        ? `A device drops the traffic silently: ${allow}`
        : `The request reached something that never answered: check for a proxy or firewall that holds or inspects the connection to ${name}, and exempt the endpoint.`;
    case "certificate-not-trusted":
    case "certificate-name-mismatch":
      return `Exempt ${name} from TLS inspection on the device whose CA issued the certificate presented (${observation.tls?.certificate?.issuer ?? "see the evidence"}); Azure Stack Hub does not support TLS interception.`;
    case "handshake-closed":
      return `Check for TLS inspection or an IPS between the stamp and ${name}, and exempt the endpoint from it.`;
    case "handshake-failed":
      return `Something other than ${name} answered the TLS handshake (a certificate or chain no client accepts): find the device on the path that terminates TLS and let the endpoint through untouched.`;
    case "not-tls":
      return `A device on the path answers port ${port} in cleartext (a proxy's or firewall's page): let ${name}:${port} through it, without interception.`;
    case "middlebox":
      return `A proxy, captive portal or filter answers cleartext HTTP for ${name}: let the stamp reach ${name}:${port} through it without authentication or sign-in.`;
  }
}

/** The violations of `rule` among the failed endpoint probes, one per catalog endpoint the target stands for. */
export function failureViolations(observations: ProbeObservations, rule: ProbeRuleId): ProbeViolation[] {
  const violations: ProbeViolation[] = [];
  for (const observation of observations.endpoints) {
    const outcome = observation.outcome;
    if (outcome.kind !== "failed") continue;
    const { target } = observation;
    const seen = new Set<string>();
    for (const endpoint of target.endpoints) {
      const classification = classifyFailure(outcome.failure, endpoint);
      if (classification.rule !== rule) continue;
      const key = `${endpoint.host}|${endpoint.purpose}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const purpose = endpoint.purpose === "identity" ? "Azure AD login endpoint" : `${endpoint.purpose} endpoint`;
      violations.push({
        resource: probeResource(target.host, target.port),
        endpoint: findingEndpoint(endpoint, target.port, target.protocol),
        message: `${purpose} ${hostPort(target.host, target.port)}: ${failureSummary(outcome.failure, outcome.stage, observation)}`,
        evidence: observationEvidence(observation),
        severity: classification.severity,
        fix: failureFix(outcome.failure, outcome.stage, endpoint, observation),
      });
    }
  }
  return violations;
}
