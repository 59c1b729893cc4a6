/**
 * Observations as the JSON report's `probe` field: for every endpoint, passing or not, its stages and
 * timings, the addresses DNS gave, the certificate presented (issuer, subject, SHA-256) and the answer.
 * Built field by field, so that nothing an observation may later carry leaks into the contract; nothing
 * here holds a secret (a proxy appears redacted, notes were scrubbed when they were taken).
 */
import type { ProbeEndpointResult, ProbeResults, ProbeTimeResult } from "../model/finding";
import type { EndpointObservation, ProbeObservations, TimeObservation } from "../model/observations";

function endpointResult(o: EndpointObservation): ProbeEndpointResult {
  const { target, outcome } = o;
  const certificate = o.tls?.certificate;
  return {
    host: target.host,
    port: target.port,
    protocol: target.protocol,
    for: target.endpoints.map((e) => ({ host: e.host, purpose: e.purpose })),
    ...(target.wildcard ? { wildcard: target.wildcard } : {}),
    ...(target.representative ? { representative: target.representative } : {}),
    outcome: outcome.kind,
    detail: outcome.detail,
    ms: Math.round(o.ms),
    stages: o.stages.map((s) => ({ stage: s.stage, status: s.status, ms: Math.round(s.ms), note: s.note })),
    ...(o.address ? { address: o.address } : {}),
    ...(o.dns ? { dns: { name: o.dns.name, resolver: o.dns.resolver, addresses: [...o.dns.addresses], total: o.dns.total } } : {}),
    ...(o.tls
      ? {
          tls: {
            ...(o.tls.protocol ? { protocol: o.tls.protocol } : {}),
            chainVerified: o.tls.chainVerified,
            nameMatches: o.tls.nameMatches,
            ...(certificate ? { subject: certificate.subject, issuer: certificate.issuer, sha256: certificate.sha256, validTo: certificate.validTo } : {}),
          },
        }
      : {}),
    ...(o.http ? { http: { status: o.http.status, statusText: o.http.statusText } } : {}),
    ...(o.proxy ? { proxy: { url: o.proxy.url, ...(o.proxy.status !== undefined ? { status: o.proxy.status } : {}) } } : {}),
  };
}

function timeResult(t: TimeObservation): ProbeTimeResult {
  const outcome = t.outcome;
  const base = { server: t.server, outcome: outcome.kind, ms: Math.round(t.ms) };
  if (outcome.kind === "answered") {
    return { ...base, offsetMs: Math.round(outcome.offsetMs), roundTripMs: Math.round(outcome.roundTripMs), stratum: outcome.stratum };
  }
  if (outcome.kind === "unsynchronised") return { ...base, stratum: outcome.stratum, detail: outcome.detail };
  return { ...base, detail: outcome.detail };
}

/** The `probe` field of the report. */
export function probeResults(observations: ProbeObservations): ProbeResults {
  return {
    endpoints: observations.endpoints.map(endpointResult),
    ...(observations.time ? { time: timeResult(observations.time) } : {}),
  };
}
