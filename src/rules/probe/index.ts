import type { ProbeRule, RuleMeta } from "../types";
import { probeNameNotResolved } from "./BG601-probe-name-not-resolved";
import { probeConnectionFailed } from "./BG602-probe-connection-failed";
import { probeProxyRefused } from "./BG603-probe-proxy-refused";
import { probeNoAnswer } from "./BG604-probe-no-answer";
import { probeCertificateNotTrusted } from "./BG605-probe-certificate-not-trusted";
import { probeHandshakeClosed } from "./BG606-probe-handshake-closed";
import { probeLoginFailed } from "./BG607-probe-login-failed";
import { probeClockSkew } from "./BG608-probe-clock-skew";
import { probeTimeServerSilent } from "./BG609-probe-time-server-silent";
import { probeNotTested } from "./BG610-probe-not-tested";
import { probeExplicitProxy } from "./BG611-probe-explicit-proxy";

/** Every probe rule, in id order. They read probe observations only; `classify.ts` decides which one reports what. */
export const PROBE_RULES: readonly ProbeRule[] = [
  probeNameNotResolved,
  probeConnectionFailed,
  probeProxyRefused,
  probeNoAnswer,
  probeCertificateNotTrusted,
  probeHandshakeClosed,
  probeLoginFailed,
  probeClockSkew,
  probeTimeServerSilent,
  probeNotTested,
  probeExplicitProxy,
];

export function probeRuleMetas(): RuleMeta[] {
  return PROBE_RULES.map((rule) => rule.meta);
}
