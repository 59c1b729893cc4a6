/**
 * The TLS stage: a handshake with SNI set to the endpoint's name, verified against the public roots
 * Node ships (`tls.rootCertificates`), never the system store, which may hold an interceptor's CA; or
 * against `--ca-file` alone. The handshake is allowed to complete with an unverified certificate so that
 * the evidence can name what was presented (issuer, subject, SHA-256); nothing is sent over such a
 * connection afterwards.
 */
import * as net from "node:net";
import type { Duplex } from "node:stream";
import * as tls from "node:tls";
import { onAbort } from "./deadline";
import type { CertificateInfo, TlsObservation } from "../model/observations";

export interface TrustAnchors {
  /** PEM certificates. */
  ca: readonly string[];
  /** `Node.js public roots (N certificates)`, `--ca-file ca.pem`. */
  description: string;
}

export function publicRoots(): TrustAnchors {
  return { ca: tls.rootCertificates, description: `Node.js public roots (${tls.rootCertificates.length} certificates, not the system store)` };
}

/** The handshake did not complete: the peer (or something on the path) closed it, or sent an alert. */
export class HandshakeError extends Error {
  constructor(
    message: string,
    readonly code: string,
    /**
     * `closed`: the peer or the network closed, reset or alerted (what an IPS does; a warning). `not-tls`:
     * what came back is not TLS. `failed`: TLS never started on what the server sent (too large, malformed).
     */
    readonly kind: "closed" | "not-tls" | "failed" = "closed",
  ) {
    super(message);
    this.name = "HandshakeError";
  }
}

type Dn = Record<string, string | string[] | undefined> | undefined;

/** `CN=login.microsoftonline.com, O=Microsoft Corporation`: the attributes a person recognizes, in order. */
export function formatDn(dn: Dn): string {
  if (!dn) return "(none)";
  const order = ["CN", "OU", "O", "L", "ST", "C"];
  const keys = [...order.filter((k) => k in dn), ...Object.keys(dn).filter((k) => !order.includes(k))];
  const parts = keys.flatMap((k) => {
    const value = dn[k];
    if (value === undefined) return [];
    return (Array.isArray(value) ? value : [value]).map((v) => `${k}=${v}`);
  });
  return parts.length ? parts.join(", ") : "(empty)";
}

export function certificateInfo(peer: tls.DetailedPeerCertificate): CertificateInfo {
  const chain: string[] = [];
  const seen = new Set<string>();
  let current: tls.DetailedPeerCertificate | undefined = peer;
  while (current && current.fingerprint256 && !seen.has(current.fingerprint256)) {
    seen.add(current.fingerprint256);
    chain.push(formatDn(current.subject as unknown as Dn));
    current = current.issuerCertificate;
  }
  return {
    subject: formatDn(peer.subject as unknown as Dn),
    issuer: formatDn(peer.issuer as unknown as Dn),
    sha256: peer.fingerprint256,
    subjectAltNames: peer.subjectaltname ?? "",
    validFrom: peer.valid_from,
    validTo: peer.valid_to,
    chain,
  };
}

const ignore = () => undefined;

/**
 * Performs the handshake over `socket` (a TCP connection or a proxy tunnel). Resolves with the TLS
 * socket and what was verified; rejects with `HandshakeError` when the handshake does not complete.
 */
export function tlsHandshake(
  socket: Duplex,
  options: { servername: string; trust: TrustAnchors; signal: AbortSignal },
): Promise<{ socket: tls.TLSSocket; observation: TlsObservation }> {
  return new Promise((resolve, reject) => {
    let lastError: NodeJS.ErrnoException | undefined;
    const secure = tls.connect({
      socket,
      servername: net.isIP(options.servername) ? undefined : options.servername,
      ca: [...options.trust.ca],
      rejectUnauthorized: false,
      // Verified below, so that a mismatch is reported as such and not as a chain error.
      checkServerIdentity: () => undefined,
      ALPNProtocols: ["http/1.1"],
      minVersion: "TLSv1.2",
    });
    const stop = onAbort(options.signal, () => secure.destroy());
    const cleanup = () => {
      stop();
      secure.removeListener("secureConnect", onSecure);
      secure.removeListener("error", onError);
      secure.removeListener("close", onClose);
    };
    const onError = (error: NodeJS.ErrnoException) => {
      lastError = error;
    };
    const onClose = () => {
      cleanup();
      reject(handshakeError(lastError));
    };
    const onSecure = () => {
      cleanup();
      secure.on("error", ignore);
      const peer = secure.getPeerCertificate(true);
      const certificate = peer && peer.fingerprint256 ? certificateInfo(peer) : undefined;
      const nameError = peer && peer.fingerprint256 ? tls.checkServerIdentity(options.servername, peer) : new Error("no certificate presented");
      const chainError = secure.authorized ? undefined : String(secure.authorizationError ?? "not verified");
      resolve({
        socket: secure,
        observation: {
          chainVerified: secure.authorized,
          chainError,
          nameMatches: !nameError,
          nameError: nameError ? nameError.message : undefined,
          protocol: secure.getProtocol() ?? undefined,
          trust: options.trust.description,
          certificate,
        },
      });
    };
    secure.on("error", onError);
    secure.once("close", onClose);
    secure.once("secureConnect", onSecure);
  });
}

/** OpenSSL's words for an answer to the ClientHello that is not a TLS record. */
const NOT_TLS = new Set(["ERR_SSL_WRONG_VERSION_NUMBER", "ERR_SSL_PACKET_LENGTH_TOO_LONG", "ERR_SSL_RECORD_LENGTH_MISMATCH", "ERR_SSL_UNKNOWN_PROTOCOL", "ERR_SSL_HTTP_REQUEST", "ERR_SSL_HTTPS_PROXY_REQUEST"]);

/** Handshakes that broke on the server's messages: over the size OpenSSL accepts, or malformed. */
const TOO_LARGE_OR_MALFORMED = new Set([
  "ERR_SSL_EXCESSIVE_MESSAGE_SIZE",
  "ERR_SSL_CERT_LENGTH_MISMATCH",
  "ERR_SSL_LENGTH_MISMATCH",
  "ERR_SSL_BAD_PACKET_LENGTH",
  "ERR_SSL_UNEXPECTED_MESSAGE",
  "ERR_SSL_BAD_MESSAGE_TYPE",
  "ERR_SSL_DECODE_ERROR",
  "ERR_SSL_BAD_CERTIFICATE",
  "ERR_SSL_CERT_LIST_TOO_LONG",
]);

function describeSslCode(code: string): string {
  if (code === "ERR_SSL_EXCESSIVE_MESSAGE_SIZE") return "a handshake message (the certificate or its chain) over the 100 KiB OpenSSL accepts";
  if (code === "ERR_SSL_UNEXPECTED_MESSAGE" || code === "ERR_SSL_BAD_MESSAGE_TYPE") return "a handshake message out of order";
  return "a malformed handshake message";
}

function handshakeError(error: NodeJS.ErrnoException | undefined): HandshakeError {
  if (!error) return new HandshakeError("the connection was closed during the TLS handshake (FIN)", "closed");
  const code = error.code ?? "EUNKNOWN";
  if (code === "ECONNRESET" && /disconnected before secure TLS connection/i.test(error.message)) {
    return new HandshakeError("the connection was closed during the TLS handshake", "closed");
  }
  if (code === "ECONNRESET") return new HandshakeError("the connection was reset (RST) during the TLS handshake", code);
  if (NOT_TLS.has(code)) {
    return new HandshakeError(`the server answered the ClientHello with something that is not TLS (a cleartext HTTP answer on a TLS port?) (${code})`, code, "not-tls");
  }
  if (TOO_LARGE_OR_MALFORMED.has(code)) {
    return new HandshakeError(`the handshake failed on what the server sent: ${describeSslCode(code)} (${code})`, code, "failed");
  }
  if (code.startsWith("ERR_SSL_")) {
    const alert = /alert ([a-z ]+)/i.exec(error.message)?.[1];
    return new HandshakeError(alert ? `the server ended the handshake with TLS alert "${alert}"` : `the handshake failed (${code})`, code);
  }
  return new HandshakeError(`the TLS handshake failed (${code})`, code);
}
